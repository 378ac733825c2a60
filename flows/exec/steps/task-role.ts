import { CreateRoleCommand, GetRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { tolerate } from '../../../src/aws/errors.js';
import type { Step } from '../../../src/engine/types.js';
import type { RolloutContext } from '../../rollout/context.js';
import { ecsTasksTrustPolicy } from '../../rollout/steps/execution-role.js';
import { execTaskRoleName as taskRoleNameFor } from '../names.js';
import { EXEC_ACTIONS, EXEC_POLICY_NAME, execPolicyDocument, missingExecActions } from '../policy.js';
import { rolePolicyDocuments, roleNameOf } from './state.js';

/** The role slipway makes for ECS Exec (see ../names.ts). */
export const execTaskRoleName = (c: RolloutContext) => taskRoleNameFor(c.names);

/** The role the tasks run as: the task definition's own, or the one slipway makes for ECS Exec. */
function wantedRole(c: RolloutContext): string {
  const existing = c.output('exec-state', 'taskRoleArn');
  return existing ? roleNameOf(existing) : execTaskRoleName(c);
}

/**
 * The task role with the four ssmmessages actions ECS Exec's agent needs, and nothing else: a task
 * definition with no task role gets one made for this (trusted by ECS tasks only, tagged like every
 * slipway resource); one that has a task role gets the inline policy `slipway-ecs-exec` added to it.
 */
export const taskRole: Step<RolloutContext> = {
  id: 'task-role',
  title: 'Task role with the ECS Exec permissions',
  plan: (c) =>
    c.output('exec-state', 'taskRoleArn')
      ? `iam:PutRolePolicy ${wantedRole(c)} ${EXEC_POLICY_NAME}: ${EXEC_ACTIONS.join(', ')}`
      : `iam:CreateRole ${wantedRole(c)} (trust: ecs-tasks) + inline policy ${EXEC_POLICY_NAME}: ${EXEC_ACTIONS.join(', ')}`,
  async probe(c) {
    const name = wantedRole(c);
    const role = (await tolerate('not-found', async () => (await c.iam()).send(new GetRoleCommand({ RoleName: name }), { abortSignal: c.signal })))?.Role;
    if (!role?.Arn) return undefined;
    const docs = await rolePolicyDocuments(c, name);
    if (!docs || missingExecActions(docs).length > 0) return undefined;
    return { roleArn: role.Arn, roleName: name, createdAt: role.CreateDate?.getTime() ?? 0 };
  },
  async apply(c) {
    const iam = await c.iam();
    const name = wantedRole(c);
    let role = (await tolerate('not-found', () => iam.send(new GetRoleCommand({ RoleName: name }), { abortSignal: c.signal })))?.Role;
    if (!role && !c.output('exec-state', 'taskRoleArn')) {
      const created = await tolerate('already-exists', () =>
        iam.send(
          new CreateRoleCommand({
            RoleName: name,
            AssumeRolePolicyDocument: ecsTasksTrustPolicy(),
            Description: `ECS task role of ${c.settings.app} ${c.settings.env} (slipway): ECS Exec sessions`,
            Tags: c.tags,
          }),
          { abortSignal: c.signal },
        ),
      );
      role = created?.Role ?? (await iam.send(new GetRoleCommand({ RoleName: name }), { abortSignal: c.signal })).Role;
      c.report.log(`Created role ${name}`);
    }
    if (!role?.Arn) throw new Error(`The task role ${name} named by the task definition does not exist.`);
    await iam.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: EXEC_POLICY_NAME, PolicyDocument: execPolicyDocument() }), { abortSignal: c.signal });
    c.report.log(`${name}: inline policy ${EXEC_POLICY_NAME} (${EXEC_ACTIONS.join(', ')})`);
    return { roleArn: role.Arn, roleName: name, createdAt: role.CreateDate?.getTime() ?? Date.now() };
  },
};
