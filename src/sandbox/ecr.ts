import {
  ECRServiceException,
  ImageNotFoundException,
  InvalidParameterException,
  InvalidTagParameterException,
  LifecyclePolicyNotFoundException,
  LimitExceededException,
  RepositoryAlreadyExistsException,
  RepositoryNotEmptyException,
  RepositoryNotFoundException,
  ServerException,
  TooManyTagsException,
  ValidationException,
} from '@aws-sdk/client-ecr';
import { fault, type ModeledCtor, type ResponseMetadata, type SandboxFault } from './errors.js';
import { authOperations } from './ecr/auth.js';
import { imageOperations } from './ecr/images.js';
import { lifecycleOperations } from './ecr/lifecycle.js';
import { repositoryOperations } from './ecr/repositories.js';
import type { ServiceFake } from './operation.js';

export { recordImage, type RecordImageOptions } from './ecr/images.js';


/** The errors the sandbox's ECR raises that @aws-sdk/client-ecr models (the wire `__type` is the class name). */
const MODELED: Record<string, ModeledCtor> = {
  ImageNotFoundException,
  InvalidParameterException,
  InvalidTagParameterException,
  LifecyclePolicyNotFoundException,
  LimitExceededException,
  RepositoryAlreadyExistsException,
  RepositoryNotEmptyException,
  RepositoryNotFoundException,
  ServerException,
  TooManyTagsException,
  ValidationException,
};

/** ECR speaks awsJson1_1: credential failures come back with the JSON services' names, status 400. */
const AUTH_FAULTS: Record<string, (f: SandboxFault) => SandboxFault> = {
  InvalidClientTokenId: (f) => fault('UnrecognizedClientException', f.message, 400),
  SignatureDoesNotMatch: (f) => fault('InvalidSignatureException', f.message, 400),
  ExpiredToken: (f) => fault('ExpiredTokenException', f.message, 400),
};

/**
 * What the SDK's awsJson1_1 deserializer throws for `{"__type": code, "message": …}`: the modeled class
 * (or ECRServiceException named by the code), with `$fault`, `$metadata`, `message`, and the body's
 * `__type` copied on — no `Code`/`Type`/`Error` members, which only the XML protocols add.
 */
function toEcrError(original: SandboxFault, requestId: string): Error {
  const f = AUTH_FAULTS[original.code]?.(original) ?? original;
  const $metadata: ResponseMetadata = { httpStatusCode: f.status, requestId, attempts: 1, totalRetryDelay: 0 };
  const $fault = f.status >= 500 ? 'server' : 'client';
  const Modeled = MODELED[f.code];
  const error = Modeled ? new Modeled({ message: f.message, $metadata }) : new ECRServiceException({ name: f.code, $fault, $metadata, message: f.message });
  return Object.assign(error, { $fault, $metadata, message: f.message, __type: f.code });
}

/** The ECR fake: the calls publishing makes (reference §7–§10), backed by a real registry when configured. */
export const ecrFake: ServiceFake = {
  prefix: 'ecr',
  serviceId: 'ECR',
  operations: {
    ...repositoryOperations,
    ...lifecycleOperations,
    ...imageOperations,
    ...authOperations,
  },
  toError: toEcrError,
  denied: (message) => fault('AccessDeniedException', message, 400),
};
