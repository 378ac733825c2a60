import { DescribeTaskDefinitionCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import type { Step } from '../../../src/engine/types.js';
import type { RolloutContext } from '../context.js';
import { desiredTaskDefinition, sameTaskDefinition } from '../task-definition-spec.js';

export function desiredFor(c: RolloutContext) {
  return desiredTaskDefinition({
    names: c.names,
    environment: c.environment(),
    image: c.output('image', 'image'),
    executionRoleArn: c.output('execution-role', 'roleArn'),
    region: c.settings.region,
    tags: c.tags,
  });
}

/**
 * A new revision only when it differs from the latest one: rolling out the same image twice reuses the
 * revision (and then the service step finds nothing to deploy).
 */
export const taskDefinition: Step<RolloutContext> = {
  id: 'task-definition',
  title: 'Task definition (image pinned by digest)',
  plan: (c) => `ecs:RegisterTaskDefinition ${c.names.family} with ${c.output('image', 'image')}`,
  async probe(c) {
    const current = await latest(c);
    if (!current?.taskDefinitionArn || !sameTaskDefinition(current, desiredFor(c))) return undefined;
    return { arn: current.taskDefinitionArn, revision: current.revision ?? 0 };
  },
  async apply(c) {
    const out = await (await c.ecs()).send(new RegisterTaskDefinitionCommand(await keepingTaskRole(c, desiredFor(c))), { abortSignal: c.signal });
    c.report.log(`Registered ${c.names.family}:${out.taskDefinition?.revision}`);
    return { arn: out.taskDefinition?.taskDefinitionArn ?? '', revision: out.taskDefinition?.revision ?? 0 };
  },
};

export async function latest(c: RolloutContext) {
  const ecs = await c.ecs();
  try {
    return (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: c.names.family }), { abortSignal: c.signal })).taskDefinition;
  } catch (error) {
    // A family with no revisions is a ClientException ("Unable to describe task definition.").
    if ((error as Error).name === 'ClientException' && /unable to describe task definition/i.test((error as Error).message)) return undefined;
    throw error;
  }
}

/**
 * A new revision keeps the task role of the latest one: the rollout sets none itself, so one there was
 * given by `slipway exec` (ECS Exec's role) or by hand, and dropping it would take ECS Exec (or the app's
 * permissions) away with the next image.
 */
export async function keepingTaskRole<T extends { taskRoleArn?: string }>(c: RolloutContext, desired: T): Promise<T> {
  const taskRoleArn = (await latest(c))?.taskRoleArn;
  return taskRoleArn ? { ...desired, taskRoleArn } : desired;
}
