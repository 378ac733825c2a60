import type { ContainerDefinition, DeploymentConfiguration, LoadBalancer, NetworkConfiguration, TaskOverride } from '@aws-sdk/client-ecs';
import type { Tag } from '../state.js';
import type { EcsExpressService } from './express-state.js';

export type { EcsExpressConfiguration, EcsExpressService } from './express-state.js';

/**
 * The ECS slice of the simulated account, as plain JSON. ECS carries deployments on without the
 * caller, so besides what the API stores it keeps what the simulation needs to move things forward
 * (see advance.ts): each task's next transition, each deployment's retry time. Collections are
 * optional so a test may write just the settings (`state.ecs = { taskPhaseSeconds: 0.01 }`).
 */
export interface EcsState {
  version?: 1;
  /**
   * Sandbox seconds each task lifecycle phase takes (PROVISIONING → PENDING → ACTIVATING → RUNNING,
   * target health checks, DEACTIVATING → STOPPING → DEPROVISIONING → STOPPED). Default 2: a first
   * deployment completes in about 10 s, a rolling update in about 15 s. Tests set it tiny.
   */
  taskPhaseSeconds?: number;
  /** The earliest sandbox time at which something is due; a read before it does not advance anything. */
  nextEventAt?: number;
  /** region → cluster name → cluster. */
  clusters?: Record<string, Record<string, EcsCluster>>;
  /** region → family → revisions (index = revision - 1). */
  taskDefinitions?: Record<string, Record<string, EcsTaskDefinition[]>>;
  /** region → `<cluster>/<service>` → service. */
  services?: Record<string, Record<string, EcsService>>;
  /** region → task id → task. Stopped tasks are forgotten an hour after they stopped, as in ECS. */
  tasks?: Record<string, Record<string, EcsTask>>;
  /** region → service ARN → Express Mode service. */
  express?: Record<string, Record<string, EcsExpressService>>;
  /** ExecuteCommand sessions ECS opened, oldest first (what `slipway exec` reached; never the token). */
  execSessions?: EcsExecSession[];
}

export interface EcsExecSession {
  sessionId: string;
  region: string;
  cluster: string;
  taskArn: string;
  container: string;
  command: string;
  interactive: boolean;
  caller: string;
  at: number;
}

export interface EcsCluster {
  name: string;
  arn: string;
  status: 'ACTIVE' | 'INACTIVE';
  createdAt: number;
  tags: Tag[];
  settings: { name: string; value: string }[];
  capacityProviders: string[];
  defaultCapacityProviderStrategy: { capacityProvider: string; weight?: number; base?: number }[];
}

/** One revision as RegisterTaskDefinition stored it (the SDK's TaskDefinition without its Dates). */
export interface EcsTaskDefinition {
  arn: string;
  family: string;
  revision: number;
  status: 'ACTIVE' | 'INACTIVE' | 'DELETE_IN_PROGRESS';
  registeredAt: number;
  registeredBy: string;
  deregisteredAt?: number;
  tags: Tag[];
  containerDefinitions: ContainerDefinition[];
  taskRoleArn?: string;
  executionRoleArn?: string;
  networkMode: string;
  requiresCompatibilities: string[];
  compatibilities: string[];
  requiresAttributes: { name: string }[];
  cpu?: string;
  memory?: string;
  runtimePlatform?: { cpuArchitecture?: string; operatingSystemFamily?: string };
  /** Members the sandbox does not interpret (volumes, pidMode …), echoed back as registered. */
  extra: Record<string, unknown>;
}

export type TaskStatus = 'PROVISIONING' | 'PENDING' | 'ACTIVATING' | 'RUNNING' | 'DEACTIVATING' | 'STOPPING' | 'DEPROVISIONING' | 'STOPPED';

/**
 * What a task will do, decided when it starts (from the account and the rollout scenario):
 * fail before its container runs, stay provisioning, keep serving (healthy or failing its
 * health checks), or exit after running a while.
 */
export type TaskOutcome =
  | { kind: 'fail'; reason: string }
  | { kind: 'stuck' }
  | { kind: 'serve'; healthy: boolean; logs: string[] }
  | { kind: 'exit'; exitCode: number; reason?: string; runPhases: number; logs: string[] };

/** The step a task takes next, at `at`: the simulation's agenda for that task. */
export type TaskAction =
  | 'pending'
  | 'activating'
  | 'running'
  | 'exit'
  | 'fail'
  | 'target-healthy'
  | 'target-unhealthy'
  | 'health-kill'
  | 'stopping'
  | 'deprovisioning'
  | 'stopped'
  | 'forget';

export interface EcsContainer {
  name: string;
  uuid: string;
  image: string;
  imageDigest?: string;
  essential: boolean;
  runtimeId?: string;
  lastStatus: 'PENDING' | 'RUNNING' | 'STOPPED';
  exitCode?: number;
  reason?: string;
  healthStatus?: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';
  memory?: number;
  memoryReservation?: number;
  cpu: number;
  /** Where awslogs writes this container's lines, when the definition says so. */
  log?: { region: string; group: string; stream: string };
}

export interface EcsTask {
  id: string;
  arn: string;
  region: string;
  cluster: string;
  taskDefinitionArn: string;
  family: string;
  /** Service tasks: the service name and the deployment that started the task. */
  service?: string;
  deploymentId?: string;
  group: string;
  startedBy?: string;
  launchType: string;
  platformVersion?: string;
  cpu?: string;
  memory?: string;
  availabilityZone: string;
  createdAt: number;
  version: number;
  lastStatus: TaskStatus;
  desiredStatus: 'RUNNING' | 'STOPPED';
  healthStatus: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';
  pullStartedAt?: number;
  pullStoppedAt?: number;
  connectivityAt?: number;
  startedAt?: number;
  stoppingAt?: number;
  executionStoppedAt?: number;
  stoppedAt?: number;
  stopCode?: string;
  stoppedReason?: string;
  containers: EcsContainer[];
  eni?: { attachmentId: string; id: string; subnetId: string; privateIp: string; mac: string };
  overrides?: TaskOverride;
  tags: Tag[];
  clientToken?: string;
  /** Launched with ECS Exec on (the service's enableExecuteCommand, or RunTask's): its containers run the ExecuteCommandAgent. */
  enableExecuteCommand?: boolean;
  outcome: TaskOutcome;
  next?: { at: number; action: TaskAction };
  /** Load balancer targets this task registered (target group ARN, container port). */
  targets: { targetGroupArn: string; port: number }[];
}

export type ServiceDeploymentStatus =
  | 'PENDING'
  | 'IN_PROGRESS'
  | 'SUCCESSFUL'
  | 'STOPPED'
  | 'STOP_REQUESTED'
  | 'ROLLBACK_REQUESTED'
  | 'ROLLBACK_IN_PROGRESS'
  | 'ROLLBACK_SUCCESSFUL'
  | 'ROLLBACK_FAILED';

export interface EcsDeployment {
  /** `ecs-svc/<19 digits>`, as DescribeServices shows it. */
  id: string;
  /** The newer API's names for the same deployment (ListServiceDeployments). */
  serviceDeploymentArn: string;
  serviceRevisionArn: string;
  status: 'PRIMARY' | 'ACTIVE' | 'INACTIVE';
  taskDefinition: string;
  launchType: string;
  platformVersion?: string;
  networkConfiguration?: NetworkConfiguration;
  createdAt: number;
  updatedAt: number;
  finishedAt?: number;
  rolloutState: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
  rolloutStateReason?: string;
  failedTasks: number;
  /** Failures since the last task that came up healthy: drives launch throttling. */
  consecutiveFailures: number;
  /** Attempts that could not place a task (no capacity, role not assumable); never counted as failures. */
  placementFailures: number;
  /** The scheduler waits until then before launching again (throttling after failures). */
  nextLaunchAt?: number;
  /** Set on the deployment the circuit breaker started to restore the last completed revision. */
  rollbackOf?: string;
  deploymentStatus: ServiceDeploymentStatus;
  statusReason?: string;
  rollback?: { reason: string; startedAt: number; serviceRevisionArn: string };
  /** "is unable to consistently start tasks" was reported for this deployment. */
  impaired?: boolean;
}

export interface EcsServiceEvent {
  id: string;
  createdAt: number;
  message: string;
}

export interface EcsService {
  name: string;
  arn: string;
  region: string;
  cluster: string;
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE';
  desiredCount: number;
  taskDefinition: string;
  launchType: string;
  platformVersion?: string;
  loadBalancers: LoadBalancer[];
  networkConfiguration?: NetworkConfiguration;
  deploymentConfiguration: DeploymentConfiguration;
  deploymentController: string;
  healthCheckGracePeriodSeconds?: number;
  schedulingStrategy: string;
  propagateTags?: string;
  enableECSManagedTags: boolean;
  enableExecuteCommand: boolean;
  tags: Tag[];
  createdAt: number;
  createdBy: string;
  clientToken?: string;
  /** The create request, normalized: an identical retry with the same client token is idempotent. */
  requestHash: string;
  /** Newest first, including INACTIVE ones (history for ListServiceDeployments). */
  deployments: EcsDeployment[];
  /** Newest first, at most 100. */
  events: EcsServiceEvent[];
  /** The last deployment that reached COMPLETED: what the circuit breaker rolls back to. */
  lastCompleted?: { deploymentId: string; taskDefinition: string };
  /** Whether "has reached a steady state." has been said since the service last changed. */
  steady: boolean;
  /** The scheduler looks at the service again at this time. */
  wakeAt?: number;
}
