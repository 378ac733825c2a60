import { SlipwayError } from '../engine/errors.js';

export type AwsErrorKind =
  | 'already-exists'
  | 'not-found'
  | 'access-denied'
  | 'throttled'
  | 'expired-token'
  | 'invalid-credentials'
  | 'no-credentials'
  | 'not-propagated'
  | 'validation'
  | 'limit-exceeded'
  | 'invalid-mfa-code'
  | 'conflict'
  | 'network'
  | 'unsupported'
  | 'other';

/** Error names (the `name` the SDK gives, i.e. the service's error code) by what they mean for a flow. */
const KIND_BY_NAME: Record<string, AwsErrorKind> = {
  EntityAlreadyExists: 'already-exists',
  EntityAlreadyExistsException: 'already-exists',
  RepositoryAlreadyExistsException: 'already-exists',
  ResourceAlreadyExistsException: 'already-exists',
  'InvalidKeyPair.Duplicate': 'already-exists',
  'InvalidGroup.Duplicate': 'already-exists',
  DuplicateLoadBalancerName: 'already-exists',
  DuplicateTargetGroupName: 'already-exists',
  DuplicateListener: 'already-exists',
  AlreadyExistsFault: 'already-exists',
  'InvalidLaunchTemplateName.AlreadyExistsException': 'already-exists',
  ParameterNotFound: 'not-found',
  'InvalidLaunchTemplateName.NotFoundException': 'not-found',
  'InvalidLaunchTemplateId.NotFound': 'not-found',
  DependencyViolation: 'conflict',
  ResourceInUse: 'conflict',
  ResourceInUseException: 'conflict',
  ClusterContainsServicesException: 'conflict',
  ClusterContainsTasksException: 'conflict',
  ClusterContainsContainerInstancesException: 'conflict',
  'InvalidPermission.Duplicate': 'already-exists',
  NoSuchEntity: 'not-found',
  NoSuchEntityException: 'not-found',
  ResourceNotFoundException: 'not-found',
  RepositoryNotFoundException: 'not-found',
  ImageNotFoundException: 'not-found',
  LifecyclePolicyNotFoundException: 'not-found',
  ClusterNotFoundException: 'not-found',
  ServiceNotFoundException: 'not-found',
  LoadBalancerNotFound: 'not-found',
  TargetGroupNotFound: 'not-found',
  ListenerNotFound: 'not-found',
  'InvalidKeyPair.NotFound': 'not-found',
  'InvalidGroup.NotFound': 'not-found',
  'InvalidVpcID.NotFound': 'not-found',
  'InvalidSubnetID.NotFound': 'not-found',
  AccessDenied: 'access-denied',
  // The endpoint does not offer this API at all: an AWS-compatible endpoint, or a region without it.
  UnknownOperationException: 'unsupported',
  InvalidAction: 'unsupported',
  AccessDeniedException: 'access-denied',
  UnauthorizedOperation: 'access-denied',
  UnauthorizedAccess: 'access-denied',
  Throttling: 'throttled',
  ThrottlingException: 'throttled',
  TooManyRequestsException: 'throttled',
  RequestLimitExceeded: 'throttled',
  SlowDown: 'throttled',
  ExpiredToken: 'expired-token',
  ExpiredTokenException: 'expired-token',
  RequestExpired: 'expired-token',
  InvalidClientTokenId: 'invalid-credentials',
  SignatureDoesNotMatch: 'invalid-credentials',
  UnrecognizedClientException: 'invalid-credentials',
  AuthFailure: 'invalid-credentials',
  CredentialsProviderError: 'no-credentials',
  ValidationError: 'validation',
  ValidationException: 'validation',
  InvalidParameterException: 'validation',
  InvalidParameterValue: 'validation',
  InvalidParameterValueException: 'validation',
  MalformedPolicyDocument: 'validation',
  LimitExceeded: 'limit-exceeded',
  LimitExceededException: 'limit-exceeded',
  InvalidAuthenticationCode: 'invalid-mfa-code',
  InvalidAuthenticationCodeException: 'invalid-mfa-code',
  DeleteConflict: 'conflict',
  DeleteConflictException: 'conflict',
  PasswordPolicyViolation: 'validation',
  PasswordPolicyViolationException: 'validation',
  MalformedPolicyDocumentException: 'validation',
  InvalidInput: 'validation',
  InvalidInputException: 'validation',
  'InvalidKey.Format': 'validation',
  MissingParameter: 'validation',
  ServiceFailureException: 'throttled',
  ConcurrentModificationException: 'throttled',
  ECONNREFUSED: 'network',
  ECONNRESET: 'network',
  ETIMEDOUT: 'network',
  ENOTFOUND: 'network',
  EAI_AGAIN: 'network',
  TimeoutError: 'network',
};

/**
 * Messages by which services say "the role/user you just made is not visible yet". Matched here, once,
 * so flows only ever ask `kind === 'not-propagated'`.
 */
const NOT_PROPAGATED = [
  /unable to assume (the )?role/i,
  /role .* cannot be assumed/i,
  /is not authorized to perform: sts:AssumeRole/i,
  /invalid iam instance profile/i,
  /ECS was unable to assume the role/i,
];

export function classifyAwsError(error: unknown): AwsErrorKind {
  if (typeof error !== 'object' || error === null) return 'other';
  const { name, code, Code, message } = error as { name?: string; code?: string; Code?: string; message?: string };
  if ((name === 'ClientException' || name === 'InvalidParameterException' || name === 'AccessDenied') && message && NOT_PROPAGATED.some((re) => re.test(message))) {
    return 'not-propagated';
  }
  // ECS says a capacity provider exists, and Auto Scaling that a group does not, only in their messages.
  if (name === 'ClientException' && message && /capacity provider already exists/i.test(message)) return 'already-exists';
  if (name === 'ValidationError' && message && /AutoScalingGroup name not found/i.test(message)) return 'not-found';
  // STS says a wrong MFA code with a plain AccessDenied; only its message tells them apart.
  if (name === 'AccessDenied' && message && /MultiFactorAuthentication failed with invalid MFA one time pass code/i.test(message)) return 'invalid-mfa-code';
  return KIND_BY_NAME[name ?? ''] ?? KIND_BY_NAME[Code ?? ''] ?? KIND_BY_NAME[code ?? ''] ?? (name === 'ProviderError' ? 'no-credentials' : 'other');
}

const FIX_BY_KIND: Partial<Record<AwsErrorKind, { why: string; fix: string }>> = {
  unsupported: {
    why: 'The endpoint answering (AWS_ENDPOINT_URL or --endpoint-url, or this region) does not offer this API — newer ones such as ECS Express Mode are not everywhere yet.',
    fix: 'Use a region or endpoint that offers it. For ECS Express Mode, set "launchType": "FARGATE" in slipway/environments/<env>.json to deploy a Fargate service instead.',
  },
  'no-credentials': {
    why: 'No AWS credentials were found (environment, ~/.aws/credentials, SSO or a role profile).',
    fix: 'Pass --profile <name> (a profile in ~/.aws/config or ~/.aws/credentials), or set AWS_PROFILE; with no profile yet, create an access key in the IAM console and run `aws configure --profile <name>`. To try slipway first without an account, add --sandbox: every flow runs against a simulated account on this machine.',
  },
  'invalid-credentials': {
    why: 'AWS does not recognise these keys: they are wrong, deleted, or were created seconds ago and are not visible yet.',
    fix: 'Check the keys of the profile in ~/.aws/credentials; if they are brand new, wait a minute and try again.',
  },
  'expired-token': {
    why: 'The temporary credentials (an MFA session or role) have expired.',
    fix: 'Run the command again: slipway asks for a fresh MFA code and carries on.',
  },
  'access-denied': {
    why: 'The identity in use is not allowed to do this.',
    fix: 'Use the admin role profile (one with role_arn and mfa_serial), or ask an administrator for the permission named above.',
  },
  throttled: {
    why: 'AWS is rate-limiting these calls; slipway already retried with backoff.',
    fix: 'Wait a minute and run the command again; it resumes where it stopped.',
  },
  network: {
    why: 'The AWS endpoint could not be reached.',
    fix: 'Check the network connection, proxy settings, and --endpoint-url / AWS_ENDPOINT_URL if you set one.',
  },
};

/** Turns an AWS error into one a person can act on, keeping the service's own words. */
export function explainAwsError(error: unknown, doing: string): SlipwayError {
  if (error instanceof SlipwayError) return error;
  const kind = classifyAwsError(error);
  const message = error instanceof Error ? error.message : String(error);
  const name = error instanceof Error ? error.name : 'Error';
  const advice = FIX_BY_KIND[kind];
  return new SlipwayError(`${doing} failed: ${name}: ${message}`, { why: advice?.why, fix: advice?.fix, cause: error });
}

/** Runs a call and treats one kind of error as "nothing to do" (e.g. already exists): undefined. */
export async function tolerate<T>(kind: AwsErrorKind, call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (classifyAwsError(error) === kind) return undefined;
    throw error;
  }
}
