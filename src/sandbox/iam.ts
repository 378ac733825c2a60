import {
  ConcurrentModificationException,
  DeleteConflictException,
  EntityAlreadyExistsException,
  IAMServiceException,
  InvalidAuthenticationCodeException,
  InvalidInputException,
  LimitExceededException,
  MalformedPolicyDocumentException,
  NoSuchEntityException,
  PasswordPolicyViolationException,
  ServiceFailureException,
  UnmodifiableEntityException,
} from '@aws-sdk/client-iam';
import { fault, toSdkError, type ExceptionTable } from './errors.js';
import { accountOperations } from './iam/account.js';
import { groupOperations } from './iam/groups.js';
import { instanceProfileOperations } from './iam/instance-profiles.js';
import { keyOperations } from './iam/keys.js';
import { mfaOperations } from './iam/mfa.js';
import { policyOperations } from './iam/policies.js';
import { roleLifecycleOperations } from './iam/role-lifecycle.js';
import { roleOperations } from './iam/roles.js';
import { serviceLinkedRoleOperations } from './iam/service-linked-roles.js';
import { userOperations } from './iam/users.js';
import type { ServiceFake } from './operation.js';

/** Wire codes IAM's model names, and the classes @aws-sdk/client-iam throws for them. */
const exceptions: ExceptionTable = {
  base: IAMServiceException,
  modeled: {
    ConcurrentModification: ConcurrentModificationException,
    DeleteConflict: DeleteConflictException,
    EntityAlreadyExists: EntityAlreadyExistsException,
    InvalidAuthenticationCode: InvalidAuthenticationCodeException,
    InvalidInput: InvalidInputException,
    LimitExceeded: LimitExceededException,
    MalformedPolicyDocument: MalformedPolicyDocumentException,
    NoSuchEntity: NoSuchEntityException,
    PasswordPolicyViolation: PasswordPolicyViolationException,
    ServiceFailure: ServiceFailureException,
    UnmodifiableEntity: UnmodifiableEntityException,
  },
  senderType: true,
};

/** The IAM fake: the calls account bootstrap makes (reference §7), one file per resource kind. */
export const iamFake: ServiceFake = {
  prefix: 'iam',
  serviceId: 'IAM',
  operations: {
    ...accountOperations,
    ...userOperations,
    ...keyOperations,
    ...groupOperations,
    ...roleOperations,
    ...roleLifecycleOperations,
    ...serviceLinkedRoleOperations,
    ...instanceProfileOperations,
    ...policyOperations,
    ...mfaOperations,
  },
  toError: (f, requestId) => toSdkError(f, exceptions, requestId),
  denied: (message) => fault('AccessDenied', message, 403),
};
