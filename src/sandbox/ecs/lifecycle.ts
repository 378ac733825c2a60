import { digits } from './common.js';
import { registerTargets, removeTargets, serviceEvent, serviceOf, setTargets, writeLogs, type Sim } from './effects.js';
import { mainContainer } from './outcome.js';
import type { EcsContainer, EcsTask, TaskAction } from './state.js';

/**
 * A task's life, one phase at a time: PROVISIONING → PENDING → ACTIVATING → RUNNING, then (when it
 * exits, fails its health checks or is stopped) DEACTIVATING → STOPPING → DEPROVISIONING → STOPPED.
 * Each task carries its next step; advance.ts takes them in time order.
 */

/** What a step means for the service that owns the task. */
export type Signal = 'failed' | 'healthy' | undefined;

const HOUR = 3_600_000;
const PRE_RUNNING = new Set(['PROVISIONING', 'PENDING', 'ACTIVATING']);

export function schedule(task: EcsTask, at: number, action: TaskAction): void {
  task.next = { at, action };
}

function main(task: EcsTask, sim: Sim): EcsContainer {
  const def = sim.ecs.taskDefinitions[task.region]?.[task.family]?.find((d) => d.arn === task.taskDefinitionArn);
  const name = def ? mainContainer(def.containerDefinitions).name : undefined;
  return task.containers.find((c) => c.name === name) ?? task.containers[0]!;
}

/** ECS stops a task: the scheduler (ServiceSchedulerInitiated), a user (UserInitiated) or the task itself. */
export function stopTask(sim: Sim, task: EcsTask, t: number, stopCode: string, reason: string): void {
  if (task.desiredStatus === 'STOPPED') return;
  task.desiredStatus = 'STOPPED';
  task.stopCode = stopCode;
  task.stoppedReason = reason;
  task.stoppingAt = t;
  task.version++;
  if (PRE_RUNNING.has(task.lastStatus)) {
    schedule(task, t + sim.phase, 'stopped');
  } else if (task.targets.length) {
    task.lastStatus = 'DEACTIVATING';
    setTargets(sim, task, 'draining');
    schedule(task, t + sim.phase, 'stopping');
  } else {
    task.lastStatus = 'STOPPING';
    schedule(task, t + sim.phase, 'deprovisioning');
  }
}

function stopContainers(task: EcsTask, t: number, signalled: boolean): void {
  for (const c of task.containers) {
    if (c.lastStatus === 'RUNNING' && c.exitCode === undefined && signalled) c.exitCode = 143; // SIGTERM
    c.lastStatus = 'STOPPED';
  }
  task.executionStoppedAt ??= t;
}

/** Takes the task's scheduled step at `t` (its `next.at`). */
export function step(sim: Sim, task: EcsTask, t: number): Signal {
  const action = task.next?.action;
  task.next = undefined;
  task.version++;
  const service = serviceOf(sim, task);
  const outcome = task.outcome;
  switch (action) {
    case 'pending':
      task.lastStatus = 'PENDING';
      task.pullStartedAt = t;
      schedule(task, t + sim.phase, outcome.kind === 'fail' ? 'fail' : 'activating');
      return undefined;
    case 'fail':
      stopTask(sim, task, t, 'TaskFailedToStart', outcome.kind === 'fail' ? outcome.reason : 'Task failed to start');
      task.lastStatus = 'DEPROVISIONING';
      stopContainers(task, t, false);
      return 'failed';
    case 'activating':
      task.lastStatus = 'ACTIVATING';
      task.pullStoppedAt = t;
      task.connectivityAt = t;
      schedule(task, t + sim.phase, 'running');
      return undefined;
    case 'running':
      return running(sim, task, t);
    case 'exit': {
      const container = main(task, sim);
      if (outcome.kind === 'exit') {
        container.exitCode = outcome.exitCode;
        if (outcome.reason) container.reason = outcome.reason;
      }
      stopTask(sim, task, t, 'EssentialContainerExited', 'Essential container in task exited');
      stopContainers(task, t, true);
      // A job that exits is done; a service task that exits has failed (it should keep serving).
      return task.service !== undefined || (outcome.kind === 'exit' && outcome.exitCode !== 0) ? 'failed' : undefined;
    }
    case 'target-healthy':
      setTargets(sim, task, 'healthy');
      return 'healthy';
    case 'target-unhealthy': {
      setTargets(sim, task, 'unhealthy');
      const container = main(task, sim);
      for (const target of task.targets) {
        const path = sim.state.elbv2?.targetGroups[task.region]?.[target.targetGroupArn]?.healthCheckPath ?? '/';
        writeLogs(sim, container, t, [`GET ${path} 404`]);
        if (service) serviceEvent(sim, service, t, `(task ${task.id}) (port ${target.port}) is unhealthy in (target-group ${target.targetGroupArn}) due to (reason Health checks failed with these codes: [404]).`);
      }
      // ECS ignores failed health checks during the grace period.
      const grace = (service?.healthCheckGracePeriodSeconds ?? 0) * 1000;
      schedule(task, Math.max(t + sim.phase, (task.startedAt ?? t) + grace), 'health-kill');
      return undefined;
    }
    case 'health-kill': {
      const elb = task.targets[0];
      const reason = elb ? `Task failed ELB health checks in (target-group ${elb.targetGroupArn})` : 'Task failed container health checks';
      stopTask(sim, task, t, 'ServiceSchedulerInitiated', reason);
      if (service) serviceEvent(sim, service, t, `has stopped 1 running tasks: (task ${task.id}).`);
      return 'failed';
    }
    case 'stopping':
      task.lastStatus = 'STOPPING';
      if (service) for (const target of task.targets) serviceEvent(sim, service, t, `deregistered 1 targets in (target-group ${target.targetGroupArn})`);
      removeTargets(sim, task);
      schedule(task, t + sim.phase, 'deprovisioning');
      return undefined;
    case 'deprovisioning':
      task.lastStatus = 'DEPROVISIONING';
      stopContainers(task, t, true);
      schedule(task, t + sim.phase, 'stopped');
      return undefined;
    case 'stopped':
      task.lastStatus = 'STOPPED';
      task.stoppedAt = t;
      stopContainers(task, t, false);
      removeTargets(sim, task);
      // ECS forgets stopped tasks after about an hour.
      schedule(task, t + HOUR, 'forget');
      return undefined;
    case 'forget':
      delete sim.ecs.tasks[task.region]?.[task.id];
      return undefined;
    default:
      return undefined;
  }
}

function running(sim: Sim, task: EcsTask, t: number): Signal {
  const service = serviceOf(sim, task);
  const outcome = task.outcome;
  task.lastStatus = 'RUNNING';
  task.startedAt = t;
  for (const c of task.containers) {
    c.lastStatus = 'RUNNING';
    c.runtimeId = `${task.id}-${digits(sim.ids, 10)}`;
  }
  const container = main(task, sim);
  if (outcome.kind === 'exit') {
    writeLogs(sim, container, t, outcome.logs);
    schedule(task, t + outcome.runPhases * sim.phase, 'exit');
    return undefined;
  }
  if (outcome.kind !== 'serve') return undefined;
  writeLogs(sim, container, t, outcome.logs);
  if (service) {
    registerTargets(sim, task, service);
    for (const target of task.targets) serviceEvent(sim, service, t, `registered 1 targets in (target-group ${target.targetGroupArn})`);
  }
  if (task.targets.length) {
    schedule(task, t + sim.phase, outcome.healthy ? 'target-healthy' : 'target-unhealthy');
    return undefined;
  }
  // Without a load balancer only a container health check can fail the task.
  if (container.healthStatus !== undefined) {
    container.healthStatus = outcome.healthy ? 'HEALTHY' : 'UNHEALTHY';
    task.healthStatus = container.healthStatus;
    if (!outcome.healthy && service) {
      schedule(task, Math.max(t + 2 * sim.phase, t + (service.healthCheckGracePeriodSeconds ?? 0) * 1000), 'health-kill');
      return undefined;
    }
  }
  return 'healthy';
}
