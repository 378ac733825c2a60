import type {
  AttachRolePolicyRequest,
  CreateRoleRequest,
  CreateRoleResponse,
  GetRoleRequest,
  GetRoleResponse,
  ListAttachedRolePoliciesRequest,
  ListAttachedRolePoliciesResponse,
  ListRoleTagsRequest,
  ListRoleTagsResponse,
  TagRoleRequest,
  UpdateAssumeRolePolicyRequest,
} from '@aws-sdk/client-iam';
import { visible } from '../caller.js';
import { op, validationError, type CallContext, type Operation, type Out } from '../operation.js';
import { parsePolicy } from '../policy.js';
import type { SandboxState } from '../state.js';
import { adoptPolicy, alreadyExists, findByName, findPolicy, iamArn, iamName, iamPath, limitExceeded, mergeTags, noSuchEntity, requireModifiableRole, requireRole, roleOut } from './common.js';

const POLICIES_PER_ROLE = 10;
const TRUST_POLICY_SIZE = 2048;

const roleResource = (ctx: CallContext, name: string | undefined) => findByName(ctx.state.iam.roles, name)?.arn ?? iamArn(ctx.state, 'role', '/', name ?? '');

/** Checks a trust policy as CreateRole and UpdateAssumeRolePolicy do. */
function checkTrust(ctx: CallContext, document: string | undefined, member: string): string {
  if (!document) throw validationError(`1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`);
  if (document.replace(/\s/g, '').length > TRUST_POLICY_SIZE) throw limitExceeded(`Cannot exceed quota for ACLSizePerRole: ${TRUST_POLICY_SIZE}`);
  parsePolicy(document, 'trust', (arn) => principalExists(ctx.state, arn, ctx.now));
  return document;
}

/**
 * Trust policies may name users and roles of this account only once they exist — and, IAM being
 * eventually consistent, once they have propagated: naming a user made a moment ago is an invalid principal.
 */
function principalExists(state: SandboxState, arn: string, now: number): boolean {
  if (!arn.startsWith(`arn:aws:iam::${state.accountId}:`) && !arn.startsWith(`arn:aws:sts::${state.accountId}:`)) return true;
  return [...Object.values(state.iam.users), ...Object.values(state.iam.roles)].some((p) => p.arn === arn && visible(state, p.createdAt, now));
}

export const roleOperations: Record<string, Operation> = {
  GetRole: op<GetRoleRequest, Out<GetRoleResponse>>({
    resource: (input, ctx) => roleResource(ctx, input.RoleName),
    run: (input, ctx) => ({ Role: { ...roleOut(requireRole(ctx.state, input.RoleName)), RoleLastUsed: {} } }),
  }),

  CreateRole: op<CreateRoleRequest, Out<CreateRoleResponse>>({
    resource: (input, ctx) => iamArn(ctx.state, 'role', iamPath(input.Path), input.RoleName ?? ''),
    run: (input, ctx) => {
      const name = iamName(input.RoleName, 'roleName');
      const path = iamPath(input.Path);
      if (findByName(ctx.state.iam.roles, name)) throw alreadyExists(`Role with name ${name} already exists.`);
      const trust = checkTrust(ctx, input.AssumeRolePolicyDocument, 'assumeRolePolicyDocument');
      const maxSessionDuration = input.MaxSessionDuration ?? 3600;
      if (maxSessionDuration < 3600 || maxSessionDuration > 43200) {
        throw validationError(`1 validation error detected: Value '${maxSessionDuration}' at 'maxSessionDuration' failed to satisfy constraint: Member must have value between 3600 and 43200`);
      }
      const role = {
        name,
        id: ctx.ids.uniqueId('AROA'),
        arn: iamArn(ctx.state, 'role', path, name),
        path,
        createdAt: ctx.now,
        trustPolicy: trust,
        ...(input.Description !== undefined ? { description: input.Description } : {}),
        maxSessionDuration,
        tags: mergeTags([], input.Tags),
        attachedPolicies: [],
        inlinePolicies: {},
      };
      ctx.state.iam.roles[name] = role;
      return { Role: roleOut(role) };
    },
  }),

  UpdateAssumeRolePolicy: op<UpdateAssumeRolePolicyRequest, object>({
    resource: (input, ctx) => roleResource(ctx, input.RoleName),
    run: (input, ctx) => {
      const role = requireRole(ctx.state, input.RoleName);
      role.trustPolicy = checkTrust(ctx, input.PolicyDocument, 'policyDocument');
      return {};
    },
  }),

  TagRole: op<TagRoleRequest, object>({
    resource: (input, ctx) => roleResource(ctx, input.RoleName),
    run: (input, ctx) => {
      const role = requireRole(ctx.state, input.RoleName);
      role.tags = mergeTags(role.tags, input.Tags);
      return {};
    },
  }),

  ListRoleTags: op<ListRoleTagsRequest, Out<ListRoleTagsResponse>>({
    resource: (input, ctx) => roleResource(ctx, input.RoleName),
    run: (input, ctx) => ({ Tags: requireRole(ctx.state, input.RoleName).tags.map((t) => ({ ...t })), IsTruncated: false }),
  }),

  AttachRolePolicy: op<AttachRolePolicyRequest, object>({
    resource: (input, ctx) => roleResource(ctx, input.RoleName),
    run: (input, ctx) => {
      const role = requireModifiableRole(ctx.state, input.RoleName);
      const policy = adoptPolicy(ctx.state, input.PolicyArn);
      if (!policy) throw noSuchEntity(`Policy ${input.PolicyArn} does not exist or is not attachable.`);
      if (role.attachedPolicies.includes(policy.arn)) return {}; // re-attaching is a no-op
      if (role.attachedPolicies.length >= POLICIES_PER_ROLE) throw limitExceeded(`Cannot exceed quota for PoliciesPerRole: ${POLICIES_PER_ROLE}`);
      role.attachedPolicies.push(policy.arn);
      return {};
    },
  }),

  ListAttachedRolePolicies: op<ListAttachedRolePoliciesRequest, Out<ListAttachedRolePoliciesResponse>>({
    resource: (input, ctx) => roleResource(ctx, input.RoleName),
    run: (input, ctx) => {
      const role = requireRole(ctx.state, input.RoleName);
      const attached = role.attachedPolicies.map((arn) => findPolicy(ctx.state, arn)).filter((p) => p !== undefined);
      return { AttachedPolicies: attached.map((p) => ({ PolicyName: p.name, PolicyArn: p.arn })), IsTruncated: false };
    },
  }),
};
