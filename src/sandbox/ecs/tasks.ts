import type {
  DescribeTasksRequest,
  DescribeTasksResponse,
  Failure,
  ListTasksRequest,
  ListTasksResponse,
  RunTaskRequest,
  RunTaskResponse,
  StopTaskRequest,
  StopTaskResponse,
  Task,
} from '@aws-sdk/client-ecs';
import { op, type CallContext, type Operation, type Out } from '../operation.js';
import { checkTags, clientError, ecsArn, ecsForUpdate, ecsOf, findService, findTask, invalidParameter, page, requireCluster, serviceNotFound } from './common.js';
import { simFor } from './effects.js';
import { createTask } from './launch.js';
import { stopTask } from './lifecycle.js';
import { launchBlocker } from './preflight.js';
import { checkLaunchType, checkNetwork, launchTypeOf, usableTaskDefinition } from './service-checks.js';
import { toTask } from './views.js';

function runTask(input: RunTaskRequest, ctx: CallContext): Out<RunTaskResponse> {
  const cluster = requireCluster(ctx, input.cluster);
  const count = input.count ?? 1;
  if (!Number.isInteger(count) || count < 1 || count > 10) throw invalidParameter('count must be between 1 and 10.');
  // The same client token returns the tasks it already started instead of starting more.
  if (input.clientToken !== undefined) {
    const earlier = Object.values(ecsOf(ctx.state).tasks[ctx.region] ?? {}).filter((t) => t.cluster === cluster.name && t.clientToken === input.clientToken);
    if (earlier.length) return { tasks: earlier.map((t) => toTask(ctx.state, t)), failures: [] };
  }
  const def = usableTaskDefinition(ctx, input.taskDefinition);
  const launchType = launchTypeOf(input.launchType, input.capacityProviderStrategy);
  checkLaunchType(def, launchType, clientError);
  const networkConfiguration = checkNetwork(def, input.networkConfiguration);
  for (const override of input.overrides?.containerOverrides ?? []) {
    if (!def.containerDefinitions.some((c) => c.name === override.name)) throw invalidParameter(`Override for container named ${override.name} is not a container in the TaskDefinition.`);
  }
  const launch = { region: ctx.region, def, launchType, networkConfiguration, cluster: cluster.name };
  const blocker = launchBlocker(ctx.state, launch, ctx.now);
  if (blocker?.kind === 'no-instances' && blocker.code) return { tasks: [], failures: Array.from({ length: count }, () => ({ arn: def.arn, reason: blocker.code })) };
  if (blocker?.kind === 'no-instances') throw invalidParameter('No Container Instances were found in your cluster.');
  if (blocker?.kind === 'client') throw clientError(blocker.message);
  if (blocker?.kind === 'capacity') return { tasks: [], failures: Array.from({ length: count }, () => ({ arn: def.arn, reason: blocker.reason })) };
  const tags = [...(input.propagateTags === 'TASK_DEFINITION' ? def.tags : []), ...checkTags(input.tags)];
  const sim = simFor(ctx);
  const tasks = Array.from({ length: count }, () =>
    createTask(
      sim,
      { ...launch, cluster: cluster.name, platformVersion: input.platformVersion, group: input.group ?? `family:${def.family}`, startedBy: input.startedBy, overrides: input.overrides, tags, clientToken: input.clientToken, enableExecuteCommand: input.enableExecuteCommand, kind: 'one-off' },
      ctx.now,
    ),
  );
  return { tasks: tasks.map((t) => toTask(ctx.state, t)), failures: [] };
}

export const taskOperations: Record<string, Operation> = {
  RunTask: op<RunTaskRequest, Out<RunTaskResponse>>({
    resource: (input, ctx) => (input.taskDefinition?.startsWith('arn:') ? input.taskDefinition : ecsArn(ctx, `task-definition/${input.taskDefinition ?? ''}`)),
    run: runTask,
  }),

  DescribeTasks: op<DescribeTasksRequest, Out<DescribeTasksResponse>>({
    run: (input, ctx) => {
      const cluster = requireCluster(ctx, input.cluster);
      if (!input.tasks?.length || input.tasks.length > 100) throw invalidParameter('tasks must contain between 1 and 100 items.');
      const tasks: Task[] = [];
      const failures: Failure[] = [];
      for (const ref of input.tasks) {
        const task = findTask(ctx, cluster, ref);
        if (task) tasks.push(toTask(ctx.state, task, input.include));
        else failures.push({ arn: ref.startsWith('arn:') ? ref : ecsArn(ctx, `task/${cluster.name}/${ref}`), reason: 'MISSING' });
      }
      return { tasks, failures };
    },
  }),

  ListTasks: op<ListTasksRequest, Out<ListTasksResponse>>({
    run: (input, ctx) => {
      const cluster = requireCluster(ctx, input.cluster);
      const service = input.serviceName === undefined ? undefined : findService(ctx, cluster, input.serviceName);
      if (input.serviceName !== undefined && !service) throw serviceNotFound();
      const desired = input.desiredStatus ?? 'RUNNING';
      const arns = Object.values(ecsOf(ctx.state).tasks[ctx.region] ?? {})
        .filter(
          (t) =>
            t.cluster === cluster.name &&
            t.desiredStatus === desired &&
            (!service || t.service === service.name) &&
            (input.startedBy === undefined || t.startedBy === input.startedBy) &&
            (input.family === undefined || t.family === input.family) &&
            (input.launchType === undefined || t.launchType === input.launchType),
        )
        .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id))
        .map((t) => t.arn);
      const { items, nextToken } = page(arns, input);
      return { taskArns: items, nextToken };
    },
  }),

  StopTask: op<StopTaskRequest, Out<StopTaskResponse>>({
    run: (input, ctx) => {
      const cluster = requireCluster(ctx, input.cluster);
      const found = findTask(ctx, cluster, input.task ?? '');
      if (!found) throw invalidParameter('The referenced task was not found.');
      const task = ecsForUpdate(ctx.state).tasks[ctx.region]![found.id]!;
      stopTask(simFor(ctx), task, ctx.now, 'UserInitiated', input.reason ?? 'Task stopped by user');
      // The service (if any) notices the missing task and replaces it.
      const service = task.service === undefined ? undefined : ecsForUpdate(ctx.state).services[ctx.region]?.[`${task.cluster}/${task.service}`];
      if (service) service.wakeAt = ctx.now;
      return { task: toTask(ctx.state, task) };
    },
  }),
};
