import { GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeTasksCommand, ListTasksCommand, type Service, type ServiceEvent, type Task } from '@aws-sdk/client-ecs';
import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { RolloutContext } from '../context.js';
import type { Evidence, StoppedTask } from '../diagnosis/index.js';

/**
 * The deployment a watch or a diagnosis is about, and so the only evidence it reads: its id, the revision
 * it deploys, and when it started (`createdAt`) and was replaced by a newer one (`until`), where known.
 */
export interface DeploymentScope {
  id: string;
  taskDefinition: string;
  createdAt?: Date;
  until?: Date;
}

/**
 * A task of this deployment: ECS starts a service's tasks with `startedBy` set to the deployment's id;
 * without it (an emulator that leaves it out), the revision and a start no earlier than the deployment's.
 */
export function ofDeployment(task: Task, scope: DeploymentScope): boolean {
  if (task.startedBy) return task.startedBy === scope.id;
  if (task.taskDefinitionArn !== scope.taskDefinition) return false;
  const created = task.createdAt?.getTime();
  return scope.createdAt === undefined || (created !== undefined && created >= scope.createdAt.getTime());
}

/** The service's tasks, RUNNING (wanted running) or STOPPED (ECS keeps them about an hour), newest first. */
export async function serviceTasks(c: RolloutContext, desiredStatus: 'RUNNING' | 'STOPPED'): Promise<Task[]> {
  const ecs = await c.ecs();
  const arns = (await ecs.send(new ListTasksCommand({ cluster: c.names.cluster, serviceName: c.names.service, desiredStatus }), { abortSignal: c.signal })).taskArns ?? [];
  const tasks: Task[] = [];
  for (let i = 0; i < arns.length; i += 100) {
    tasks.push(...((await ecs.send(new DescribeTasksCommand({ cluster: c.names.cluster, tasks: arns.slice(i, i + 100) }), { abortSignal: c.signal })).tasks ?? []));
  }
  const when = (t: Task) => (t.stoppedAt ?? t.createdAt)?.getTime() ?? 0;
  return tasks.sort((a, b) => when(b) - when(a));
}

/** The service's tasks of one deployment, newest first. */
export async function deploymentTasks(c: RolloutContext, scope: DeploymentScope, desiredStatus: 'RUNNING' | 'STOPPED'): Promise<Task[]> {
  return (await serviceTasks(c, desiredStatus)).filter((t) => ofDeployment(t, scope));
}

/** Stopped tasks of one deployment, newest first. */
export function stoppedTasks(c: RolloutContext, scope: DeploymentScope): Promise<Task[]> {
  return deploymentTasks(c, scope, 'STOPPED');
}

/**
 * When the deployment started (DescribeServices' createdAt; once it is gone from there, its first task's)
 * and when a newer deployment replaced it: the window its events are read in.
 */
export function placeInTime(scope: DeploymentScope, service: Service | undefined, tasks: Task[]): void {
  const ours = service?.deployments?.find((d) => d.id === scope.id);
  if (ours?.createdAt) scope.createdAt = ours.createdAt;
  if (!scope.createdAt) {
    const first = Math.min(...tasks.map((t) => t.createdAt?.getTime() ?? Infinity));
    if (Number.isFinite(first)) scope.createdAt = new Date(first);
  }
  const start = scope.createdAt?.getTime();
  if (start === undefined) return;
  const newer = (service?.deployments ?? []).filter((d) => d.id !== scope.id).map((d) => d.createdAt?.getTime() ?? -Infinity).filter((t) => t > start);
  const until = Math.min(scope.until?.getTime() ?? Infinity, ...newer);
  if (Number.isFinite(until)) scope.until = new Date(until);
}

/** The service's events in the deployment's time (newest first, as DescribeServices returns them); none when its start is unknown. */
export function deploymentEvents(service: Service | undefined, scope: Pick<DeploymentScope, 'createdAt' | 'until'>): ServiceEvent[] {
  const from = scope.createdAt?.getTime();
  if (from === undefined) return [];
  const until = scope.until?.getTime() ?? Infinity;
  return (service?.events ?? []).filter((e) => {
    const at = e.createdAt?.getTime();
    return at !== undefined && at >= from && at <= until;
  });
}

/** The task's address as a target of an `ip` target group (awsvpc: its ENI's private IPv4 address). */
function taskAddresses(task: Task): string[] {
  const fromAttachments = (task.attachments ?? []).flatMap((a) => (a.details ?? []).filter((d) => d.name === 'privateIPv4Address' && d.value).map((d) => d.value!));
  const fromContainers = (task.containers ?? []).flatMap((k) => (k.networkInterfaces ?? []).map((n) => n.privateIpv4Address).filter((x): x is string => Boolean(x)));
  return [...new Set([...fromAttachments, ...fromContainers])];
}

export function asStopped(t: Task): StoppedTask {
  return {
    taskArn: t.taskArn,
    stopCode: t.stopCode,
    stoppedReason: t.stoppedReason,
    containers: (t.containers ?? []).map((k) => ({ name: k.name, exitCode: k.exitCode, reason: k.reason, healthStatus: k.healthStatus })),
  };
}

/** The health of the targets that are these tasks (an older deployment's targets in the same group are not their evidence). */
export async function targetHealth(c: RolloutContext, tasks: Task[]) {
  const addresses = new Set(tasks.flatMap(taskAddresses));
  if (addresses.size === 0) return [];
  const elb = await c.elbv2();
  const out = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: c.output('target-group', 'arn') }), { abortSignal: c.signal }).catch(() => undefined);
  return (out?.TargetHealthDescriptions ?? [])
    .filter((d) => d.Target?.Id !== undefined && addresses.has(d.Target.Id))
    .map((d) => ({ state: d.TargetHealth?.State, reason: d.TargetHealth?.Reason, description: d.TargetHealth?.Description }));
}

/** The last lines a task's container logged: stream `ecs/<container>/<task id>` (awslogs-stream-prefix "ecs"). */
export async function lastLogLines(c: RolloutContext, taskArn: string | undefined, limit = 20): Promise<string[]> {
  if (!taskArn) return [];
  const taskId = taskArn.split('/').pop();
  const logs = await c.logs();
  const out = await logs
    .send(new GetLogEventsCommand({ logGroupName: c.names.logGroup, logStreamName: `ecs/${c.names.container}/${taskId}`, startFromHead: false, limit }), { abortSignal: c.signal })
    .catch(() => undefined);
  return (out?.events ?? []).map((e) => e.message ?? '').filter(Boolean);
}

/** The environment's settings a diagnosis explains itself with (port, health path, size, role, log group). */
export function diagnosisSettings(c: RolloutContext): Evidence['settings'] {
  const env = c.environment();
  return {
    containerPort: env.containerPort,
    healthCheckPath: env.healthCheckPath,
    healthCheckGracePeriodSeconds: env.healthCheckGracePeriodSeconds,
    cpuArchitecture: env.cpuArchitecture,
    cpu: env.cpu,
    memory: env.memory,
    executionRole: c.names.executionRole,
    logGroup: c.names.logGroup,
  };
}
