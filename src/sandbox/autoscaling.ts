import {
  AlreadyExistsFault,
  AutoScalingServiceException,
  LimitExceededFault,
  ResourceContentionFault,
  ResourceInUseFault,
  ScalingActivityInProgressFault,
} from '@aws-sdk/client-auto-scaling';
import { groupOperations } from './autoscaling/groups.js';
import { fault, toSdkError, type ExceptionTable, type ModeledCtor } from './errors.js';
import type { ServiceFake } from './operation.js';

/**
 * Wire codes the Auto Scaling model names (its awsQueryError codes drop the "Fault" the classes carry).
 * ValidationError and AccessDenied are not modeled: they arrive as AutoScalingServiceException named by the code.
 */
const exceptions: ExceptionTable = {
  base: AutoScalingServiceException,
  modeled: {
    AlreadyExists: AlreadyExistsFault as unknown as ModeledCtor,
    LimitExceeded: LimitExceededFault as unknown as ModeledCtor,
    ResourceContention: ResourceContentionFault as unknown as ModeledCtor,
    ResourceInUse: ResourceInUseFault as unknown as ModeledCtor,
    ScalingActivityInProgress: ScalingActivityInProgressFault as unknown as ModeledCtor,
  },
  senderType: true,
};

/**
 * The EC2 Auto Scaling fake: groups launched from EC2 launch templates, whose instances run the ECS agent
 * and register in the cluster their user data names (rollout reference §11; see autoscaling/).
 */
export const autoScalingFake: ServiceFake = {
  prefix: 'autoscaling',
  serviceId: 'Auto Scaling',
  operations: { ...groupOperations },
  toError: (f, requestId) => toSdkError(f, exceptions, requestId),
  denied: (message) => fault('AccessDenied', message, 403),
};
