import type { ExecuteCommandRequest, ExecuteCommandResponse } from '@aws-sdk/client-ecs';
import { fault } from '../errors.js';
import { op, type CallContext, type Operation, type Out } from '../operation.js';
import { evaluate } from '../policy.js';
import type { SandboxState } from '../state.js';
import { ecsArn, ecsForUpdate, findTask, findTaskDefinition, invalidParameter, requireCluster } from './common.js';
import type { EcsTask } from './state.js';

/**
 * ECS Exec (ExecuteCommand) as ECS answers it: the checks in its order and with its error names, and
 * a session object (sessionId, streamUrl, tokenValue) for the Session Manager plugin. Nothing listens
 * at the stream URL — the sandbox has no SSM: `slipway exec` opens the command in the task's image with
 * the local Docker instead and says so. Each session opened is recorded in the account (without its
 * token), so a rehearsal shows which task and container were reached.
 */

/** What ECS Exec's SSM agent needs the task role to allow (troubleshooting: TargetNotConnectedException). */
export const EXEC_ACTIONS = ['ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel'] as const;

const NOT_ENABLED =
  'The execute command failed because execute command was not enabled when the task was run or the execute command agent isn’t running. Wait and try again or run a new task with execute command enabled and try again.';
const NOT_CONNECTED = 'The execute command failed due to an internal error. Try again later.';

/** The task role's policies allow every action the agent's control and data channels need. */
export function taskRoleAllowsExec(state: SandboxState, roleArn: string | undefined): boolean {
  if (!roleArn) return false;
  const role = Object.values(state.iam.roles).find((r) => r.arn === roleArn);
  if (!role) return false;
  const docs = [...Object.values(role.inlinePolicies)];
  for (const arn of role.attachedPolicies) {
    const policy = state.iam.policies[arn];
    const version = policy?.versions.find((v) => v.id === policy.defaultVersionId);
    if (version) docs.push(version.document);
  }
  return EXEC_ACTIONS.every((action) => evaluate(docs, action, '*', {}) === 'allow');
}

function executeCommand(input: ExecuteCommandRequest, ctx: CallContext): Out<ExecuteCommandResponse> {
  const cluster = requireCluster(ctx, input.cluster);
  if (!input.command) throw invalidParameter('command must not be empty.');
  if (input.interactive !== true) throw invalidParameter('Interactive is the only mode supported currently.');
  const task: EcsTask | undefined = findTask(ctx, cluster, input.task ?? '');
  if (!task) throw invalidParameter('The specified task was not found.');
  if (task.desiredStatus !== 'RUNNING' || task.lastStatus !== 'RUNNING' || !task.enableExecuteCommand) throw invalidParameter(NOT_ENABLED);
  const container = input.container === undefined ? (task.containers.length === 1 ? task.containers[0] : undefined) : task.containers.find((c) => c.name === input.container);
  if (!container) throw invalidParameter(input.container === undefined ? 'The task has more than one container: container name must be specified.' : 'The specified container was not found.');
  if (container.lastStatus !== 'RUNNING') throw invalidParameter(NOT_ENABLED);
  // The agent runs, but without the ssmmessages permissions it never connects to Session Manager.
  const def = findTaskDefinition(ctx.state, ctx.region, task.taskDefinitionArn);
  if (!taskRoleAllowsExec(ctx.state, def?.taskRoleArn)) throw fault('TargetNotConnectedException', NOT_CONNECTED);
  const sessionId = `ecs-execute-command-${ctx.ids.bytes(9).toString('hex').slice(0, 17)}`;
  const ecs = ecsForUpdate(ctx.state);
  (ecs.execSessions ??= []).push({ sessionId, region: ctx.region, cluster: cluster.name, taskArn: task.arn, container: container.name, command: input.command, interactive: true, caller: ctx.caller.arn, at: ctx.now });
  return {
    clusterArn: cluster.arn,
    containerArn: ecsArn(ctx, `container/${cluster.name}/${task.id}/${container.uuid}`),
    containerName: container.name,
    interactive: true,
    taskArn: task.arn,
    session: {
      sessionId,
      streamUrl: `wss://ssmmessages.${ctx.region}.amazonaws.com/v1/data-channel/${sessionId}?role=publish_subscribe&cell-number=AAEAAQ`,
      tokenValue: ctx.ids.bytes(48).toString('base64'),
    },
  };
}

export const execOperations: Record<string, Operation> = {
  ExecuteCommand: op<ExecuteCommandRequest, Out<ExecuteCommandResponse>>({
    resource: (input, ctx) => (input.task?.startsWith('arn:') ? input.task : ecsArn(ctx, `task/${(input.cluster ?? 'default').replace(/^.*cluster\//, '')}/${input.task ?? ''}`)),
    run: executeCommand,
  }),
};
