import type { NetworkConfiguration, TaskOverride } from '@aws-sdk/client-ecs';
import type { Tag } from '../state.js';
import { taskId as newTaskId, uuid } from './common.js';
import type { Sim } from './effects.js';
import { schedule } from './lifecycle.js';
import { decideOutcome, type OutcomeOptions } from './outcome.js';
import { parseImage } from './preflight.js';
import type { EcsContainer, EcsTask, EcsTaskDefinition } from './state.js';

/**
 * A new task, PROVISIONING: its containers, its network interface (awsvpc) and where its containers
 * log; what it will do is decided now (outcome.ts), and its first step scheduled a phase later.
 */

export interface NewTask extends OutcomeOptions {
  region: string;
  cluster: string;
  def: EcsTaskDefinition;
  launchType: string;
  platformVersion?: string;
  networkConfiguration?: NetworkConfiguration;
  group: string;
  startedBy?: string;
  overrides?: TaskOverride;
  tags: Tag[];
  clientToken?: string;
  service?: string;
  deploymentId?: string;
  enableExecuteCommand?: boolean;
}

function containerOf(sim: Sim, spec: NewTask, id: string, c: EcsTaskDefinition['containerDefinitions'][number]): EcsContainer {
  const options = c.logConfiguration?.logDriver === 'awslogs' ? (c.logConfiguration.options ?? {}) : undefined;
  const prefix = options?.['awslogs-stream-prefix'];
  return {
    name: c.name ?? '',
    uuid: uuid(sim.ids),
    image: c.image ?? '',
    imageDigest: parseImage(sim.state, c.image ?? '').digest,
    essential: c.essential ?? true,
    lastStatus: 'PENDING',
    cpu: c.cpu ?? 0,
    memory: c.memory,
    memoryReservation: c.memoryReservation,
    healthStatus: c.healthCheck ? 'UNKNOWN' : undefined,
    log: options?.['awslogs-group'] ? { region: options['awslogs-region'] ?? spec.region, group: options['awslogs-group'], stream: prefix ? `${prefix}/${c.name}/${id}` : id } : undefined,
  };
}

/** `awslogs-create-group: "true"` makes the log driver create its group. */
function createLogGroups(sim: Sim, task: EcsTask, t: number): void {
  for (const c of task.containers) {
    if (!c.log) continue;
    const options = sim.ecs.taskDefinitions[task.region]?.[task.family]?.find((d) => d.arn === task.taskDefinitionArn)?.containerDefinitions.find((d) => d.name === c.name)?.logConfiguration?.options;
    if (options?.['awslogs-create-group'] !== 'true') continue;
    const groups = ((sim.state.logs ??= { groups: {} }).groups[c.log.region] ??= {});
    groups[c.log.group] ??= { name: c.log.group, arn: `arn:aws:logs:${c.log.region}:${sim.state.accountId}:log-group:${c.log.group}`, createdAt: t, tags: {}, streams: {} };
  }
}

export function createTask(sim: Sim, spec: NewTask, t: number): EcsTask {
  const id = newTaskId(sim.ids);
  const awsvpc = spec.def.networkMode === 'awsvpc';
  const subnet = spec.networkConfiguration?.awsvpcConfiguration?.subnets?.[0] ?? '';
  const [a, b, c] = sim.ids.bytes(3) as unknown as [number, number, number];
  const task: EcsTask = {
    id,
    arn: `arn:aws:ecs:${spec.region}:${sim.state.accountId}:task/${spec.cluster}/${id}`,
    region: spec.region,
    cluster: spec.cluster,
    taskDefinitionArn: spec.def.arn,
    family: spec.def.family,
    service: spec.service,
    deploymentId: spec.deploymentId,
    group: spec.group,
    startedBy: spec.startedBy,
    launchType: spec.launchType,
    platformVersion: spec.launchType === 'FARGATE' ? '1.4.0' : undefined,
    cpu: spec.def.cpu,
    memory: spec.def.memory,
    availabilityZone: `${spec.region}${'abcdef'[c % 6]}`,
    createdAt: t,
    version: 1,
    lastStatus: 'PROVISIONING',
    desiredStatus: 'RUNNING',
    healthStatus: 'UNKNOWN',
    containers: [],
    eni: awsvpc ? { attachmentId: uuid(sim.ids), id: `eni-${sim.ids.bytes(9).toString('hex').slice(0, 17)}`, subnetId: subnet, privateIp: `172.31.${a % 96}.${4 + (b % 250)}`, mac: `0e:${sim.ids.bytes(5).toString('hex').match(/../g)!.join(':')}` } : undefined,
    overrides: spec.overrides ? structuredClone(spec.overrides) : undefined,
    tags: spec.tags.map((x) => ({ ...x })),
    clientToken: spec.clientToken,
    ...(spec.enableExecuteCommand ? { enableExecuteCommand: true } : {}),
    outcome: { kind: 'stuck' },
    targets: [],
  };
  task.containers = spec.def.containerDefinitions.map((cd) => containerOf(sim, spec, id, cd));
  createLogGroups(sim, task, t);
  task.outcome = decideOutcome(sim.state, spec, id, spec);
  // A task stuck in PROVISIONING (the stuck-pending scenario) never takes a step.
  if (task.outcome.kind !== 'stuck') schedule(task, t + sim.phase, 'pending');
  sim.ecs.tasks[spec.region] ??= {};
  sim.ecs.tasks[spec.region]![id] = task;
  return task;
}

