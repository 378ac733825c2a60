import type { Group, Policy, Role, Tag as SdkTag, User } from '@aws-sdk/client-iam';
import { fault } from '../errors.js';
import { validationError, type CallContext } from '../operation.js';
import { awsManagedPolicies } from '../seed.js';
import type { IamGroup, IamRole, IamUser, ManagedPolicy, SandboxState, Tag } from '../state.js';

export type Kind = 'user' | 'role' | 'group' | 'policy' | 'mfa';

export const noSuchEntity = (message: string) => fault('NoSuchEntity', message, 404);
export const alreadyExists = (message: string) => fault('EntityAlreadyExists', message, 409);
export const limitExceeded = (message: string) => fault('LimitExceeded', message, 409);

/** IAM ARNs carry the path: `arn:aws:iam::123456789012:user/division/alice`. */
export function iamArn(state: SandboxState, kind: Kind, path: string, name: string): string {
  return `arn:aws:iam::${state.accountId}:${kind}${path}${name}`;
}

/** Paths begin and end with "/", as IAM requires. */
export function iamPath(path: string | undefined): string {
  const value = path ?? '/';
  if (!/^\/([\x21-\x7e]*\/)?$/.test(value) || value.length > 512) {
    throw validationError(`The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.`);
  }
  return value;
}

/** IAM names: letters, digits and `+=,.@_-`; the SDK member name goes into the message as AWS writes it. */
export function iamName(value: string | undefined, member: string, max = 64): string {
  if (!value) throw validationError(`1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`);
  if (!/^[\w+=,.@-]+$/.test(value)) {
    throw validationError(`1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+`);
  }
  if (value.length > max) {
    throw validationError(`1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must have length less than or equal to ${max}`);
  }
  return value;
}

/** IAM names are unique regardless of case, and lookups ignore case too. */
export function findByName<T>(records: Record<string, T>, name: string | undefined): T | undefined {
  if (!name) return undefined;
  const wanted = name.toLowerCase();
  return records[name] ?? Object.entries(records).find(([key]) => key.toLowerCase() === wanted)?.[1];
}

export function requireUser(state: SandboxState, name: string | undefined): IamUser {
  const user = findByName(state.iam.users, name);
  if (!user) throw noSuchEntity(`The user with name ${name} cannot be found.`);
  return user;
}

export function requireRole(state: SandboxState, name: string | undefined): IamRole {
  const role = findByName(state.iam.roles, name);
  if (!role) throw noSuchEntity(`The role with name ${name} cannot be found.`);
  return role;
}

/** Service-linked roles belong to their service: IAM refuses to change or delete them directly. */
export function requireModifiableRole(state: SandboxState, name: string | undefined): IamRole {
  const role = requireRole(state, name);
  if (role.path.startsWith('/aws-service-role/')) {
    throw fault('UnmodifiableEntity', `Cannot perform the operation on the protected role '${role.name}' - this role is only modifiable by AWS`, 400);
  }
  return role;
}

export function requireGroup(state: SandboxState, name: string | undefined): IamGroup {
  const group = findByName(state.iam.groups, name);
  if (!group) throw noSuchEntity(`The group with name ${name} cannot be found.`);
  return group;
}

/**
 * A managed policy by ARN. AWS managed policies added to the seed after a sandbox was saved are found
 * in the seed list, so older sandbox files can attach them too (`adoptPolicy` then stores them).
 */
export function findPolicy(state: SandboxState, arn: string | undefined): ManagedPolicy | undefined {
  const stored = findByName(state.iam.policies, arn);
  if (stored || !arn?.startsWith('arn:aws:iam::aws:')) return stored;
  return awsManagedPolicies().find((p) => p.arn.toLowerCase() === arn.toLowerCase());
}

/**
 * The policy an attach call names, stored in the account if it only existed in the seed list — so
 * authorization (which reads the account's policies) sees what was attached. Mutating calls only.
 */
export function adoptPolicy(state: SandboxState, arn: string | undefined): ManagedPolicy | undefined {
  const policy = findPolicy(state, arn);
  if (policy && !state.iam.policies[policy.arn]) state.iam.policies[policy.arn] = policy;
  return policy;
}

/** The user a call is about: the named one, or the caller itself when the name is left out. */
export function subjectUserName(ctx: CallContext, given: string | undefined): string {
  if (given) return given;
  if (ctx.caller.kind === 'user') return ctx.caller.user.name;
  throw validationError('Must specify userName when calling with non-User credentials');
}

/** The ARN a user-scoped action is authorized against (the user's, with its real path if it exists). */
export function userResource(ctx: CallContext, given: string | undefined): string {
  if (!given && ctx.caller.kind !== 'user') return '*';
  const name = given ?? (ctx.caller.kind === 'user' ? ctx.caller.user.name : '');
  return findByName(ctx.state.iam.users, name)?.arn ?? iamArn(ctx.state, 'user', '/', name);
}

/** Tags by key: a later value for the same key replaces the earlier one. */
export function mergeTags(existing: Tag[], added: SdkTag[] | undefined): Tag[] {
  const byKey = new Map(existing.map((t) => [t.Key, t.Value]));
  for (const tag of added ?? []) {
    if (!tag.Key) throw validationError("1 validation error detected: Value null at 'tags.member.key' failed to satisfy constraint: Member must not be null");
    byKey.set(tag.Key, tag.Value ?? '');
  }
  if (byKey.size > 50) throw limitExceeded('Cannot exceed quota for TagsPerResource: 50');
  return [...byKey].map(([Key, Value]) => ({ Key, Value }));
}

const tagsOut = (tags: Tag[]) => (tags.length ? tags.map((t) => ({ ...t })) : undefined);

/** IAM returns policy documents URL-encoded (RFC 3986); the JS SDK does not decode them. */
export const encodeDocument = (document: string) => encodeURIComponent(document);

export function userOut(user: IamUser, withTags = true): User {
  return {
    Path: user.path,
    UserName: user.name,
    UserId: user.id,
    Arn: user.arn,
    CreateDate: new Date(user.createdAt),
    Tags: withTags ? tagsOut(user.tags) : undefined,
  };
}

export function groupOut(group: IamGroup): Group {
  return { Path: group.path, GroupName: group.name, GroupId: group.id, Arn: group.arn, CreateDate: new Date(group.createdAt) };
}

export function roleOut(role: IamRole): Role {
  return {
    Path: role.path,
    RoleName: role.name,
    RoleId: role.id,
    Arn: role.arn,
    CreateDate: new Date(role.createdAt),
    AssumeRolePolicyDocument: encodeDocument(role.trustPolicy),
    Description: role.description,
    MaxSessionDuration: role.maxSessionDuration,
    Tags: tagsOut(role.tags),
  };
}

export function policyOut(state: SandboxState, policy: ManagedPolicy): Policy {
  const holders = [...Object.values(state.iam.users), ...Object.values(state.iam.groups), ...Object.values(state.iam.roles)];
  return {
    PolicyName: policy.name,
    PolicyId: policy.id,
    Arn: policy.arn,
    Path: policy.path,
    DefaultVersionId: policy.defaultVersionId,
    AttachmentCount: holders.filter((h) => h.attachedPolicies.includes(policy.arn)).length,
    PermissionsBoundaryUsageCount: 0,
    IsAttachable: true,
    Description: policy.description,
    CreateDate: new Date(policy.createdAt),
    UpdateDate: new Date(policy.updatedAt),
    Tags: tagsOut(policy.tags),
  };
}
