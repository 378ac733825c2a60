import {
  AccessDeniedException,
  ClientException,
  ClusterContainsServicesException,
  ClusterContainsTasksException,
  ClusterNotFoundException,
  ECSServiceException,
  InvalidParameterException,
  ResourceInUseException,
  ResourceNotFoundException,
  ServerException,
  ServiceNotActiveException,
  ServiceNotFoundException,
  TargetNotConnectedException,
} from '@aws-sdk/client-ecs';
import { fault, type ModeledCtor, type ResponseMetadata, type SandboxFault } from './errors.js';
import { capacityOperations } from './ecs/capacity.js';
import { clusterOperations } from './ecs/clusters.js';
import { containerInstanceOperations } from './ecs/container-instances.js';
import { deploymentOperations } from './ecs/deployments.js';
import { execOperations } from './ecs/exec.js';
import { expressOperations } from './ecs/express.js';
import { serviceRevisionOperations } from './ecs/express-resources.js';
import { serviceOperations } from './ecs/services.js';
import { tagOperations } from './ecs/tags.js';
import { taskDefinitionOperations } from './ecs/task-definitions.js';
import { taskOperations } from './ecs/tasks.js';
import type { ServiceFake } from './operation.js';
import type { Sandbox } from './store.js';

export { advanceEcs } from './ecs/advance.js';

/** The errors the sandbox's ECS raises that @aws-sdk/client-ecs models (the wire `__type` is the class name). */
const MODELED: Record<string, ModeledCtor> = {
  AccessDeniedException,
  ClientException,
  ClusterContainsServicesException,
  ClusterContainsTasksException,
  ClusterNotFoundException,
  InvalidParameterException,
  ResourceInUseException,
  ResourceNotFoundException,
  ServerException,
  ServiceNotActiveException,
  ServiceNotFoundException,
  TargetNotConnectedException,
};

/** ECS speaks awsJson1_1: credential failures come back with the JSON services' names, status 400. */
const AUTH_FAULTS: Record<string, (f: SandboxFault) => SandboxFault> = {
  InvalidClientTokenId: (f) => fault('UnrecognizedClientException', f.message, 400),
  SignatureDoesNotMatch: (f) => fault('InvalidSignatureException', f.message, 400),
  ExpiredToken: (f) => fault('ExpiredTokenException', f.message, 400),
};

/** What the SDK's awsJson1_1 deserializer throws for `{"__type": code, "message": …}` (see toEcrError). */
function toEcsError(original: SandboxFault, requestId: string): Error {
  const f = AUTH_FAULTS[original.code]?.(original) ?? original;
  const $metadata: ResponseMetadata = { httpStatusCode: f.status, requestId, attempts: 1, totalRetryDelay: 0 };
  const $fault = f.status >= 500 ? 'server' : 'client';
  const Modeled = MODELED[f.code];
  const error = Modeled ? new Modeled({ message: f.message, $metadata }) : new ECSServiceException({ name: f.code, $fault, $metadata, message: f.message });
  return Object.assign(error, { $fault, $metadata, message: f.message, __type: f.code });
}

/**
 * The ECS fake: clusters, task definitions, services with rolling deployments and the circuit breaker,
 * one-off tasks, Express Mode. Deployments progress with the sandbox clock (ecs/advance.ts).
 */
export const ecsFake: ServiceFake = {
  prefix: 'ecs',
  serviceId: 'ECS',
  operations: {
    ...clusterOperations,
    ...taskDefinitionOperations,
    ...serviceOperations,
    ...taskOperations,
    ...execOperations,
    ...deploymentOperations,
    ...tagOperations,
    ...expressOperations,
    ...capacityOperations,
    ...containerInstanceOperations,
    ...serviceRevisionOperations,
  },
  toError: toEcsError,
  denied: (message) => fault('AccessDeniedException', message, 400),
};

export interface EcsSettings {
  /** Sandbox seconds per task lifecycle phase (default 2); tiny values make rollouts near-instant. */
  taskPhaseSeconds?: number;
}

/**
 * Sets how fast the sandbox's ECS moves, keeping whatever ECS state exists. Tests take tiny or
 * one-second phases on a frozen clock and move time with `sandbox.clock.advance`: the next call to
 * any fake carries deployments on to the new time.
 */
export function configureEcs(sandbox: Sandbox, settings: EcsSettings): void {
  sandbox.update((state) => {
    state.ecs = { ...state.ecs, ...settings };
  });
}
