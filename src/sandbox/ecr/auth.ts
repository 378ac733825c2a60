import { createHmac } from 'node:crypto';
import type { AuthorizationData, GetAuthorizationTokenRequest, GetAuthorizationTokenResponse } from '@aws-sdk/client-ecr';
import { op, type CallContext, type Operation, type Out } from '../operation.js';
import { registryOf } from './common.js';

/** ECR login tokens last 12 hours. */
export const TOKEN_LIFETIME_MS = 12 * 60 * 60 * 1000;

/**
 * A login token for `docker login`. With a registry it is that registry's own user and password, so
 * the login really works; real ECR's user is always `AWS` (the CI registry is made with that user too),
 * but a registry set up with another user keeps it. Every call is valid for 12 hours from the sandbox
 * clock, so a call after `expiresAt` gives a fresh token — but the registry password itself never
 * expires: a stale login keeps working against the registry, where ECR would answer "denied: Your
 * authorization token has expired". Flows must track `expiresAt` themselves (reference §9 step 4).
 *
 * Without a registry the token is ECR-shaped (`AWS:<opaque>`), new on every call, and good for nothing.
 */
function authorizationData(ctx: CallContext, registryId: string): AuthorizationData {
  const expiresAt = new Date(ctx.now + TOKEN_LIFETIME_MS);
  const registry = registryOf(ctx.state);
  if (registry) {
    return { authorizationToken: base64(`${registry.username}:${registry.password}`), expiresAt, proxyEndpoint: `http://${registry.endpoint}` };
  }
  const opaque = createHmac('sha256', ctx.state.accountId).update(`${ctx.caller.accessKeyId}:${registryId}:${ctx.now}`).digest('base64');
  return { authorizationToken: base64(`AWS:${opaque}`), expiresAt, proxyEndpoint: `https://${registryId}.dkr.ecr.${ctx.region}.amazonaws.com` };
}

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

export const authOperations: Record<string, Operation> = {
  // Resource "*": GetAuthorizationToken cannot be scoped to a repository (reference §9).
  GetAuthorizationToken: op<GetAuthorizationTokenRequest, Out<GetAuthorizationTokenResponse>>({
    run: (input, ctx) => ({
      // registryIds is deprecated: one token covers every registry the caller may use.
      authorizationData: (input.registryIds?.length ? input.registryIds : [ctx.state.accountId]).map((id) => authorizationData(ctx, id)),
    }),
  }),
};
