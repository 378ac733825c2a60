import type { IdSource } from '../ids.js';
import type { Elbv2Target, SandboxState } from '../state.js';
import type { CallContext } from '../operation.js';
import { ecsForUpdate, phaseMs, uuid, type EcsData } from './common.js';
import type { EcsContainer, EcsService, EcsTask } from './state.js';

/** What the simulation works with: the account, its ECS slice, ids, and the phase length in ms. */
export interface Sim {
  state: SandboxState;
  ecs: EcsData;
  ids: IdSource;
  phase: number;
}

/** The simulation's view of a mutating call's account. */
export function simFor(ctx: CallContext): Sim {
  return { state: ctx.state, ecs: ecsForUpdate(ctx.state), ids: ctx.ids, phase: phaseMs(ctx.state) };
}

const MAX_EVENTS = 100;

/** Adds a service event (newest first; ECS keeps about the last 100). */
export function serviceEvent(sim: Sim, service: EcsService, t: number, message: string): void {
  service.events.unshift({ id: uuid(sim.ids), createdAt: t, message: `(service ${service.name}) ${message}` });
  service.events.length = Math.min(service.events.length, MAX_EVENTS);
}

export function serviceOf(sim: Sim, task: EcsTask): EcsService | undefined {
  return task.service === undefined ? undefined : sim.ecs.services[task.region]?.[`${task.cluster}/${task.service}`];
}

/** Appends lines to a container's awslogs stream, if its log group exists (the stream is created on first write). */
export function writeLogs(sim: Sim, container: EcsContainer, t: number, lines: string[]): void {
  if (!container.log || !lines.length) return;
  const group = sim.state.logs?.groups[container.log.region]?.[container.log.group];
  if (!group) return;
  const stream = (group.streams[container.log.stream] ??= { name: container.log.stream, createdAt: t, events: [] });
  for (const message of lines) stream.events.push({ timestamp: t, message, ingestionTime: t });
}

function targetsOf(sim: Sim, task: EcsTask, targetGroupArn: string): Elbv2Target[] | undefined {
  return sim.state.elbv2?.targetGroups[task.region]?.[targetGroupArn]?.targets;
}

/** ECS registers a running task's IP with each of the service's target groups. */
export function registerTargets(sim: Sim, task: EcsTask, service: EcsService): void {
  const ip = task.eni?.privateIp;
  if (!ip) return;
  for (const lb of service.loadBalancers) {
    if (!lb.targetGroupArn || lb.containerPort === undefined) continue;
    const targets = targetsOf(sim, task, lb.targetGroupArn);
    if (!targets) continue;
    const target: Elbv2Target = { id: ip, port: lb.containerPort, state: 'initial', reason: 'Elb.RegistrationInProgress', description: 'Target registration is in progress' };
    const existing = targets.findIndex((x) => x.id === ip && x.port === lb.containerPort);
    if (existing >= 0) targets[existing] = target;
    else targets.push(target);
    task.targets.push({ targetGroupArn: lb.targetGroupArn, port: lb.containerPort });
  }
}

const TARGET_STATES: Record<'healthy' | 'unhealthy' | 'draining', Pick<Elbv2Target, 'state' | 'reason' | 'description'>> = {
  healthy: { state: 'healthy' },
  unhealthy: { state: 'unhealthy', reason: 'Target.ResponseCodeMismatch', description: 'Health checks failed with these codes: [404]' },
  draining: { state: 'draining', reason: 'Target.DeregistrationInProgress', description: 'Target deregistration is in progress' },
};

export function setTargets(sim: Sim, task: EcsTask, health: keyof typeof TARGET_STATES): void {
  for (const registered of task.targets) {
    const target = targetsOf(sim, task, registered.targetGroupArn)?.find((x) => x.id === task.eni?.privateIp && x.port === registered.port);
    if (!target) continue;
    delete target.reason;
    delete target.description;
    Object.assign(target, TARGET_STATES[health]);
  }
}

export function removeTargets(sim: Sim, task: EcsTask): void {
  for (const registered of task.targets) {
    const targets = targetsOf(sim, task, registered.targetGroupArn);
    if (!targets) continue;
    const index = targets.findIndex((x) => x.id === task.eni?.privateIp && x.port === registered.port);
    if (index >= 0) targets.splice(index, 1);
  }
  task.targets = [];
}

/** Whether every target the task registered is healthy (a task behind no load balancer is healthy when running). */
export function targetsHealthy(sim: Sim, task: EcsTask, service: EcsService | undefined): boolean {
  const wanted = (service?.loadBalancers ?? []).filter((lb) => lb.targetGroupArn && targetsOf(sim, task, lb.targetGroupArn)).length;
  if (task.targets.length < wanted) return false;
  return task.targets.every((r) => targetsOf(sim, task, r.targetGroupArn)?.find((x) => x.id === task.eni?.privateIp && x.port === r.port)?.state === 'healthy');
}
