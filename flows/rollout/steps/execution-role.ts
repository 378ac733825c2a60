import { AttachRolePolicyCommand, CreateRoleCommand, GetRoleCommand, ListAttachedRolePoliciesCommand } from '@aws-sdk/client-iam';
import { tolerate } from '../../../src/aws/errors.js';
import type { Step } from '../../../src/engine/types.js';
import type { RolloutContext } from '../context.js';

export const TASK_EXECUTION_POLICY_ARN = 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy';

/** Trusted by ECS tasks only (reference §2); the managed policy lets Fargate pull from ECR and write logs. */
export function ecsTasksTrustPolicy(): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
}

/**
 * The task execution role Fargate pulls the image and writes logs with. A role made seconds ago is
 * not yet usable by ECS (IAM propagation): the service step waits that out visibly, using `createdAt`.
 */
export const executionRole: Step<RolloutContext> = {
  id: 'execution-role',
  title: 'Task execution role',
  plan: (c) => `iam:CreateRole ${c.names.executionRole} (trust: ecs-tasks) + AmazonECSTaskExecutionRolePolicy`,
  async probe(c) {
    const iam = await c.iam();
    const role = (await tolerate('not-found', () => iam.send(new GetRoleCommand({ RoleName: c.names.executionRole }), { abortSignal: c.signal })))?.Role;
    if (!role?.Arn || !(await attached(c)).includes(TASK_EXECUTION_POLICY_ARN)) return undefined;
    if (!decodeURIComponent(role.AssumeRolePolicyDocument ?? '').includes('ecs-tasks.amazonaws.com')) {
      c.report.log(`${c.names.executionRole} does not trust ecs-tasks.amazonaws.com; ECS will not be able to use it. Fix its trust policy or delete it.`, 'warn');
    }
    return { roleArn: role.Arn, createdAt: role.CreateDate?.getTime() ?? 0 };
  },
  async apply(c) {
    const iam = await c.iam();
    const created = await tolerate('already-exists', () =>
      iam.send(
        new CreateRoleCommand({
          RoleName: c.names.executionRole,
          AssumeRolePolicyDocument: ecsTasksTrustPolicy(),
          Description: `ECS task execution role of ${c.settings.app} ${c.settings.env} (slipway)`,
          Tags: c.tags,
        }),
        { abortSignal: c.signal },
      ),
    );
    const role = created?.Role ?? (await iam.send(new GetRoleCommand({ RoleName: c.names.executionRole }), { abortSignal: c.signal })).Role;
    if (!(await attached(c)).includes(TASK_EXECUTION_POLICY_ARN)) {
      await iam.send(new AttachRolePolicyCommand({ RoleName: c.names.executionRole, PolicyArn: TASK_EXECUTION_POLICY_ARN }), { abortSignal: c.signal });
    }
    return { roleArn: role?.Arn ?? '', createdAt: role?.CreateDate?.getTime() ?? Date.now() };
  },
};

async function attached(c: RolloutContext): Promise<string[]> {
  const out = await (await c.iam()).send(new ListAttachedRolePoliciesCommand({ RoleName: c.names.executionRole }), { abortSignal: c.signal });
  return (out.AttachedPolicies ?? []).map((p) => p.PolicyArn ?? '');
}
