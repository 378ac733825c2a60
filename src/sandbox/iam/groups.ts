import type {
  AttachGroupPolicyRequest,
  CreateGroupRequest,
  CreateGroupResponse,
  GetGroupPolicyRequest,
  GetGroupPolicyResponse,
  GetGroupRequest,
  GetGroupResponse,
  ListAttachedGroupPoliciesRequest,
  ListAttachedGroupPoliciesResponse,
  PutGroupPolicyRequest,
} from '@aws-sdk/client-iam';
import { op, validationError, type CallContext, type Operation, type Out } from '../operation.js';
import { parsePolicy } from '../policy.js';
import {
  adoptPolicy,
  alreadyExists,
  encodeDocument,
  findByName,
  findPolicy,
  groupOut,
  iamArn,
  iamName,
  iamPath,
  limitExceeded,
  noSuchEntity,
  requireGroup,
  userOut,
} from './common.js';

const POLICIES_PER_GROUP = 10;
/** Inline group policies share 5,120 characters (whitespace excluded) per group. */
const INLINE_SIZE = 5120;

const groupResource = (ctx: CallContext, name: string | undefined) => findByName(ctx.state.iam.groups, name)?.arn ?? iamArn(ctx.state, 'group', '/', name ?? '');

export const groupOperations: Record<string, Operation> = {
  GetGroup: op<GetGroupRequest, Out<GetGroupResponse>>({
    resource: (input, ctx) => groupResource(ctx, input.GroupName),
    run: (input, ctx) => {
      const group = requireGroup(ctx.state, input.GroupName);
      const members = Object.values(ctx.state.iam.users).filter((u) => u.groups.some((m) => m.group === group.name));
      return { Group: groupOut(group), Users: members.map((u) => userOut(u, false)), IsTruncated: false };
    },
  }),

  CreateGroup: op<CreateGroupRequest, Out<CreateGroupResponse>>({
    resource: (input, ctx) => iamArn(ctx.state, 'group', iamPath(input.Path), input.GroupName ?? ''),
    run: (input, ctx) => {
      const name = iamName(input.GroupName, 'groupName', 128);
      const path = iamPath(input.Path);
      if (findByName(ctx.state.iam.groups, name)) throw alreadyExists(`Group with name ${name} already exists.`);
      const group = { name, id: ctx.ids.uniqueId('AGPA'), arn: iamArn(ctx.state, 'group', path, name), path, createdAt: ctx.now, attachedPolicies: [], inlinePolicies: {} };
      ctx.state.iam.groups[name] = group;
      return { Group: groupOut(group) };
    },
  }),

  PutGroupPolicy: op<PutGroupPolicyRequest, object>({
    resource: (input, ctx) => groupResource(ctx, input.GroupName),
    run: (input, ctx) => {
      const group = requireGroup(ctx.state, input.GroupName);
      const name = iamName(input.PolicyName, 'policyName', 128);
      const document = input.PolicyDocument ?? '';
      if (!document) throw validationError("1 validation error detected: Value null at 'policyDocument' failed to satisfy constraint: Member must not be null");
      parsePolicy(document, 'identity');
      const others = Object.entries(group.inlinePolicies).filter(([key]) => key !== name).map(([, doc]) => doc);
      const size = [...others, document].join('').replace(/\s/g, '').length;
      if (size > INLINE_SIZE) throw limitExceeded(`Maximum policy size of ${INLINE_SIZE} bytes exceeded for group ${group.name}`);
      group.inlinePolicies[name] = document; // PutGroupPolicy overwrites: always safe to repeat
      return {};
    },
  }),

  GetGroupPolicy: op<GetGroupPolicyRequest, Out<GetGroupPolicyResponse>>({
    resource: (input, ctx) => groupResource(ctx, input.GroupName),
    run: (input, ctx) => {
      const group = requireGroup(ctx.state, input.GroupName);
      const document = input.PolicyName !== undefined ? group.inlinePolicies[input.PolicyName] : undefined;
      if (document === undefined) throw noSuchEntity(`The group policy with name ${input.PolicyName} cannot be found.`);
      return { GroupName: group.name, PolicyName: input.PolicyName, PolicyDocument: encodeDocument(document) };
    },
  }),

  AttachGroupPolicy: op<AttachGroupPolicyRequest, object>({
    resource: (input, ctx) => groupResource(ctx, input.GroupName),
    run: (input, ctx) => {
      const group = requireGroup(ctx.state, input.GroupName);
      const policy = adoptPolicy(ctx.state, input.PolicyArn);
      if (!policy) throw noSuchEntity(`Policy ${input.PolicyArn} does not exist or is not attachable.`);
      if (group.attachedPolicies.includes(policy.arn)) return {};
      if (group.attachedPolicies.length >= POLICIES_PER_GROUP) throw limitExceeded(`Cannot exceed quota for PoliciesPerGroup: ${POLICIES_PER_GROUP}`);
      group.attachedPolicies.push(policy.arn);
      return {};
    },
  }),

  ListAttachedGroupPolicies: op<ListAttachedGroupPoliciesRequest, Out<ListAttachedGroupPoliciesResponse>>({
    resource: (input, ctx) => groupResource(ctx, input.GroupName),
    run: (input, ctx) => {
      const group = requireGroup(ctx.state, input.GroupName);
      const attached = group.attachedPolicies.map((arn) => findPolicy(ctx.state, arn)).filter((p) => p !== undefined);
      return { AttachedPolicies: attached.map((p) => ({ PolicyName: p.name, PolicyArn: p.arn })), IsTruncated: false };
    },
  }),
};
