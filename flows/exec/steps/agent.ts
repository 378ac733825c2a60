import type { Task } from '@aws-sdk/client-ecs';
import { abortableSleep } from '../../../src/aws/waiters.js';
import { SlipwayError } from '../../../src/engine/errors.js';
import type { Step } from '../../../src/engine/types.js';
import type { RolloutContext } from '../../rollout/context.js';
import { serviceTasks } from './enable.js';
import { currentService } from './state.js';
import { shortTaskId } from '../../shared/task-id.js';

/** The status of ECS Exec's agent in a task's container (undefined: the task was started without exec). */
export function agentStatus(task: Task, container: string): string | undefined {
  const k = task.containers?.find((x) => x.name === container) ?? task.containers?.[0];
  return k?.managedAgents?.find((a) => a.name === 'ExecuteCommandAgent')?.lastStatus;
}

/** A task a session can open in: running, and its agent running. */
export function execReadyTask(task: Task, container: string): boolean {
  return task.lastStatus === 'RUNNING' && task.enableExecuteCommand === true && agentStatus(task, container) === 'RUNNING';
}

const WAIT_MS = 10 * 60_000;

/**
 * Waits until a task of the revision with the task role runs with its ExecuteCommandAgent RUNNING —
 * the new deployment's first task, usually a minute or two. It only watches: Ctrl-C or a crash leaves
 * ECS carrying the deployment on, and running `slipway exec` again waits again.
 */
export const agentWait: Step<RolloutContext> = {
  id: 'exec-agent',
  title: 'A task with the ECS Exec agent running',
  readOnly: true,
  plan: () => 'wait until a task of the new deployment runs with its ExecuteCommandAgent RUNNING',
  async probe(c) {
    const container = c.output('exec-state', 'container');
    const ready = (await serviceTasks(c)).find((t) => execReadyTask(t, container));
    return ready?.taskArn ? { taskArn: ready.taskArn } : undefined;
  },
  async apply(c) {
    const container = c.output('exec-state', 'container');
    const deploymentId = c.output('enable-exec', 'deploymentId');
    const started = Date.now();
    let said = '';
    for (;;) {
      const tasks = await serviceTasks(c);
      const ready = tasks.find((t) => execReadyTask(t, container));
      if (ready?.taskArn) {
        c.report.log(`Task ${shortTaskId(ready.taskArn)}: ExecuteCommandAgent RUNNING (${Math.round((Date.now() - started) / 1000)} s).`);
        return { taskArn: ready.taskArn };
      }
      const newest = tasks.find((t) => t.startedBy === deploymentId);
      const now = newest ? `task ${shortTaskId(newest.taskArn ?? '')} ${newest.lastStatus}, agent ${agentStatus(newest, container) ?? 'not there yet'}` : `deployment ${deploymentId}: no task started yet`;
      if (now !== said) c.report.log(`${now}…`);
      said = now;
      const deployment = (await currentService(c)).deployments?.find((d) => d.id === deploymentId);
      if (deployment?.rolloutState === 'FAILED') {
        throw new SlipwayError(`The deployment that turns ECS Exec on failed: ${deployment.rolloutStateReason ?? 'ECS rolled it back'}.`, {
          why: 'Its tasks did not start or stay up; the service runs the previous revision, without ECS Exec.',
          fix: `See why with slipway status --env ${c.settings.env}, fix it, then run slipway exec --env ${c.settings.env} again.`,
        });
      }
      if (Date.now() - started > WAIT_MS) {
        throw new SlipwayError(`No task of ${c.names.service} has the ECS Exec agent running after ${WAIT_MS / 60_000} minutes.`, {
          why: 'The new deployment has not brought a task up yet, or its agent did not start.',
          fix: `See the deployment with slipway status --env ${c.settings.env}; run slipway exec --env ${c.settings.env} again to wait on.`,
        });
      }
      await abortableSleep(c.pollMs, c.signal);
    }
  },
};
