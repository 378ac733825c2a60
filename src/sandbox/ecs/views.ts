import type { Attachment, Deployment, ManagedAgent, Service, Task } from '@aws-sdk/client-ecs';
import type { SandboxState } from '../state.js';
import { ecsOf, toSdkTags } from './common.js';
import type { EcsDeployment, EcsService, EcsTask } from './state.js';

/** The SDK shapes DescribeServices and DescribeTasks return, built from the stored records. */

const PRE_RUNNING = new Set(['PROVISIONING', 'PENDING', 'ACTIVATING']);
const date = (t: number | undefined) => (t === undefined ? undefined : new Date(t));

export function serviceTasks(state: SandboxState, service: EcsService): EcsTask[] {
  return Object.values(ecsOf(state).tasks[service.region] ?? {}).filter((t) => t.cluster === service.cluster && t.service === service.name);
}

function counts(tasks: EcsTask[]): { runningCount: number; pendingCount: number } {
  const wanted = tasks.filter((t) => t.desiredStatus === 'RUNNING');
  return { runningCount: wanted.filter((t) => t.lastStatus === 'RUNNING').length, pendingCount: wanted.filter((t) => PRE_RUNNING.has(t.lastStatus)).length };
}

function toDeployment(service: EcsService, d: EcsDeployment, tasks: EcsTask[]): Deployment {
  const mine = tasks.filter((t) => t.deploymentId === d.id);
  const live = mine.filter((t) => t.desiredStatus === 'RUNNING').length;
  return {
    id: d.id,
    status: d.status,
    taskDefinition: d.taskDefinition,
    // The PRIMARY deployment wants the service's count; an older one only what it still has.
    desiredCount: d.status === 'PRIMARY' ? service.desiredCount : live,
    ...counts(mine),
    failedTasks: d.failedTasks,
    createdAt: new Date(d.createdAt),
    updatedAt: new Date(d.updatedAt),
    launchType: d.launchType as Deployment['launchType'],
    platformVersion: d.launchType === 'FARGATE' ? '1.4.0' : undefined,
    platformFamily: d.launchType === 'FARGATE' ? 'Linux' : undefined,
    networkConfiguration: d.networkConfiguration && structuredClone(d.networkConfiguration),
    rolloutState: d.rolloutState,
    rolloutStateReason: d.rolloutStateReason,
  };
}

export function toService(state: SandboxState, service: EcsService, include: string[] = []): Service {
  const tasks = serviceTasks(state, service);
  const current = service.deployments.find((d) => d.status === 'PRIMARY' && d.rollbackOf === undefined) ?? service.deployments.find((d) => d.rollbackOf === undefined);
  return {
    serviceArn: service.arn,
    serviceName: service.name,
    clusterArn: `arn:aws:ecs:${service.region}:${state.accountId}:cluster/${service.cluster}`,
    loadBalancers: structuredClone(service.loadBalancers),
    serviceRegistries: [],
    status: service.status,
    desiredCount: service.desiredCount,
    ...counts(tasks),
    launchType: service.launchType as Service['launchType'],
    platformVersion: service.launchType === 'FARGATE' ? (service.platformVersion ?? 'LATEST') : undefined,
    platformFamily: service.launchType === 'FARGATE' ? 'Linux' : undefined,
    taskDefinition: service.taskDefinition,
    deploymentConfiguration: structuredClone(service.deploymentConfiguration),
    deployments: service.deployments.filter((d) => d.status !== 'INACTIVE').map((d) => toDeployment(service, d, tasks)),
    roleArn: service.loadBalancers.length ? `arn:aws:iam::${state.accountId}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS` : undefined,
    events: service.events.map((e) => ({ id: e.id, createdAt: new Date(e.createdAt), message: e.message })),
    createdAt: new Date(service.createdAt),
    currentServiceDeployment: current?.serviceDeploymentArn,
    placementConstraints: [],
    placementStrategy: [],
    networkConfiguration: service.networkConfiguration && structuredClone(service.networkConfiguration),
    healthCheckGracePeriodSeconds: service.healthCheckGracePeriodSeconds,
    schedulingStrategy: service.schedulingStrategy as Service['schedulingStrategy'],
    deploymentController: { type: service.deploymentController as 'ECS' },
    tags: include.includes('TAGS') ? toSdkTags(service.tags) : undefined,
    createdBy: service.createdBy,
    enableECSManagedTags: service.enableECSManagedTags,
    propagateTags: (service.propagateTags ?? 'NONE') as Service['propagateTags'],
    enableExecuteCommand: service.enableExecuteCommand,
    availabilityZoneRebalancing: 'DISABLED',
  };
}

function eniStatus(task: EcsTask): string {
  if (task.lastStatus === 'PROVISIONING') return 'PRECREATED';
  if (task.lastStatus === 'DEPROVISIONING' || task.lastStatus === 'STOPPED') return 'DELETED';
  return 'ATTACHED';
}

function attachments(task: EcsTask): Attachment[] {
  const eni = task.eni;
  if (!eni) return [];
  const domain = task.region === 'us-east-1' ? 'ec2.internal' : `${task.region}.compute.internal`;
  return [
    {
      id: eni.attachmentId,
      type: 'ElasticNetworkInterface',
      status: eniStatus(task),
      details: [
        { name: 'subnetId', value: eni.subnetId },
        { name: 'networkInterfaceId', value: eni.id },
        { name: 'macAddress', value: eni.mac },
        { name: 'privateDnsName', value: `ip-${eni.privateIp.replaceAll('.', '-')}.${domain}` },
        { name: 'privateIPv4Address', value: eni.privateIp },
      ],
    },
  ];
}

export function toTask(state: SandboxState, task: EcsTask, include: string[] = []): Task {
  const fargate = task.launchType === 'FARGATE';
  return {
    attachments: attachments(task),
    attributes: [{ name: 'ecs.cpu-architecture', value: 'x86_64' }],
    availabilityZone: task.availabilityZone,
    clusterArn: `arn:aws:ecs:${task.region}:${state.accountId}:cluster/${task.cluster}`,
    connectivity: task.connectivityAt === undefined ? undefined : 'CONNECTED',
    connectivityAt: date(task.connectivityAt),
    containers: task.containers.map((c) => ({
      containerArn: `arn:aws:ecs:${task.region}:${state.accountId}:container/${task.cluster}/${task.id}/${c.uuid}`,
      taskArn: task.arn,
      name: c.name,
      image: c.image,
      imageDigest: c.imageDigest,
      runtimeId: c.runtimeId,
      lastStatus: c.lastStatus,
      exitCode: c.exitCode,
      reason: c.reason,
      networkBindings: [],
      networkInterfaces: task.eni ? [{ attachmentId: task.eni.attachmentId, privateIpv4Address: task.eni.privateIp }] : [],
      healthStatus: c.healthStatus ?? 'UNKNOWN',
      cpu: String(c.cpu),
      memory: c.memory === undefined ? undefined : String(c.memory),
      memoryReservation: c.memoryReservation === undefined ? undefined : String(c.memoryReservation),
      managedAgents: task.enableExecuteCommand ? [execAgent(task, c.lastStatus)] : undefined,
    })),
    cpu: task.cpu,
    createdAt: new Date(task.createdAt),
    desiredStatus: task.desiredStatus,
    enableExecuteCommand: task.enableExecuteCommand ?? false,
    executionStoppedAt: date(task.executionStoppedAt),
    group: task.group,
    healthStatus: task.healthStatus,
    lastStatus: task.lastStatus,
    launchType: task.launchType as Task['launchType'],
    memory: task.memory,
    overrides: task.overrides ? structuredClone(task.overrides) : { containerOverrides: [], inferenceAcceleratorOverrides: [] },
    platformVersion: task.platformVersion,
    platformFamily: fargate ? 'Linux' : undefined,
    pullStartedAt: date(task.pullStartedAt),
    pullStoppedAt: date(task.pullStoppedAt),
    startedAt: date(task.startedAt),
    startedBy: task.startedBy,
    stopCode: task.stopCode as Task['stopCode'],
    stoppedAt: date(task.stoppedAt),
    stoppedReason: task.stoppedReason,
    stoppingAt: date(task.stoppingAt),
    tags: include.includes('TAGS') ? toSdkTags(task.tags) : undefined,
    taskArn: task.arn,
    taskDefinitionArn: task.taskDefinitionArn,
    version: task.version,
    ephemeralStorage: fargate ? { sizeInGiB: 20 } : undefined,
  };
}

/**
 * ECS Exec's agent in a container of a task launched with exec on: PENDING until the container runs,
 * RUNNING while it does (the SSM agent ECS bind-mounts starts with it), STOPPED after.
 */
export function execAgent(task: EcsTask, container: string): ManagedAgent {
  const lastStatus = container === 'RUNNING' ? 'RUNNING' : container === 'STOPPED' ? 'STOPPED' : 'PENDING';
  return { name: 'ExecuteCommandAgent', lastStatus, ...(task.startedAt !== undefined && lastStatus !== 'PENDING' ? { lastStartedAt: new Date(task.startedAt) } : {}) };
}
