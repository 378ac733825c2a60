import type {
  DeleteRolePolicyRequest,
  DeleteRoleRequest,
  DetachRolePolicyRequest,
  GetRolePolicyRequest,
  GetRolePolicyResponse,
  ListRolePoliciesRequest,
  ListRolePoliciesResponse,
  PutRolePolicyRequest,
  UntagRoleRequest,
} from '@aws-sdk/client-iam';
import { fault } from '../errors.js';
import { op, validationError, type CallContext, type Operation, type Out } from '../operation.js';
import { parsePolicy } from '../policy.js';
import { encodeDocument, findByName, iamArn, iamName, limitExceeded, noSuchEntity, requireModifiableRole, requireRole } from './common.js';
import { instanceProfilesOf } from './instance-profiles.js';

/** Inline role policies share 10,240 characters (whitespace excluded) per role. */
const INLINE_SIZE = 10240;

const roleResource = (ctx: CallContext, name: string | undefined) => findByName(ctx.state.iam.roles, name)?.arn ?? iamArn(ctx.state, 'role', '/', name ?? '');
const deleteConflict = (message: string) => fault('DeleteConflict', message, 409);

export const roleLifecycleOperations: Record<string, Operation> = {
  DetachRolePolicy: op<DetachRolePolicyRequest, object>({
    resource: (input, ctx) => roleResource(ctx, input.RoleName),
    run: (input, ctx) => {
      const role = requireModifiableRole(ctx.state, input.RoleName);
      if (!role.attachedPolicies.includes(input.PolicyArn ?? '')) throw noSuchEntity(`Policy ${input.PolicyArn} was not found.`);
      role.attachedPolicies = role.attachedPolicies.filter((arn) => arn !== input.PolicyArn);
      return {};
    },
  }),

  PutRolePolicy: op<PutRolePolicyRequest, object>({
    resource: (input, ctx) => roleResource(ctx, input.RoleName),
    run: (input, ctx) => {
      const role = requireModifiableRole(ctx.state, input.RoleName);
      const name = iamName(input.PolicyName, 'policyName', 128);
      const document = input.PolicyDocument ?? '';
      if (!document) throw validationError("1 validation error detected: Value null at 'policyDocument' failed to satisfy constraint: Member must not be null");
      parsePolicy(document, 'identity');
      const others = Object.entries(role.inlinePolicies).filter(([key]) => key !== name).map(([, doc]) => doc);
      if ([...others, document].join('').replace(/\s/g, '').length > INLINE_SIZE) throw limitExceeded(`Maximum policy size of ${INLINE_SIZE} bytes exceeded for role ${role.name}`);
      role.inlinePolicies[name] = document; // PutRolePolicy overwrites: always safe to repeat
      return {};
    },
  }),

  GetRolePolicy: op<GetRolePolicyRequest, Out<GetRolePolicyResponse>>({
    resource: (input, ctx) => roleResource(ctx, input.RoleName),
    run: (input, ctx) => {
      const role = requireRole(ctx.state, input.RoleName);
      const document = input.PolicyName !== undefined ? role.inlinePolicies[input.PolicyName] : undefined;
      if (document === undefined) throw noSuchEntity(`The role policy with name ${input.PolicyName} cannot be found.`);
      return { RoleName: role.name, PolicyName: input.PolicyName, PolicyDocument: encodeDocument(document) };
    },
  }),

  ListRolePolicies: op<ListRolePoliciesRequest, Out<ListRolePoliciesResponse>>({
    resource: (input, ctx) => roleResource(ctx, input.RoleName),
    run: (input, ctx) => ({ PolicyNames: Object.keys(requireRole(ctx.state, input.RoleName).inlinePolicies), IsTruncated: false }),
  }),

  DeleteRolePolicy: op<DeleteRolePolicyRequest, object>({
    resource: (input, ctx) => roleResource(ctx, input.RoleName),
    run: (input, ctx) => {
      const role = requireModifiableRole(ctx.state, input.RoleName);
      if (input.PolicyName === undefined || role.inlinePolicies[input.PolicyName] === undefined) throw noSuchEntity(`The role policy with name ${input.PolicyName} cannot be found.`);
      delete role.inlinePolicies[input.PolicyName];
      return {};
    },
  }),

  UntagRole: op<UntagRoleRequest, object>({
    resource: (input, ctx) => roleResource(ctx, input.RoleName),
    run: (input, ctx) => {
      const role = requireRole(ctx.state, input.RoleName);
      role.tags = role.tags.filter((t) => !(input.TagKeys ?? []).includes(t.Key));
      return {};
    },
  }),

  /** IAM deletes a role only once nothing hangs on it, in this order of complaint. */
  DeleteRole: op<DeleteRoleRequest, object>({
    resource: (input, ctx) => roleResource(ctx, input.RoleName),
    run: (input, ctx) => {
      const role = requireModifiableRole(ctx.state, input.RoleName);
      if (Object.values(instanceProfilesOf(ctx.state)).some((p) => p.roles.includes(role.name))) throw deleteConflict('Cannot delete entity, must remove roles from instance profile first.');
      if (role.attachedPolicies.length) throw deleteConflict('Cannot delete entity, must detach all policies first.');
      if (Object.keys(role.inlinePolicies).length) throw deleteConflict('Cannot delete entity, must delete policies first.');
      delete ctx.state.iam.roles[role.name];
      return {};
    },
  }),
};
