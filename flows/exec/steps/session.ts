import { DescribeTasksCommand, ExecuteCommandCommand, type ExecuteCommandCommandOutput } from '@aws-sdk/client-ecs';
import { classifyAwsError } from '../../../src/aws/errors.js';
import { runDocker } from '../../../src/docker/run.js';
import { SlipwayError } from '../../../src/engine/errors.js';
import type { Step } from '../../../src/engine/types.js';
import type { RolloutContext } from '../../rollout/context.js';
import { checkStep } from '../../shared/check-step.js';
import { showCommand } from '../../run/command.js';
import { EXEC_ACTIONS } from '../policy.js';
import { findOnPath, handOver, PLUGIN, pluginMissing } from '../plugin.js';
import { typedExecAnswers } from '../questions.js';
import { shortTaskId } from '../../shared/task-id.js';

/**
 * The session: ecs:ExecuteCommand on the chosen task and container (interactive, as ECS requires),
 * then AWS's Session Manager plugin with the terminal handed over, exactly as `aws ecs execute-command`
 * runs it; slipway exits with the plugin's exit code. The session's token goes to the plugin and
 * nowhere else (never the journal: the outputs keep the session id only).
 *
 * In the sandbox nothing listens at the session's stream URL: slipway runs the command in a new
 * container of the task's image with the local Docker, and says plainly that this is what it does.
 */
export const session: Step<RolloutContext> = {
  id: 'session',
  title: 'The session (the terminal is the container’s until it ends)',
  readOnly: true,
  plan: (c) => `ecs:ExecuteCommand (interactive) in container ${c.output('exec-state', 'container')}: ${showCommand(typedExecAnswers(c.answers).command)}, through ${PLUGIN}`,
  async probe() {
    return undefined;
  },
  async apply(c) {
    // The wizard holds the terminal in raw mode: a session cannot share it (a resumed exec run picked there).
    if (process.stdin.isTTY && process.stdin.isRaw) {
      throw new SlipwayError('The session needs the terminal, which the full-screen wizard holds.', {
        why: 'ECS Exec is on and the task is chosen; only the session is left.',
        fix: `Leave the wizard and run slipway exec --env ${c.settings.env} (it picks up from here).`,
      });
    }
    const taskArn = c.output('pick-task', 'taskArn');
    const container = c.output('pick-task', 'container');
    const command = showCommand(typedExecAnswers(c.answers).command);
    const ecs = await c.ecs();
    let out: ExecuteCommandCommandOutput;
    try {
      out = await ecs.send(new ExecuteCommandCommand({ cluster: c.names.cluster, task: taskArn, container, command, interactive: true }), { abortSignal: c.signal });
    } catch (error) {
      throw explainExecError(c, error);
    }
    const sessionId = out.session?.sessionId ?? '';
    c.report.log(`Session ${sessionId}: ${command} in ${container} of task ${shortTaskId(taskArn)}.`);
    const exitCode = c.runtime.sandbox ? await sandboxSession(c, taskArn, container) : await pluginSession(c, out, taskArn, container);
    return { taskArn, container, sessionId, exitCode };
  },
};

async function pluginSession(c: RolloutContext, out: ExecuteCommandCommandOutput, taskArn: string, container: string): Promise<number> {
  const plugin = findOnPath(PLUGIN, c.runtime.env, c.runtime.platform);
  if (!plugin) throw pluginMissing(c.runtime.platform);
  const runtimeId = out.containerArn ? await runtimeIdOf(c, taskArn, container) : c.output('pick-task', 'runtimeId');
  const cluster = (out.clusterArn ?? c.names.cluster).split('/').pop();
  const target = { Target: `ecs:${cluster}_${taskArn.split('/').pop()}_${runtimeId}` };
  const endpoint = c.runtime.aws.endpoint ?? `https://ecs.${c.settings.region}.amazonaws.com`;
  // The AWS CLI's order: session JSON, region, "StartSession", profile ('' for none), parameters JSON, endpoint.
  return handOver(plugin, [JSON.stringify(out.session), c.settings.region, 'StartSession', c.runtime.aws.profile ?? '', JSON.stringify(target), endpoint], { env: c.runtime.env, signal: c.signal });
}

async function runtimeIdOf(c: RolloutContext, taskArn: string, container: string): Promise<string> {
  const task = (await (await c.ecs()).send(new DescribeTasksCommand({ cluster: c.names.cluster, tasks: [taskArn] }), { abortSignal: c.signal })).tasks?.[0];
  return task?.containers?.find((k) => k.name === container)?.runtimeId ?? c.output('pick-task', 'runtimeId');
}

/** The sandbox's stand-in for Session Manager: the command in a fresh container of the task's image. */
async function sandboxSession(c: RolloutContext, taskArn: string, container: string): Promise<number> {
  const task = (await (await c.ecs()).send(new DescribeTasksCommand({ cluster: c.names.cluster, tasks: [taskArn] }), { abortSignal: c.signal })).tasks?.[0];
  const image = task?.containers?.find((k) => k.name === container)?.image ?? '';
  const words = typedExecAnswers(c.answers).command;
  c.report.log(
    `SANDBOX: ECS Exec reached the task (recorded in the sandbox). There is no Session Manager here, so slipway runs ${showCommand(words)} in a NEW container of the task’s image ${image} with your local Docker — not in the running task: its files, processes and network are the new container’s own.`,
    'warn',
  );
  const docker = { dockerConfig: c.runtime.dockerConfig, env: c.runtime.env, signal: c.signal };
  const info = await runDocker(['info', '--format', '{{.ServerVersion}}'], { ...docker, timeoutMs: 15_000 });
  if (info.notInstalled || info.exitCode !== 0) {
    throw new SlipwayError('The sandbox cannot open the session: there is no Docker here to run the task’s image.', {
      why: info.notInstalled ? 'docker is not on your PATH.' : `docker info failed: ${info.stderr.trim().split('\n').pop() ?? ''}`,
      fix: 'Start Docker (slipway doctor says how), then run slipway exec again. ExecuteCommand itself was simulated and reached the task.',
    });
  }
  if ((await runDocker(['image', 'inspect', image], docker)).exitCode !== 0) {
    const pulled = await runDocker(['pull', '--quiet', image], docker);
    if (pulled.exitCode !== 0) {
      throw new SlipwayError(`The sandbox cannot open the session: Docker has no image ${image}.`, {
        why: `docker pull failed: ${pulled.stderr.trim().split('\n').pop() ?? ''}`,
        fix: 'Publish the image in this sandbox (slipway publish --sandbox-name …) so its registry holds it, then run slipway exec again.',
      });
    }
  }
  const tty = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  const env = { ...c.runtime.env, ...(c.runtime.dockerConfig ? { DOCKER_CONFIG: c.runtime.dockerConfig } : {}) };
  return handOver('docker', ['run', '--rm', tty ? '-it' : '-i', '--entrypoint', words[0]!, image, ...words.slice(1)], { env, signal: c.signal });
}

/** ExecuteCommand's refusals, each with the fix (ECS Exec troubleshooting). */
export function explainExecError(c: RolloutContext, error: unknown): unknown {
  const name = (error as { name?: string }).name ?? '';
  const message = (error as Error).message ?? String(error);
  const env = c.settings.env;
  if (name === 'TargetNotConnectedException') {
    return new SlipwayError('ECS could not reach the task’s ECS Exec agent (TargetNotConnectedException).', {
      why: `The agent runs but cannot connect to Session Manager: the task role lacks ${EXEC_ACTIONS.join(', ')}, or the task has no route to ssmmessages.${c.settings.region}.amazonaws.com (no public IP and no NAT gateway or VPC endpoint). ECS said: ${message}`,
      fix: `slipway exec --env ${env} --enable adds the permissions (a new deployment); for the route, give the tasks a public IP or NAT, or add an ssmmessages VPC endpoint.`,
      cause: error,
    });
  }
  if (classifyAwsError(error) === 'access-denied' || name === 'AccessDeniedException') {
    return new SlipwayError('You may not open ECS Exec sessions here (ecs:ExecuteCommand was denied).', {
      why: `Your identity needs ecs:ExecuteCommand on the task (arn:aws:ecs:${c.settings.region}:${c.account()}:task/${c.names.cluster}/*) and the cluster. ECS said: ${message}`,
      fix: 'Ask an administrator to allow ecs:ExecuteCommand for your role, or use the admin profile `slipway bootstrap` made (--profile).',
      cause: error,
    });
  }
  if (name === 'InvalidParameterException') {
    return new SlipwayError(`ECS refused the session: ${message}`, {
      why: 'ECS Exec works only in tasks started after exec was turned on for the service, once their ExecuteCommandAgent runs, and on Fargate platform version 1.4.0 or newer.',
      fix: `Run slipway exec --env ${env} again: it turns exec on if needed and waits for a task with the agent running. Give --task a task started after that.`,
      cause: error,
    });
  }
  if (name === 'ClusterNotFoundException') {
    return new SlipwayError(`There is no cluster ${c.names.cluster}.`, { fix: `Roll the environment out first: slipway rollout --env ${env}`, cause: error });
  }
  return error;
}

/** Before anything changes: the plugin is there (in the sandbox, Docker stands in for it). */
export const pluginCheck = checkStep<RolloutContext>('plugin', `${PLUGIN} on this machine`, async (c) => {
  if (c.runtime.sandbox) {
    c.report.log('Not needed in the sandbox: the session is simulated with the local Docker.');
    return { path: '', sandbox: true };
  }
  const path = findOnPath(PLUGIN, c.runtime.env, c.runtime.platform);
  if (!path) throw pluginMissing(c.runtime.platform);
  c.report.log(path);
  return { path };
});

