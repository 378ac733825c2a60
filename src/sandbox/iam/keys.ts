import type {
  CreateAccessKeyRequest,
  CreateAccessKeyResponse,
  DeleteAccessKeyRequest,
  ListAccessKeysRequest,
  ListAccessKeysResponse,
  UpdateAccessKeyRequest,
} from '@aws-sdk/client-iam';
import { op, validationError, type CallContext, type Operation, type Out } from '../operation.js';
import type { IamUser } from '../state.js';
import { limitExceeded, noSuchEntity, requireUser, subjectUserName, userResource } from './common.js';

const KEYS_PER_USER = 2;

function requireKey(user: IamUser, id: string | undefined) {
  const key = user.accessKeys.find((k) => k.id === id);
  if (!key) throw noSuchEntity(`The Access Key with id ${id} cannot be found.`);
  return key;
}

const owner = (ctx: CallContext, given: string | undefined) => requireUser(ctx.state, subjectUserName(ctx, given));

export const keyOperations: Record<string, Operation> = {
  CreateAccessKey: op<CreateAccessKeyRequest, Out<CreateAccessKeyResponse>>({
    resource: (input, ctx) => userResource(ctx, input.UserName),
    run: (input, ctx) => {
      const user = owner(ctx, input.UserName);
      if (user.accessKeys.length >= KEYS_PER_USER) throw limitExceeded(`Cannot exceed quota for AccessKeysPerUser: ${KEYS_PER_USER}`);
      const key = { id: ctx.ids.accessKeyId('AKIA'), secret: ctx.ids.secretAccessKey(), status: 'Active' as const, createdAt: ctx.now };
      user.accessKeys.push(key);
      return { AccessKey: { UserName: user.name, AccessKeyId: key.id, Status: key.status, SecretAccessKey: key.secret, CreateDate: new Date(key.createdAt) } };
    },
  }),

  ListAccessKeys: op<ListAccessKeysRequest, Out<ListAccessKeysResponse>>({
    resource: (input, ctx) => userResource(ctx, input.UserName),
    run: (input, ctx) => {
      const user = owner(ctx, input.UserName);
      return {
        AccessKeyMetadata: user.accessKeys.map((k) => ({ UserName: user.name, AccessKeyId: k.id, Status: k.status, CreateDate: new Date(k.createdAt) })),
        IsTruncated: false,
      };
    },
  }),

  UpdateAccessKey: op<UpdateAccessKeyRequest, object>({
    resource: (input, ctx) => userResource(ctx, input.UserName),
    run: (input, ctx) => {
      if (input.Status !== 'Active' && input.Status !== 'Inactive') {
        throw validationError(`1 validation error detected: Value '${input.Status}' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]`);
      }
      requireKey(owner(ctx, input.UserName), input.AccessKeyId).status = input.Status;
      return {};
    },
  }),

  DeleteAccessKey: op<DeleteAccessKeyRequest, object>({
    resource: (input, ctx) => userResource(ctx, input.UserName),
    run: (input, ctx) => {
      const user = owner(ctx, input.UserName);
      requireKey(user, input.AccessKeyId);
      user.accessKeys = user.accessKeys.filter((k) => k.id !== input.AccessKeyId);
      return {};
    },
  }),
};
