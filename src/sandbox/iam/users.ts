import { createHash } from 'node:crypto';
import type {
  AddUserToGroupRequest,
  CreateLoginProfileRequest,
  CreateLoginProfileResponse,
  CreateUserRequest,
  CreateUserResponse,
  GetLoginProfileRequest,
  GetLoginProfileResponse,
  GetUserRequest,
  GetUserResponse,
  ListGroupsForUserRequest,
  ListGroupsForUserResponse,
  ListUserTagsRequest,
  ListUserTagsResponse,
  TagUserRequest,
  UpdateLoginProfileRequest,
} from '@aws-sdk/client-iam';
import { op, type Operation, type Out } from '../operation.js';
import { checkPassword } from './account.js';
import {
  alreadyExists,
  findByName,
  groupOut,
  iamArn,
  iamName,
  iamPath,
  limitExceeded,
  mergeTags,
  noSuchEntity,
  requireGroup,
  requireUser,
  subjectUserName,
  userOut,
  userResource,
} from './common.js';

const GROUPS_PER_USER = 10;

// Only a hash is kept: nothing in the sandbox ever needs a password back.
const passwordHash = (password: string) => createHash('sha256').update(password).digest('hex');

export const userOperations: Record<string, Operation> = {
  GetUser: op<GetUserRequest, Out<GetUserResponse>>({
    resource: (input, ctx) => userResource(ctx, input.UserName),
    run: (input, ctx) => ({ User: userOut(requireUser(ctx.state, subjectUserName(ctx, input.UserName))) }),
  }),

  CreateUser: op<CreateUserRequest, Out<CreateUserResponse>>({
    resource: (input, ctx) => iamArn(ctx.state, 'user', iamPath(input.Path), input.UserName ?? ''),
    run: (input, ctx) => {
      const name = iamName(input.UserName, 'userName');
      if (findByName(ctx.state.iam.users, name)) throw alreadyExists(`User with name ${name} already exists.`);
      const path = iamPath(input.Path);
      const user = {
        name,
        id: ctx.ids.uniqueId('AIDA'),
        arn: iamArn(ctx.state, 'user', path, name),
        path,
        createdAt: ctx.now,
        tags: mergeTags([], input.Tags),
        groups: [],
        attachedPolicies: [],
        inlinePolicies: {},
        accessKeys: [],
      };
      ctx.state.iam.users[name] = user;
      return { User: userOut(user) };
    },
  }),

  TagUser: op<TagUserRequest, object>({
    resource: (input, ctx) => userResource(ctx, input.UserName),
    run: (input, ctx) => {
      const user = requireUser(ctx.state, input.UserName);
      user.tags = mergeTags(user.tags, input.Tags);
      return {};
    },
  }),

  ListUserTags: op<ListUserTagsRequest, Out<ListUserTagsResponse>>({
    resource: (input, ctx) => userResource(ctx, input.UserName),
    run: (input, ctx) => ({ Tags: requireUser(ctx.state, input.UserName).tags.map((t) => ({ ...t })), IsTruncated: false }),
  }),

  AddUserToGroup: op<AddUserToGroupRequest, object>({
    resource: (input, ctx) => findByName(ctx.state.iam.groups, input.GroupName)?.arn ?? iamArn(ctx.state, 'group', '/', input.GroupName ?? ''),
    run: (input, ctx) => {
      const group = requireGroup(ctx.state, input.GroupName);
      const user = requireUser(ctx.state, input.UserName);
      if (user.groups.some((m) => m.group === group.name)) return {}; // adding again is a no-op, as in IAM
      if (user.groups.length >= GROUPS_PER_USER) throw limitExceeded(`Cannot exceed quota for GroupsPerUser: ${GROUPS_PER_USER}`);
      user.groups.push({ group: group.name, at: ctx.now });
      return {};
    },
  }),

  ListGroupsForUser: op<ListGroupsForUserRequest, Out<ListGroupsForUserResponse>>({
    resource: (input, ctx) => userResource(ctx, input.UserName),
    run: (input, ctx) => {
      const user = requireUser(ctx.state, input.UserName);
      const groups = user.groups.map((m) => ctx.state.iam.groups[m.group]).filter((g) => g !== undefined);
      return { Groups: groups.map(groupOut), IsTruncated: false };
    },
  }),

  GetLoginProfile: op<GetLoginProfileRequest, Out<GetLoginProfileResponse>>({
    resource: (input, ctx) => userResource(ctx, input.UserName),
    run: (input, ctx) => {
      const user = requireUser(ctx.state, subjectUserName(ctx, input.UserName));
      if (!user.loginProfile) throw noSuchEntity(`Login Profile for User ${user.name} cannot be found.`);
      return { LoginProfile: { UserName: user.name, CreateDate: new Date(user.loginProfile.createdAt), PasswordResetRequired: user.loginProfile.passwordResetRequired } };
    },
  }),

  CreateLoginProfile: op<CreateLoginProfileRequest, Out<CreateLoginProfileResponse>>({
    resource: (input, ctx) => userResource(ctx, input.UserName),
    run: (input, ctx) => {
      const user = requireUser(ctx.state, subjectUserName(ctx, input.UserName));
      if (user.loginProfile) throw alreadyExists(`Login Profile for user ${user.name} already exists.`);
      checkPassword(ctx.state, user.name, input.Password ?? '');
      const passwordResetRequired = input.PasswordResetRequired ?? false;
      user.loginProfile = { createdAt: ctx.now, passwordResetRequired, passwordSha256: passwordHash(input.Password ?? '') };
      return { LoginProfile: { UserName: user.name, CreateDate: new Date(ctx.now), PasswordResetRequired: passwordResetRequired } };
    },
  }),

  UpdateLoginProfile: op<UpdateLoginProfileRequest, object>({
    resource: (input, ctx) => userResource(ctx, input.UserName),
    run: (input, ctx) => {
      const user = requireUser(ctx.state, input.UserName);
      const profile = user.loginProfile;
      if (!profile) throw noSuchEntity(`Login Profile for User ${user.name} cannot be found.`);
      if (input.Password !== undefined) {
        checkPassword(ctx.state, user.name, input.Password);
        profile.passwordSha256 = passwordHash(input.Password);
      }
      if (input.PasswordResetRequired !== undefined) profile.passwordResetRequired = input.PasswordResetRequired;
      return {};
    },
  }),
};
