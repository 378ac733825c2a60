import type {
  CreatePolicyRequest,
  CreatePolicyResponse,
  CreatePolicyVersionRequest,
  CreatePolicyVersionResponse,
  DeletePolicyVersionRequest,
  GetPolicyRequest,
  GetPolicyResponse,
  GetPolicyVersionRequest,
  GetPolicyVersionResponse,
  ListPolicyTagsRequest,
  ListPolicyTagsResponse,
  ListPolicyVersionsRequest,
  ListPolicyVersionsResponse,
  TagPolicyRequest,
} from '@aws-sdk/client-iam';
import { fault } from '../errors.js';
import { op, validationError, type Operation, type Out } from '../operation.js';
import { parsePolicy } from '../policy.js';
import type { ManagedPolicy, PolicyVersion, SandboxState } from '../state.js';
import { alreadyExists, encodeDocument, findPolicy, iamArn, iamName, iamPath, limitExceeded, mergeTags, noSuchEntity, policyOut } from './common.js';

const MAX_VERSIONS = 5;
/** Managed policies: 6,144 characters, whitespace excluded. */
const POLICY_SIZE = 6144;

function requirePolicy(state: SandboxState, arn: string | undefined): ManagedPolicy {
  const policy = findPolicy(state, arn);
  if (!policy) throw noSuchEntity(`Policy ${arn} was not found.`);
  return policy;
}

function requireVersion(policy: ManagedPolicy, id: string | undefined): PolicyVersion {
  const version = policy.versions.find((v) => v.id === id);
  if (!version) throw noSuchEntity(`Policy ${policy.arn} version ${id} does not exist or is not attachable.`);
  return version;
}

/** Checks a managed-policy document as CreatePolicy / CreatePolicyVersion do. */
function checkDocument(document: string | undefined): string {
  if (!document) throw validationError("1 validation error detected: Value null at 'policyDocument' failed to satisfy constraint: Member must not be null");
  if (document.replace(/\s/g, '').length > POLICY_SIZE) throw limitExceeded(`Cannot exceed quota for PolicySize: ${POLICY_SIZE}`);
  parsePolicy(document, 'identity');
  return document;
}

const versionOut = (policy: ManagedPolicy, v: PolicyVersion) => ({ VersionId: v.id, IsDefaultVersion: v.id === policy.defaultVersionId, CreateDate: new Date(v.createdAt) });

const policyArn = (input: { PolicyArn?: string }) => input.PolicyArn ?? '*';

export const policyOperations: Record<string, Operation> = {
  GetPolicy: op<GetPolicyRequest, Out<GetPolicyResponse>>({
    resource: policyArn,
    run: (input, ctx) => ({ Policy: policyOut(ctx.state, requirePolicy(ctx.state, input.PolicyArn)) }),
  }),

  CreatePolicy: op<CreatePolicyRequest, Out<CreatePolicyResponse>>({
    resource: (input, ctx) => iamArn(ctx.state, 'policy', iamPath(input.Path), input.PolicyName ?? ''),
    run: (input, ctx) => {
      const name = iamName(input.PolicyName, 'policyName', 128);
      const path = iamPath(input.Path);
      // Names are unique within the account whatever the path.
      const taken = Object.values(ctx.state.iam.policies).some((p) => !p.awsManaged && p.name.toLowerCase() === name.toLowerCase());
      if (taken) throw alreadyExists(`A policy called ${name} already exists. Duplicate names are not allowed.`);
      const document = checkDocument(input.PolicyDocument);
      const policy: ManagedPolicy = {
        name,
        id: ctx.ids.uniqueId('ANPA'),
        arn: iamArn(ctx.state, 'policy', path, name),
        path,
        createdAt: ctx.now,
        updatedAt: ctx.now,
        ...(input.Description !== undefined ? { description: input.Description } : {}),
        tags: mergeTags([], input.Tags),
        defaultVersionId: 'v1',
        nextVersion: 2,
        versions: [{ id: 'v1', document, createdAt: ctx.now }],
        awsManaged: false,
      };
      ctx.state.iam.policies[policy.arn] = policy;
      return { Policy: policyOut(ctx.state, policy) };
    },
  }),

  GetPolicyVersion: op<GetPolicyVersionRequest, Out<GetPolicyVersionResponse>>({
    resource: policyArn,
    run: (input, ctx) => {
      const policy = requirePolicy(ctx.state, input.PolicyArn);
      const version = requireVersion(policy, input.VersionId);
      return { PolicyVersion: { Document: encodeDocument(version.document), ...versionOut(policy, version) } };
    },
  }),

  ListPolicyVersions: op<ListPolicyVersionsRequest, Out<ListPolicyVersionsResponse>>({
    resource: policyArn,
    run: (input, ctx) => {
      const policy = requirePolicy(ctx.state, input.PolicyArn);
      const newestFirst = [...policy.versions].sort((a, b) => b.createdAt - a.createdAt || Number(b.id.slice(1)) - Number(a.id.slice(1)));
      return { Versions: newestFirst.map((v) => versionOut(policy, v)), IsTruncated: false };
    },
  }),

  CreatePolicyVersion: op<CreatePolicyVersionRequest, Out<CreatePolicyVersionResponse>>({
    resource: policyArn,
    run: (input, ctx) => {
      const policy = requirePolicy(ctx.state, input.PolicyArn);
      if (policy.versions.length >= MAX_VERSIONS) {
        throw limitExceeded(`A managed policy can have up to ${MAX_VERSIONS} versions. Before you create a new version, you must delete an existing version.`);
      }
      const version = { id: `v${policy.nextVersion++}`, document: checkDocument(input.PolicyDocument), createdAt: ctx.now };
      policy.versions.push(version);
      if (input.SetAsDefault) policy.defaultVersionId = version.id;
      policy.updatedAt = ctx.now;
      return { PolicyVersion: versionOut(policy, version) };
    },
  }),

  DeletePolicyVersion: op<DeletePolicyVersionRequest, object>({
    resource: policyArn,
    run: (input, ctx) => {
      const policy = requirePolicy(ctx.state, input.PolicyArn);
      const version = requireVersion(policy, input.VersionId);
      if (version.id === policy.defaultVersionId) throw fault('DeleteConflict', 'Cannot delete the default version of a policy.', 409);
      policy.versions = policy.versions.filter((v) => v.id !== version.id);
      return {};
    },
  }),

  TagPolicy: op<TagPolicyRequest, object>({
    resource: policyArn,
    run: (input, ctx) => {
      const policy = requirePolicy(ctx.state, input.PolicyArn);
      policy.tags = mergeTags(policy.tags, input.Tags);
      return {};
    },
  }),

  ListPolicyTags: op<ListPolicyTagsRequest, Out<ListPolicyTagsResponse>>({
    resource: policyArn,
    run: (input, ctx) => ({ Tags: requirePolicy(ctx.state, input.PolicyArn).tags.map((t) => ({ ...t })), IsTruncated: false }),
  }),
};
