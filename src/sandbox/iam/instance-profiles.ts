import type {
  AddRoleToInstanceProfileRequest,
  CreateInstanceProfileRequest,
  CreateInstanceProfileResponse,
  DeleteInstanceProfileRequest,
  GetInstanceProfileRequest,
  GetInstanceProfileResponse,
  InstanceProfile,
  ListInstanceProfilesForRoleRequest,
  ListInstanceProfilesForRoleResponse,
  ListInstanceProfilesRequest,
  ListInstanceProfilesResponse,
  RemoveRoleFromInstanceProfileRequest,
} from '@aws-sdk/client-iam';
import { fault } from '../errors.js';
import { op, type CallContext, type Operation, type Out } from '../operation.js';
import type { IamInstanceProfile, SandboxState } from '../state.js';
import { alreadyExists, findByName, iamArn, iamName, iamPath, limitExceeded, mergeTags, noSuchEntity, requireRole, roleOut } from './common.js';

const NO_PROFILES: Record<string, IamInstanceProfile> = Object.freeze({}) as Record<string, IamInstanceProfile>;

/** Read-only calls see the live state and must not add to it. */
export function instanceProfilesOf(state: SandboxState): Record<string, IamInstanceProfile> {
  return state.iam.instanceProfiles ?? NO_PROFILES;
}

function requireProfile(state: SandboxState, name: string | undefined): IamInstanceProfile {
  const profile = findByName(instanceProfilesOf(state), name);
  if (!profile) throw noSuchEntity(`Instance Profile ${name} cannot be found.`);
  return profile;
}

/** IAM's ARN for an instance profile: `…:instance-profile/<path><name>`. */
const profileArn = (state: SandboxState, path: string, name: string) => `arn:aws:iam::${state.accountId}:instance-profile${path}${name}`;
const profileResource = (ctx: CallContext, name: string | undefined) => findByName(instanceProfilesOf(ctx.state), name)?.arn ?? profileArn(ctx.state, '/', name ?? '');

function profileOut(state: SandboxState, profile: IamInstanceProfile): InstanceProfile {
  return {
    Path: profile.path,
    InstanceProfileName: profile.name,
    InstanceProfileId: profile.id,
    Arn: profile.arn,
    CreateDate: new Date(profile.createdAt),
    Roles: profile.roles.map((name) => roleOut(requireRole(state, name))),
    Tags: profile.tags.length ? profile.tags.map((t) => ({ ...t })) : undefined,
  };
}

export const instanceProfileOperations: Record<string, Operation> = {
  CreateInstanceProfile: op<CreateInstanceProfileRequest, Out<CreateInstanceProfileResponse>>({
    resource: (input, ctx) => profileArn(ctx.state, iamPath(input.Path), input.InstanceProfileName ?? ''),
    run: (input, ctx) => {
      const name = iamName(input.InstanceProfileName, 'instanceProfileName', 128);
      const path = iamPath(input.Path);
      const profiles = (ctx.state.iam.instanceProfiles ??= {});
      if (findByName(profiles, name)) throw alreadyExists(`Instance Profile ${name} already exists.`);
      // Instance profile ids start AIPA; IdSource makes the other IAM kinds, so borrow a role id's tail.
      const id = `AIPA${ctx.ids.uniqueId('AROA').slice(4)}`;
      const profile: IamInstanceProfile = { name, id, arn: profileArn(ctx.state, path, name), path, createdAt: ctx.now, roles: [], tags: mergeTags([], input.Tags) };
      profiles[name] = profile;
      return { InstanceProfile: profileOut(ctx.state, profile) };
    },
  }),

  GetInstanceProfile: op<GetInstanceProfileRequest, Out<GetInstanceProfileResponse>>({
    resource: (input, ctx) => profileResource(ctx, input.InstanceProfileName),
    run: (input, ctx) => ({ InstanceProfile: profileOut(ctx.state, requireProfile(ctx.state, input.InstanceProfileName)) }),
  }),

  AddRoleToInstanceProfile: op<AddRoleToInstanceProfileRequest, object>({
    resource: (input, ctx) => profileResource(ctx, input.InstanceProfileName),
    run: (input, ctx) => {
      const profile = requireProfile(ctx.state, input.InstanceProfileName);
      const role = requireRole(ctx.state, input.RoleName);
      if (profile.roles.length >= 1) throw limitExceeded('Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1');
      profile.roles.push(role.name);
      return {};
    },
  }),

  RemoveRoleFromInstanceProfile: op<RemoveRoleFromInstanceProfileRequest, object>({
    resource: (input, ctx) => profileResource(ctx, input.InstanceProfileName),
    run: (input, ctx) => {
      const profile = requireProfile(ctx.state, input.InstanceProfileName);
      const role = requireRole(ctx.state, input.RoleName);
      if (!profile.roles.includes(role.name)) throw noSuchEntity(`The role with name ${input.RoleName} cannot be found.`);
      profile.roles = profile.roles.filter((r) => r !== role.name);
      return {};
    },
  }),

  DeleteInstanceProfile: op<DeleteInstanceProfileRequest, object>({
    resource: (input, ctx) => profileResource(ctx, input.InstanceProfileName),
    run: (input, ctx) => {
      const profile = requireProfile(ctx.state, input.InstanceProfileName);
      if (profile.roles.length) throw fault('DeleteConflict', 'Cannot delete entity, must remove roles from instance profile first.', 409);
      delete ctx.state.iam.instanceProfiles![profile.name];
      return {};
    },
  }),

  ListInstanceProfiles: op<ListInstanceProfilesRequest, Out<ListInstanceProfilesResponse>>({
    run: (input, ctx) => {
      const prefix = input.PathPrefix ?? '/';
      const profiles = Object.values(instanceProfilesOf(ctx.state)).filter((p) => p.path.startsWith(prefix));
      return { InstanceProfiles: profiles.map((p) => profileOut(ctx.state, p)), IsTruncated: false };
    },
  }),

  ListInstanceProfilesForRole: op<ListInstanceProfilesForRoleRequest, Out<ListInstanceProfilesForRoleResponse>>({
    resource: (input, ctx) => findByName(ctx.state.iam.roles, input.RoleName)?.arn ?? iamArn(ctx.state, 'role', '/', input.RoleName ?? ''),
    run: (input, ctx) => {
      const role = requireRole(ctx.state, input.RoleName);
      const profiles = Object.values(instanceProfilesOf(ctx.state)).filter((p) => p.roles.includes(role.name));
      return { InstanceProfiles: profiles.map((p) => profileOut(ctx.state, p)), IsTruncated: false };
    },
  }),
};
