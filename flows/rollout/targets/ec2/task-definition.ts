import { RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import type { Step } from '../../../../src/engine/types.js';
import type { RolloutContext } from '../../context.js';
import { keepingTaskRole, latest } from '../../steps/task-definition.js';
import { desiredTaskDefinition, sameTaskDefinition } from '../../task-definition-spec.js';

/** The rollout's task definition, for EC2 container instances: awsvpc, the task's size reserved on an instance. */
export function ec2TaskDefinitionFor(c: RolloutContext) {
  const base = desiredTaskDefinition({
    names: c.names,
    environment: c.environment(),
    image: c.output('image', 'image'),
    executionRoleArn: c.output('execution-role', 'roleArn'),
    region: c.settings.region,
    tags: c.tags,
  });
  return { ...base, requiresCompatibilities: ['EC2' as const] };
}

/** A new revision only when the latest one differs, or cannot run on EC2 instances. */
export const ec2TaskDefinition: Step<RolloutContext> = {
  id: 'task-definition',
  title: 'Task definition (image pinned by digest, EC2)',
  plan: (c) => `ecs:RegisterTaskDefinition ${c.names.family} (EC2, awsvpc) with ${c.output('image', 'image')}`,
  async probe(c) {
    const current = await latest(c);
    if (!current?.taskDefinitionArn || !current.requiresCompatibilities?.includes('EC2') || !sameTaskDefinition(current, ec2TaskDefinitionFor(c))) return undefined;
    return { arn: current.taskDefinitionArn, revision: current.revision ?? 0 };
  },
  async apply(c) {
    const out = await (await c.ecs()).send(new RegisterTaskDefinitionCommand(await keepingTaskRole(c, ec2TaskDefinitionFor(c))), { abortSignal: c.signal });
    c.report.log(`Registered ${c.names.family}:${out.taskDefinition?.revision} (EC2)`);
    return { arn: out.taskDefinition?.taskDefinitionArn ?? '', revision: out.taskDefinition?.revision ?? 0 };
  },
};
