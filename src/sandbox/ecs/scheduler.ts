import { alnum, digits, findTaskDefinition } from './common.js';
import { serviceEvent, targetsHealthy, type Sim } from './effects.js';
import { createTask } from './launch.js';
import { stopTask } from './lifecycle.js';
import { launchBlocker, type Blocker } from './preflight.js';
import type { EcsDeployment, EcsService, EcsTask } from './state.js';

/**
 * The service scheduler: keeps `desiredCount` tasks of the PRIMARY deployment running, replaces the
 * older deployments' tasks within minimumHealthyPercent/maximumPercent, decides when a deployment is
 * COMPLETED, and trips the circuit breaker (rollout reference §6–§7).
 */

const BREAKER_REASON = 'ECS deployment circuit breaker: tasks failed to start.';
const MAX_BACKOFF = 5 * 60_000;
const MAX_HISTORY = 20;

/** ECS throttles launches after failures (and placement retries): one phase, doubling, up to 5 minutes. */
const backoff = (sim: Sim, attempts: number) => Math.min(sim.phase * 2 ** Math.min(attempts - 1, 30), MAX_BACKOFF);

/** Rollout reference §7: 0.5 × desired count, at least 3, at most 200 failed tasks. */
export const breakerThreshold = (desiredCount: number) => Math.max(3, Math.min(200, Math.ceil(0.5 * desiredCount)));

export function tasksOf(sim: Sim, service: EcsService): EcsTask[] {
  return Object.values(sim.ecs.tasks[service.region] ?? {})
    .filter((t) => t.cluster === service.cluster && t.service === service.name)
    .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}

/** Starts a new PRIMARY deployment; the previous PRIMARY becomes ACTIVE and drains. */
export function newDeployment(sim: Sim, service: EcsService, t: number, taskDefinition: string, rollbackOf?: string): EcsDeployment {
  for (const d of service.deployments) {
    if (d.status !== 'PRIMARY') continue;
    d.status = 'ACTIVE';
    d.updatedAt = t;
    if (d.deploymentStatus === 'IN_PROGRESS' || d.deploymentStatus === 'PENDING') {
      d.deploymentStatus = 'STOPPED';
      d.statusReason = 'Stopped because a newer deployment started.';
      d.finishedAt = t;
    }
  }
  const base = `${service.region}:${sim.state.accountId}`;
  const id = `ecs-svc/${digits(sim.ids, 19)}`;
  const deployment: EcsDeployment = {
    id,
    serviceDeploymentArn: `arn:aws:ecs:${base}:service-deployment/${service.cluster}/${service.name}/${alnum(sim.ids, 22)}`,
    serviceRevisionArn: `arn:aws:ecs:${base}:service-revision/${service.cluster}/${service.name}/${digits(sim.ids, 19)}`,
    status: 'PRIMARY',
    taskDefinition,
    launchType: service.launchType,
    platformVersion: service.platformVersion,
    networkConfiguration: service.networkConfiguration && structuredClone(service.networkConfiguration),
    createdAt: t,
    updatedAt: t,
    rolloutState: 'IN_PROGRESS',
    rolloutStateReason: `ECS deployment ${id} in progress.`,
    failedTasks: 0,
    consecutiveFailures: 0,
    placementFailures: 0,
    rollbackOf,
    deploymentStatus: 'IN_PROGRESS',
  };
  service.deployments.unshift(deployment);
  // Keep the live deployments and a bounded history of finished ones.
  let finished = 0;
  service.deployments = service.deployments.filter((d) => d.status !== 'INACTIVE' || ++finished <= MAX_HISTORY);
  service.taskDefinition = taskDefinition;
  service.steady = false;
  service.wakeAt = t;
  return deployment;
}

function blockerEvent(blocker: Blocker): string {
  switch (blocker.kind) {
    case 'no-instances':
      return `was unable to place a task because no container instance met all of its requirements. ${blocker.reason ?? 'Reason: No Container Instances were found in your cluster.'} For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.`;
    case 'capacity':
      return `was unable to place a task. Reason: ${blocker.reason}. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.`;
    case 'client':
      return `failed to launch a task with (error ${blocker.message}).`;
  }
}

function launch(sim: Sim, service: EcsService, d: EcsDeployment, t: number, count: number): void {
  const def = findTaskDefinition(sim.state, service.region, d.taskDefinition);
  if (!def) return;
  const spec = { region: service.region, def, launchType: d.launchType, networkConfiguration: d.networkConfiguration, cluster: service.cluster };
  const blocker = launchBlocker(sim.state, spec, t);
  if (blocker) {
    // Placement failures repeat (throttled) and never count towards the circuit breaker.
    d.placementFailures++;
    d.nextLaunchAt = t + backoff(sim, d.placementFailures);
    serviceEvent(sim, service, t, blockerEvent(blocker));
    return;
  }
  d.placementFailures = 0;
  const tags = service.propagateTags === 'SERVICE' ? service.tags : service.propagateTags === 'TASK_DEFINITION' ? def.tags : [];
  const started = Array.from({ length: count }, () =>
    createTask(sim, { ...spec, cluster: service.cluster, platformVersion: d.platformVersion, group: `service:${service.name}`, startedBy: d.id, tags, service: service.name, deploymentId: d.id, enableExecuteCommand: service.enableExecuteCommand, kind: 'service', rollback: d.rollbackOf !== undefined }, t),
  );
  serviceEvent(sim, service, t, `has started ${count} tasks: ${started.map((x) => `(task ${x.id})`).join(' ')}.`);
}

/** The scheduler's reaction to a task of this service failing (to start, to stay up, or its health checks). */
export function onTaskFailed(sim: Sim, service: EcsService, task: EcsTask, t: number): void {
  const d = service.deployments.find((x) => x.id === task.deploymentId);
  service.wakeAt = Math.min(service.wakeAt ?? t, t);
  if (!d) return;
  d.failedTasks++;
  d.consecutiveFailures++;
  d.updatedAt = t;
  d.nextLaunchAt = t + backoff(sim, d.consecutiveFailures);
  const breaker = service.deploymentConfiguration.deploymentCircuitBreaker;
  if (d.status === 'PRIMARY' && d.rolloutState === 'IN_PROGRESS' && breaker?.enable && d.failedTasks >= breakerThreshold(service.desiredCount)) {
    trip(sim, service, d, t, breaker.rollback === true);
  } else if (d.consecutiveFailures >= 5 && !d.impaired) {
    d.impaired = true;
    serviceEvent(sim, service, t, 'is unable to consistently start tasks successfully. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.');
  }
}

export function onTaskHealthy(service: EcsService, task: EcsTask, t: number): void {
  // A task that came up resets launch throttling (not the breaker's failure count).
  const d = service.deployments.find((x) => x.id === task.deploymentId);
  if (d) d.consecutiveFailures = 0;
  service.wakeAt = Math.min(service.wakeAt ?? t, t);
}

function trip(sim: Sim, service: EcsService, d: EcsDeployment, t: number, rollback: boolean): void {
  d.rolloutState = 'FAILED';
  d.rolloutStateReason = BREAKER_REASON;
  d.updatedAt = t;
  serviceEvent(sim, service, t, `(deployment ${d.id}) deployment failed: tasks failed to start.`);
  const target = service.lastCompleted;
  const original = d.rollbackOf ? service.deployments.find((x) => x.id === d.rollbackOf) : undefined;
  if (rollback && target && !d.rollbackOf) {
    const restored = service.deployments.find((x) => x.id === target.deploymentId);
    d.deploymentStatus = 'ROLLBACK_IN_PROGRESS';
    d.statusReason = BREAKER_REASON;
    d.rollback = { reason: 'Service deployment rolled back because the circuit breaker threshold was exceeded.', startedAt: t, serviceRevisionArn: restored?.serviceRevisionArn ?? '' };
    newDeployment(sim, service, t, target.taskDefinition, d.id);
    serviceEvent(sim, service, t, `rolling back to deployment ${target.deploymentId}.`);
    return;
  }
  // Nothing to roll back to (a first deployment), or rollback off: the deployment stops at FAILED.
  d.deploymentStatus = 'STOPPED';
  d.statusReason = BREAKER_REASON;
  d.finishedAt = t;
  if (original) original.deploymentStatus = 'ROLLBACK_FAILED';
}

/**
 * Whether a task counts towards a finished deployment. A task that is about to exit (a crash loop)
 * never does: ECS would see it stop before the deployment settles, and count it as failed to start.
 */
function healthy(sim: Sim, service: EcsService, task: EcsTask): boolean {
  return task.desiredStatus === 'RUNNING' && task.lastStatus === 'RUNNING' && task.outcome.kind === 'serve' && task.healthStatus !== 'UNHEALTHY' && targetsHealthy(sim, task, service);
}

const scaling = (d: EcsDeployment) => `Scaling activity initiated by (deployment ${d.id})`;

export function reconcile(sim: Sim, service: EcsService, t: number): void {
  service.wakeAt = undefined;
  const tasks = tasksOf(sim, service);
  const primary = service.deployments.find((d) => d.status === 'PRIMARY');
  if (service.status === 'INACTIVE' || !primary) return;
  if (service.status === 'DRAINING') {
    for (const task of tasks) stopTask(sim, task, t, 'ServiceSchedulerInitiated', scaling(primary));
    if (tasks.every((x) => x.lastStatus === 'STOPPED')) {
      service.status = 'INACTIVE';
      for (const d of service.deployments) if (d.status !== 'INACTIVE') d.status = 'INACTIVE';
    }
    return;
  }
  for (const d of service.deployments) {
    if (d.status === 'ACTIVE' && !tasks.some((x) => x.deploymentId === d.id && x.lastStatus !== 'STOPPED')) {
      d.status = 'INACTIVE';
      d.updatedAt = t;
    }
  }
  const live = (d: EcsDeployment) => tasks.filter((x) => x.deploymentId === d.id && x.desiredStatus === 'RUNNING');
  const desired = service.desiredCount;
  const config = service.deploymentConfiguration;
  const minHealthy = Math.ceil((desired * (config.minimumHealthyPercent ?? 100)) / 100);
  const maxTotal = Math.max(desired, Math.floor((desired * (config.maximumPercent ?? 200)) / 100));
  const old = service.deployments.filter((d) => d.status === 'ACTIVE').reverse();

  // Old tasks go once enough new ones are healthy; a FAILED deployment (nothing to roll back to) keeps them.
  if (primary.rolloutState !== 'FAILED') {
    let healthyTotal = tasks.filter((x) => healthy(sim, service, x)).length;
    const stopped: EcsTask[] = [];
    for (const d of old) {
      for (const task of live(d)) {
        if (healthy(sim, service, task) && healthyTotal - 1 < minHealthy) continue;
        if (healthy(sim, service, task)) healthyTotal--;
        stopTask(sim, task, t, 'ServiceSchedulerInitiated', scaling(primary));
        stopped.push(task);
      }
    }
    const draining = stopped.filter((x) => x.lastStatus === 'DEACTIVATING');
    if (draining.length) serviceEvent(sim, service, t, `has begun draining connections on ${draining.length} tasks.`);
    if (stopped.length) serviceEvent(sim, service, t, `has stopped ${stopped.length} running tasks: ${stopped.map((x) => `(task ${x.id})`).join(' ')}.`);
  }

  const current = live(primary);
  if (current.length > desired) {
    const excess = [...current].sort((a, b) => Number(healthy(sim, service, a)) - Number(healthy(sim, service, b)) || b.createdAt - a.createdAt).slice(0, current.length - desired);
    for (const task of excess) stopTask(sim, task, t, 'ServiceSchedulerInitiated', scaling(primary));
    if (excess.length) serviceEvent(sim, service, t, `has stopped ${excess.length} running tasks: ${excess.map((x) => `(task ${x.id})`).join(' ')}.`);
  } else if (current.length < desired && primary.rolloutState !== 'FAILED') {
    if (t >= (primary.nextLaunchAt ?? -Infinity)) {
      const room = maxTotal - tasks.filter((x) => x.desiredStatus === 'RUNNING').length;
      const count = Math.min(desired - current.length, room);
      if (count > 0) launch(sim, service, primary, t, count);
    }
    if ((primary.nextLaunchAt ?? -Infinity) > t) service.wakeAt = primary.nextLaunchAt;
  }

  const settled = live(primary);
  const steady = !service.deployments.some((d) => d.status === 'ACTIVE') && settled.length === desired && settled.every((x) => healthy(sim, service, x));
  if (steady && primary.rolloutState === 'IN_PROGRESS') complete(sim, service, primary, t);
  if (steady && primary.rolloutState !== 'FAILED' && !service.steady) serviceEvent(sim, service, t, 'has reached a steady state.');
  service.steady = steady && primary.rolloutState !== 'FAILED';
}

function complete(sim: Sim, service: EcsService, d: EcsDeployment, t: number): void {
  d.rolloutState = 'COMPLETED';
  d.rolloutStateReason = `ECS deployment ${d.id} completed.`;
  d.updatedAt = t;
  d.finishedAt = t;
  d.deploymentStatus = 'SUCCESSFUL';
  service.lastCompleted = { deploymentId: d.id, taskDefinition: d.taskDefinition };
  const original = d.rollbackOf ? service.deployments.find((x) => x.id === d.rollbackOf) : undefined;
  if (original) {
    original.deploymentStatus = 'ROLLBACK_SUCCESSFUL';
    original.finishedAt = t;
  }
  serviceEvent(sim, service, t, `(deployment ${d.id}) deployment completed.`);
}
