import {
  AccessDeniedException,
  CloudWatchLogsServiceException,
  InvalidOperationException,
  InvalidParameterException,
  LimitExceededException,
  OperationAbortedException,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  ServiceUnavailableException,
  TooManyTagsException,
  UnrecognizedClientException,
  ValidationException,
} from '@aws-sdk/client-cloudwatch-logs';
import { fault, type ModeledCtor, type ResponseMetadata, type SandboxFault } from './errors.js';
import { eventOperations } from './logs/events.js';
import { groupOperations } from './logs/groups.js';
import { streamOperations } from './logs/streams.js';
import { tagOperations } from './logs/tags.js';
import type { ServiceFake } from './operation.js';

export { RETENTION_DAYS } from './logs/groups.js';

/** The errors the sandbox's CloudWatch Logs raises that @aws-sdk/client-cloudwatch-logs models (`__type` is the class name). */
const MODELED: Record<string, ModeledCtor> = {
  AccessDeniedException,
  InvalidOperationException,
  InvalidParameterException,
  LimitExceededException,
  OperationAbortedException,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  ServiceUnavailableException,
  TooManyTagsException,
  UnrecognizedClientException,
  ValidationException,
};

/** CloudWatch Logs speaks awsJson1_1: credential failures come back with the JSON services' names, status 400. */
const AUTH_FAULTS: Record<string, (f: SandboxFault) => SandboxFault> = {
  InvalidClientTokenId: (f) => fault('UnrecognizedClientException', f.message, 400),
  SignatureDoesNotMatch: (f) => fault('InvalidSignatureException', f.message, 400),
  ExpiredToken: (f) => fault('ExpiredTokenException', f.message, 400),
};

/**
 * What the SDK's awsJson1_1 deserializer throws for `{"__type": code, "message": …}`: the modeled class
 * (or CloudWatchLogsServiceException named by the code), with `$fault`, `$metadata`, `message` and `__type`.
 */
function toLogsError(original: SandboxFault, requestId: string): Error {
  const f = AUTH_FAULTS[original.code]?.(original) ?? original;
  const $metadata: ResponseMetadata = { httpStatusCode: f.status, requestId, attempts: 1, totalRetryDelay: 0 };
  const $fault = f.status >= 500 ? 'server' : 'client';
  const Modeled = MODELED[f.code];
  const error = Modeled ? new Modeled({ message: f.message, $metadata }) : new CloudWatchLogsServiceException({ name: f.code, $fault, $metadata, message: f.message });
  return Object.assign(error, { $fault, $metadata, message: f.message, __type: f.code });
}

/** The CloudWatch Logs fake: the log group a rollout needs, and the streams ECS tasks write (reference §2, §6). */
export const logsFake: ServiceFake = {
  prefix: 'logs',
  serviceId: 'CloudWatch Logs',
  operations: {
    ...groupOperations,
    ...streamOperations,
    ...eventOperations,
    ...tagOperations,
  },
  toError: toLogsError,
  denied: (message) => fault('AccessDeniedException', message, 400),
};
