import { createHash } from 'node:crypto';
import { DescribeTasksCommand, ListTasksCommand, RunTaskCommand, type Failure, type Task } from '@aws-sdk/client-ecs';
import { tolerate } from '../../../src/aws/errors.js';
import { SlipwayError } from '../../../src/engine/errors.js';
import type { Step } from '../../../src/engine/types.js';
import type { RolloutContext } from '../../rollout/context.js';
import { showCommand } from '../command.js';
import { shortTaskId } from '../../shared/task-id.js';

/** How slipway's one-off tasks show in ECS (ListTasks can filter on it). */
export const STARTED_BY = 'slipway-run';
/** The tag that ties a task to the run that started it. */
export const RUN_TAG = 'slipway:run';

/**
 * Starts the task with the command as a container override. The client token is derived from the
 * run's key: a RunTask repeated after a crash returns the task the first one started, and the probe
 * finds it by its tag before that — a resumed run never starts a second task.
 */
export const task: Step<RolloutContext> = {
  id: 'task',
  title: 'Start the one-off task',
  plan: (c) => `ecs:RunTask ${c.output('prepare', 'revision')} -- ${showCommand(c.output<string[]>('prepare', 'command'))}`,
  async probe(c) {
    const found = await findStarted(c, c.output('prepare', 'runKey'));
    return found?.taskArn ? started(found.taskArn) : undefined;
  },
  async apply(c) {
    const runKey = c.output('prepare', 'runKey');
    const container = c.output('prepare', 'container');
    const out = await (await c.ecs()).send(
      new RunTaskCommand({
        cluster: c.names.cluster,
        taskDefinition: c.output('prepare', 'taskDefinitionArn'),
        launchType: 'FARGATE',
        count: 1,
        startedBy: STARTED_BY,
        networkConfiguration: {
          awsvpcConfiguration: {
            subnets: c.output<string[]>('prepare', 'subnets'),
            securityGroups: c.output<string[]>('prepare', 'securityGroups'),
            assignPublicIp: c.output<'ENABLED' | 'DISABLED'>('prepare', 'assignPublicIp'),
          },
        },
        overrides: { containerOverrides: [{ name: container, command: c.output<string[]>('prepare', 'command') }] },
        tags: [...c.tags, { Key: RUN_TAG, Value: runKey }].map((t) => ({ key: t.Key, value: t.Value })),
        clientToken: clientToken(c.account(), c.names.cluster, runKey),
      }),
      { abortSignal: c.signal },
    );
    const first = out.tasks?.[0];
    if (!first?.taskArn) throw notStarted(out.failures ?? [], c.settings.env);
    c.report.log(`Started task ${shortId(first.taskArn)} (${c.output('prepare', 'revision')})`);
    return started(first.taskArn);
  },
};

function started(taskArn: string) {
  return { taskArn, taskId: taskArn.split('/').pop() ?? '' };
}

/** The task's short id, as every screen of slipway shows it. */
export const shortId = shortTaskId;

/** The task this run started, running or stopped, found by its run tag among slipway's one-off tasks. */
async function findStarted(c: RolloutContext, runKey: string): Promise<Task | undefined> {
  const ecs = await c.ecs();
  for (const desiredStatus of ['RUNNING', 'STOPPED'] as const) {
    const arns = (await tolerate('not-found', () => ecs.send(new ListTasksCommand({ cluster: c.names.cluster, startedBy: STARTED_BY, desiredStatus }), { abortSignal: c.signal })))?.taskArns ?? [];
    for (let i = 0; i < arns.length; i += 100) {
      const tasks = (await ecs.send(new DescribeTasksCommand({ cluster: c.names.cluster, tasks: arns.slice(i, i + 100), include: ['TAGS'] }), { abortSignal: c.signal })).tasks ?? [];
      const ours = tasks.find((t) => t.tags?.some((tag) => tag.key === RUN_TAG && tag.value === runKey));
      if (ours) return ours;
    }
  }
  return undefined;
}

/** At most 64 characters; the same run always sends the same one. */
function clientToken(...parts: string[]): string {
  return createHash('sha256').update(['slipway-run', ...parts].join('\n')).digest('hex').slice(0, 32);
}

/** RunTask's `failures[]` (troubleshooting §3.15): the task never started; say why in plain words. */
export function notStarted(failures: Failure[], env: string): SlipwayError {
  const reason = failures[0]?.reason ?? 'ECS returned no task and no reason';
  const detail = failures[0]?.detail ? ` (${failures[0].detail})` : '';
  const known: [RegExp, string, string][] = [
    [/^RESOURCE:(MEMORY|CPU)/, 'No capacity in the cluster has enough free CPU or memory for this task.', 'Add capacity to the cluster, or give the task less CPU/memory in the environment file and roll out again.'],
    [/^RESOURCE:/, 'The cluster lacks a resource the task needs (ports, ENIs or GPUs).', 'Free or add capacity, then run it again.'],
    [/^AGENT/, 'The ECS agent on the chosen container instance is disconnected.', 'Check the container instances of the cluster (systemctl restart ecs), then run it again.'],
    [/^ATTRIBUTE/, 'No container instance has an attribute the task definition requires.', 'Check the task definition’s placement constraints and requirements.'],
    [/^MISSING/, 'The container instance ECS picked no longer exists.', 'Run it again.'],
    [/capacity is unavailable/i, 'Fargate has no capacity for this task size in these Availability Zones right now.', 'Wait a few minutes and run it again, or list subnets in other Availability Zones in the environment file.'],
  ];
  const match = known.find(([re]) => re.test(reason));
  return new SlipwayError(`ECS did not start the task: ${reason}${detail}.`, {
    why: match?.[1] ?? 'RunTask reported a failure instead of a task, so nothing ran.',
    fix: `${match?.[2] ?? 'Fix what ECS names above.'} Nothing ran, and the service of ${env} was not changed.`,
  });
}
