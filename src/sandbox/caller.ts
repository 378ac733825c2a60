import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { fault } from './errors.js';
import type { RequestContext } from './policy.js';
import type { IamRole, IamUser, SandboxState, StsSession } from './state.js';

/** Who signed the request: an IAM user's long-term key, or a role session from AssumeRole. */
export type Caller =
  | { kind: 'user'; arn: string; userId: string; accessKeyId: string; user: IamUser }
  | { kind: 'session'; arn: string; userId: string; accessKeyId: string; session: StsSession; role: IamRole | undefined };

// The messages AWS's query services send for credentials it cannot use.
const INVALID_TOKEN = 'The security token included in the request is invalid.';
const EXPIRED_TOKEN = 'The security token included in the request is expired';
const BAD_SIGNATURE =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/** Whether something created at `createdAt` has propagated through IAM yet. */
export function visible(state: SandboxState, createdAt: number, now: number): boolean {
  return now - createdAt >= state.propagationSeconds * 1000;
}

/**
 * Finds the identity behind the credentials, failing as AWS authentication does: unknown, inactive or
 * not-yet-propagated keys → InvalidClientTokenId; a wrong secret → SignatureDoesNotMatch; a session past
 * its Expiration → ExpiredToken. (EC2 renames these; see ec2.ts.)
 */
export function resolveCaller(state: SandboxState, credentials: AwsCredentialIdentity, now: number): Caller {
  const { accessKeyId, secretAccessKey, sessionToken } = credentials;
  const session = state.sts.sessions[accessKeyId];
  if (session) {
    if (sessionToken !== session.token) throw fault('InvalidClientTokenId', INVALID_TOKEN, 403);
    if (secretAccessKey !== session.secret) throw fault('SignatureDoesNotMatch', BAD_SIGNATURE, 403);
    if (now >= session.expiresAt) throw fault('ExpiredToken', EXPIRED_TOKEN, 403);
    const role = state.iam.roles[session.roleName];
    return {
      kind: 'session',
      arn: `arn:aws:sts::${state.accountId}:assumed-role/${session.roleName}/${session.sessionName}`,
      userId: `${role?.id ?? 'AROA'}:${session.sessionName}`,
      accessKeyId,
      session,
      role,
    };
  }
  for (const user of Object.values(state.iam.users)) {
    const key = user.accessKeys.find((k) => k.id === accessKeyId);
    if (!key) continue;
    if (key.status !== 'Active' || !visible(state, key.createdAt, now)) throw fault('InvalidClientTokenId', INVALID_TOKEN, 403);
    if (secretAccessKey !== key.secret) throw fault('SignatureDoesNotMatch', BAD_SIGNATURE, 403);
    return { kind: 'user', arn: user.arn, userId: user.id, accessKeyId, user };
  }
  throw fault('InvalidClientTokenId', INVALID_TOKEN, 403);
}

/**
 * The global condition keys IAM sets for this caller. Long-term keys carry no MFA keys at all (so
 * `Null aws:MultiFactorAuthAge` is true for them); a session carries MultiFactorAuthPresent either way.
 */
export function callerContext(state: SandboxState, caller: Caller, now: number): RequestContext {
  const base: RequestContext = { 'aws:principalaccount': state.accountId, 'aws:userid': caller.userId };
  if (caller.kind === 'user') return { ...base, 'aws:username': caller.user.name, 'aws:principalarn': caller.arn, 'aws:principaltype': 'User' };
  const { session } = caller;
  return {
    ...base,
    'aws:principalarn': caller.role?.arn ?? caller.arn,
    'aws:principaltype': 'AssumedRole',
    'aws:multifactorauthpresent': session.mfa ? 'true' : 'false',
    ...(session.mfa ? { 'aws:multifactorauthage': String(Math.floor((now - session.createdAt) / 1000)) } : {}),
  };
}
