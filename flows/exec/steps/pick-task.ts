import type { Task } from '@aws-sdk/client-ecs';
import { SlipwayError, UsageError } from '../../../src/engine/errors.js';
import type { Step } from '../../../src/engine/types.js';
import type { RolloutContext } from '../../rollout/context.js';
import { typedExecAnswers } from '../questions.js';
import { agentStatus, execReadyTask } from './agent.js';
import { serviceTasks } from './enable.js';
import { platformTooOld } from './state.js';
import { shortTaskId } from '../../shared/task-id.js';

const short = (t: Task) => shortTaskId(t.taskArn ?? '');

function describeTask(t: Task, container: string): string {
  const started = t.startedAt ? `started ${t.startedAt.toISOString().replace(/\.\d+Z$/, 'Z')}` : (t.lastStatus ?? '');
  return `${t.taskArn?.split('/').pop()} — ${t.taskDefinitionArn?.split('/').pop()}, ${started}${execReadyTask(t, container) ? '' : `, ECS Exec agent ${agentStatus(t, container) ?? 'off'}`}`;
}

/**
 * The task the session opens in: `--task` (an id, its first characters or its ARN), else the only one
 * running with the agent, else the person picks. Nobody to ask with several running is bad input (exit
 * 2, naming --task). It chooses in its probe — it changes nothing — so the choice is never journaled as
 * a change; `--plan` (planning) only says a task would be chosen.
 */
export const pickTask: Step<RolloutContext> = {
  id: 'pick-task',
  title: 'The task to open the session in',
  // It only looks (and may ask): the probe is the whole step.
  check: true,
  readOnly: true,
  plan: (c) => (typedExecAnswers(c.answers).task ? `task ${typedExecAnswers(c.answers).task}` : 'the only running task, or ask which when several run'),
  async probe(c) {
    if (c.planning) return undefined;
    const container = c.output('exec-state', 'container');
    const wanted = typedExecAnswers(c.answers).task;
    const running = (await serviceTasks(c)).filter((t) => t.lastStatus === 'RUNNING');
    let task: Task | undefined;
    if (wanted) {
      const named = running.filter((t) => (t.taskArn?.split('/').pop() ?? '').startsWith(wanted));
      if (named.length !== 1) {
        throw new UsageError(named.length === 0 ? `No running task of ${c.settings.env} is ${wanted}.` : `${named.length} running tasks of ${c.settings.env} start with ${wanted}.`, {
          why: running.length ? `Running now: ${running.map((t) => t.taskArn?.split('/').pop()).join(', ')}.` : 'No task of the service runs now.',
          fix: 'Give --task more of the id (slipway status shows the service; `slipway logs` names each line’s task).',
        });
      }
      task = named[0];
    } else {
      const ready = running.filter((t) => execReadyTask(t, container));
      if (ready.length === 0) throw agentNotRunning(c, running, container);
      if (ready.length === 1) task = ready[0];
      else if (!c.prompter.interactive) {
        throw new UsageError(`${ready.length} tasks of ${c.settings.env} run; say which one with --task.`, {
          why: ready.map((t) => describeTask(t, container)).join('\n'),
          fix: `slipway exec --env ${c.settings.env} --task ${short(ready[0]!)}`,
        });
      } else {
        const arn = await c.prompter.select({ id: 'task', flag: '--task', message: `Which task of ${c.settings.env}?`, choices: ready.map((t) => ({ value: t.taskArn ?? '', label: describeTask(t, container) })) });
        task = ready.find((t) => t.taskArn === arn);
      }
    }
    if (!task?.taskArn) throw new SlipwayError('No task was chosen.');
    if (task.launchType === 'FARGATE' && platformTooOld(task.platformVersion)) throw platformError(c, task);
    if (!execReadyTask(task, container)) throw agentNotRunning(c, [task], container);
    const k = task.containers?.find((x) => x.name === container);
    c.report.log(`Task ${short(task)} (${task.taskDefinitionArn?.split('/').pop()}), container ${container}`);
    return { taskArn: task.taskArn, taskId: task.taskArn.split('/').pop() ?? '', container, runtimeId: k?.runtimeId ?? '', platformVersion: task.platformVersion ?? '' };
  },
  async apply() {
    throw new Error('pick-task chooses in its probe.');
  },
};

export function agentNotRunning(c: RolloutContext, tasks: Task[], container: string): SlipwayError {
  const states = tasks.map((t) => `${short(t)}: ${t.lastStatus}, agent ${agentStatus(t, container) ?? 'none (started without ECS Exec)'}`);
  return new SlipwayError(`No task of ${c.settings.env} has the ECS Exec agent running.`, {
    why: tasks.length ? `${states.join('; ')}. The agent starts only in tasks launched after ECS Exec was turned on, once their container runs.` : `No task of ${c.names.service} runs now.`,
    fix: `Run slipway exec --env ${c.settings.env} again in a minute (it waits for the new deployment); if the agent stays off, slipway status --env ${c.settings.env} shows why tasks do not start.`,
  });
}

export function platformError(c: RolloutContext, task: Task): SlipwayError {
  return new SlipwayError(`Task ${short(task)} runs on Fargate platform version ${task.platformVersion}: ECS Exec needs 1.4.0 or newer.`, {
    why: 'The ECS Exec agent is part of Fargate from platform version 1.4.0 on.',
    fix: `Update the service to platform version LATEST (slipway exec --env ${c.settings.env} --enable does, with a new deployment), then open the session again.`,
  });
}
