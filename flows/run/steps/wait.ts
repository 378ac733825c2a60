import { DescribeTasksCommand, type Task } from '@aws-sdk/client-ecs';
import { abortableSleep } from '../../../src/aws/waiters.js';
import { CancelledError, SlipwayError } from '../../../src/engine/errors.js';
import type { Step } from '../../../src/engine/types.js';
import type { RolloutContext } from '../../rollout/context.js';
import { diagnose } from '../../rollout/diagnosis/index.js';
import { asStopped, diagnosisSettings } from '../../rollout/watch/gather.js';
import { showCommand } from '../command.js';
import { logFollower } from '../log-follower.js';
import { shortId } from './task.js';
import { inSentence } from '../../../src/present/format.js';

/**
 * Stays with the task until it is STOPPED, printing its container's log as it comes, and hands on the
 * container's exit code (reference §8: `stopCode: EssentialContainerExited` is normal for a job). A task
 * that stopped before its command ran is a failure with the rollout's diagnosis. Ctrl-C (or a crash)
 * stops only the following: running the same command again picks the task up where it is.
 */
export const wait: Step<RolloutContext> = {
  id: 'wait',
  title: 'Run to completion (its log follows)',
  plan: () => 'wait until the task stops, showing its log',
  readOnly: true,
  async probe() {
    return undefined;
  },
  async apply(c) {
    const taskArn = c.output('task', 'taskArn');
    const taskId = c.output('task', 'taskId');
    const container = c.output('prepare', 'container');
    const prefix = c.output('prepare', 'logStreamPrefix');
    const follower = logFollower(c, c.output('prepare', 'logGroup'), `${prefix ? `${prefix}/` : ''}${container}/${taskId}`);
    let status = '';
    try {
      for (;;) {
        const task = await describeTask(c, taskArn);
        if (task.lastStatus && task.lastStatus !== status) c.report.log(`task ${shortId(taskArn)}: ${task.lastStatus}`);
        status = task.lastStatus ?? status;
        await follower.drain();
        if (task.lastStatus === 'STOPPED') {
          // Lines written as the container exited may land after the last look.
          await follower.drain();
          return finished(c, task, container, follower.lines);
        }
        await abortableSleep(c.pollMs, c.signal);
      }
    } catch (error) {
      if (error instanceof CancelledError || c.signal.aborted) {
        const again = `slipway run --env ${c.settings.env} -- ${showCommand(c.output<string[]>('prepare', 'command'))}`;
        c.report.log(`Stopped following. Task ${shortId(taskArn)} goes on in ECS; \`${again}\` follows it again.`, 'warn');
        throw new CancelledError(`Stopped following task ${shortId(taskArn)}; it goes on in ECS. Follow it again with: ${again}`);
      }
      throw error;
    }
  },
};

async function describeTask(c: RolloutContext, taskArn: string): Promise<Task> {
  const out = await (await c.ecs()).send(new DescribeTasksCommand({ cluster: c.names.cluster, tasks: [taskArn] }), { abortSignal: c.signal });
  const task = out.tasks?.[0];
  if (!task) throw new SlipwayError(`Task ${shortId(taskArn)} is not in cluster ${c.names.cluster} any more.`, { why: 'ECS forgets stopped tasks after about an hour.', fix: `Its log may still be in ${c.output('prepare', 'logGroup')}.` });
  return task;
}

function finished(c: RolloutContext, task: Task, container: string, lines: number) {
  const main = task.containers?.find((k) => k.name === container) ?? task.containers?.[0];
  const taskArn = task.taskArn ?? '';
  if (main?.exitCode === undefined) throw neverRan(c, task);
  const exitCode = main.exitCode;
  const reason = main.reason ? ` (${main.reason})` : '';
  c.report.log(`task ${shortId(taskArn)} exited with code ${exitCode}${reason}`, exitCode === 0 ? 'info' : 'warn');
  return { taskArn, exitCode, stopCode: task.stopCode ?? '', stoppedReason: task.stoppedReason ?? '', logLines: lines };
}

/** Stopped without an exit code: it never got as far as the command (pull, network, logs, roles). */
function neverRan(c: RolloutContext, task: Task): SlipwayError {
  const d = diagnose({
    stoppedTasks: [asStopped(task)],
    events: [],
    targetHealth: [],
    logLines: [],
    settings: diagnosisSettings(c),
  });
  return new SlipwayError(`Task ${shortId(task.taskArn ?? '')} stopped before its command ran: ${inSentence(d.title)}.`, {
    why: [d.why, ...d.evidence.map((e) => `ECS said: ${e}`)].join('\n'),
    fix: `${d.fix} Then run the command again.`,
  });
}
