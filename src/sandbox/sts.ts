import {
  ExpiredTokenException,
  MalformedPolicyDocumentException,
  PackedPolicyTooLargeException,
  RegionDisabledException,
  STSServiceException,
  type AssumeRoleRequest,
  type AssumeRoleResponse,
  type GetCallerIdentityResponse,
} from '@aws-sdk/client-sts';
import { authorize } from './authz.js';
import { callerContext, visible, type Caller } from './caller.js';
import { fault, toSdkError, type ExceptionTable } from './errors.js';
import { acceptedStep, markUsed } from './mfa-codes.js';
import { op, validationError, type CallContext, type Out, type ServiceFake } from './operation.js';
import { trustDecision } from './policy.js';
import type { IamRole } from './state.js';

/** Wire codes STS's model names. AccessDenied, ExpiredToken, InvalidClientTokenId, ValidationError are not modeled. */
const exceptions: ExceptionTable = {
  base: STSServiceException,
  modeled: {
    ExpiredTokenException: ExpiredTokenException,
    MalformedPolicyDocument: MalformedPolicyDocumentException,
    PackedPolicyTooLarge: PackedPolicyTooLargeException,
    RegionDisabledException: RegionDisabledException,
  },
  senderType: true,
};

const accessDenied = (message: string) => fault('AccessDenied', message, 403);
// STS's own words for the two ways an MFA code fails.
const MFA_INVALID_CODE = 'MultiFactorAuthentication failed with invalid MFA one time pass code.';
const MFA_UNKNOWN_SERIAL = 'MultiFactorAuthentication failed, unable to validate MFA code. Please verify your MFA serial number is valid and associated with this user.';

function checkDuration(input: AssumeRoleRequest, role: IamRole | undefined, caller: Caller): number {
  const duration = input.DurationSeconds ?? 3600;
  if (duration < 900 || duration > 43200) {
    throw validationError(`1 validation error detected: Value '${duration}' at 'durationSeconds' failed to satisfy constraint: Member must have value ${duration < 900 ? 'greater than or equal to 900' : 'less than or equal to 43200'}`);
  }
  if (caller.kind === 'session' && duration > 3600) throw validationError('The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
  if (role && duration > role.maxSessionDuration) throw validationError('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  return duration;
}

/** Validates SerialNumber + TokenCode; true when the request carries MFA. Spends the code on success. */
function checkMfa(input: AssumeRoleRequest, ctx: CallContext): boolean {
  if (input.SerialNumber === undefined && input.TokenCode === undefined) return false;
  const device = input.SerialNumber !== undefined ? ctx.state.iam.mfaDevices[input.SerialNumber] : undefined;
  const owner = ctx.caller.kind === 'user' ? ctx.caller.user.name : undefined;
  if (!device || device.user === undefined || device.user !== owner) throw accessDenied(MFA_UNKNOWN_SERIAL);
  const step = acceptedStep(device, input.TokenCode, ctx.now);
  if (step === undefined) throw accessDenied(MFA_INVALID_CODE);
  markUsed(device, [step], ctx.now);
  return true;
}

function assumeRole(input: AssumeRoleRequest, ctx: CallContext): Out<AssumeRoleResponse> {
  const { state, caller, now } = ctx;
  const roleArn = input.RoleArn ?? '';
  const sessionName = input.RoleSessionName ?? '';
  if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) {
    throw validationError(`1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`);
  }
  const notAuthorized = accessDenied(`User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
  // A role IAM has not propagated yet looks exactly like one the caller may not assume.
  const role = Object.values(state.iam.roles).find((r) => r.arn === roleArn && visible(state, r.createdAt, now));
  const duration = checkDuration(input, role, caller);
  const mfa = checkMfa(input, ctx);
  if (!role) throw notAuthorized;

  const mfaContext = mfa ? { 'aws:multifactorauthpresent': 'true', 'aws:multifactorauthage': '0' } : {};
  const context = { ...callerContext(state, caller, now), ...mfaContext };
  const callerArns = caller.kind === 'user' ? [caller.arn] : [caller.arn, caller.role?.arn ?? ''];
  const trust = trustDecision(role.trustPolicy, callerArns, state.accountId, 'sts:AssumeRole', context);
  if (trust === undefined || trust === 'deny') throw notAuthorized;
  // Inside one account, a trust policy that trusts the account (not the caller by name) also needs an
  // identity policy allowing sts:AssumeRole — the Administrators group's inline policy.
  if (trust === 'account' && authorize(state, caller, 'sts:AssumeRole', role.arn, now, mfaContext).decision !== 'allow') throw notAuthorized;

  const session = {
    accessKeyId: ctx.ids.accessKeyId('ASIA'),
    secret: ctx.ids.secretAccessKey(),
    token: ctx.ids.sessionToken(),
    roleName: role.name,
    sessionName,
    createdAt: now,
    expiresAt: now + duration * 1000,
    mfa,
    sourceArn: caller.arn,
  };
  // Expired sessions are forgotten after a day, keeping the sandbox file small.
  for (const [id, old] of Object.entries(state.sts.sessions)) if (old.expiresAt < now - 86_400_000) delete state.sts.sessions[id];
  state.sts.sessions[session.accessKeyId] = session;
  return {
    Credentials: { AccessKeyId: session.accessKeyId, SecretAccessKey: session.secret, SessionToken: session.token, Expiration: new Date(session.expiresAt) },
    AssumedRoleUser: { AssumedRoleId: `${role.id}:${sessionName}`, Arn: `arn:aws:sts::${state.accountId}:assumed-role/${role.name}/${sessionName}` },
  };
}

/** The STS fake: who am I, and role assumption with MFA, trust policies and expiring sessions. */
export const stsFake: ServiceFake = {
  prefix: 'sts',
  serviceId: 'STS',
  operations: {
    // Needs no permission and is never denied — only unusable credentials fail it.
    GetCallerIdentity: op<object, Out<GetCallerIdentityResponse>>({
      resource: false,
      run: (_input, ctx) => ({ UserId: ctx.caller.userId, Account: ctx.state.accountId, Arn: ctx.caller.arn }),
    }),
    AssumeRole: op<AssumeRoleRequest, Out<AssumeRoleResponse>>({ resource: false, run: assumeRole }),
  },
  toError: (f, requestId) => toSdkError(f, exceptions, requestId),
  denied: accessDenied,
};
