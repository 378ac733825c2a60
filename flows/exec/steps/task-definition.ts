import { DescribeTaskDefinitionCommand, RegisterTaskDefinitionCommand, type RegisterTaskDefinitionCommandInput, type TaskDefinition } from '@aws-sdk/client-ecs';
import type { Step } from '../../../src/engine/types.js';
import type { RolloutContext } from '../../rollout/context.js';
import { describeDefinition } from './state.js';

/** What RegisterTaskDefinition takes of a described revision: the same task, nothing ECS added. */
export function registerableCopy(d: TaskDefinition & { tags?: { key?: string; value?: string }[] }, taskRoleArn: string): RegisterTaskDefinitionCommandInput {
  const copy: RegisterTaskDefinitionCommandInput = {
    family: d.family!,
    taskRoleArn,
    executionRoleArn: d.executionRoleArn,
    networkMode: d.networkMode,
    containerDefinitions: d.containerDefinitions ?? [],
    volumes: d.volumes?.length ? d.volumes : undefined,
    placementConstraints: d.placementConstraints?.length ? d.placementConstraints : undefined,
    requiresCompatibilities: d.requiresCompatibilities,
    cpu: d.cpu,
    memory: d.memory,
    pidMode: d.pidMode,
    ipcMode: d.ipcMode,
    proxyConfiguration: d.proxyConfiguration,
    ephemeralStorage: d.ephemeralStorage,
    runtimePlatform: d.runtimePlatform,
    tags: d.tags?.length ? d.tags : undefined,
  };
  return Object.fromEntries(Object.entries(copy).filter(([, v]) => v !== undefined)) as unknown as RegisterTaskDefinitionCommandInput;
}

/** The same revision apart from its task role (how a resumed run recognises the copy it registered). */
function sameBut(a: TaskDefinition, b: TaskDefinition): boolean {
  const essence = (d: TaskDefinition) => JSON.stringify([d.containerDefinitions, d.cpu, d.memory, d.executionRoleArn, d.networkMode, d.runtimePlatform, d.requiresCompatibilities]);
  return essence(a) === essence(b);
}

/**
 * A task definition naming the task role: the service's own revision when it does already (a role
 * that only lacked the permissions), else a new revision copied from it with `taskRoleArn` set —
 * image, size and settings unchanged. A resumed run adopts the copy it registered before a crash.
 */
export const execTaskDefinition: Step<RolloutContext> = {
  id: 'exec-task-definition',
  title: 'Task definition naming the task role',
  plan: (c) => `ecs:RegisterTaskDefinition ${c.names.family}: ${c.output('exec-state', 'revision')} with taskRoleArn ${c.output('task-role', 'roleArn')}`,
  async planChanges(c) {
    if (c.output('exec-state', 'taskRoleArn')) return [];
    return [`create: a new revision of ${c.output('exec-state', 'revision')} naming the task role made for ECS Exec`];
  },
  async probe(c) {
    const roleArn = c.output('task-role', 'roleArn');
    const current = await describeDefinition(c, c.output('exec-state', 'taskDefinitionArn'));
    if (current.taskRoleArn === roleArn) return { arn: current.taskDefinitionArn ?? '', revision: current.revision ?? 0 };
    const latest = (await (await c.ecs()).send(new DescribeTaskDefinitionCommand({ taskDefinition: current.family }), { abortSignal: c.signal })).taskDefinition;
    if (latest?.taskRoleArn === roleArn && (latest.revision ?? 0) > (current.revision ?? 0) && latest.status === 'ACTIVE' && sameBut(latest, current)) {
      return { arn: latest.taskDefinitionArn ?? '', revision: latest.revision ?? 0 };
    }
    return undefined;
  },
  async apply(c) {
    const current = await describeDefinition(c, c.output('exec-state', 'taskDefinitionArn'));
    const out = await (await c.ecs()).send(new RegisterTaskDefinitionCommand(registerableCopy(current, c.output('task-role', 'roleArn'))), { abortSignal: c.signal });
    c.report.log(`Registered ${out.taskDefinition?.family}:${out.taskDefinition?.revision} (${current.family}:${current.revision} with the task role)`);
    return { arn: out.taskDefinition?.taskDefinitionArn ?? '', revision: out.taskDefinition?.revision ?? 0 };
  },
};
