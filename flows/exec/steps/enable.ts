import { DescribeTasksCommand, ListTasksCommand, UpdateServiceCommand, type Task } from '@aws-sdk/client-ecs';
import { retryWhileNotReady } from '../../../src/aws/waiters.js';
import type { Step } from '../../../src/engine/types.js';
import type { RolloutContext } from '../../rollout/context.js';
import { currentService, platformTooOld } from './state.js';

/** The service's tasks that are wanted running (the newest first), described. */
export async function serviceTasks(c: RolloutContext): Promise<Task[]> {
  const ecs = await c.ecs();
  const arns = (await ecs.send(new ListTasksCommand({ cluster: c.names.cluster, serviceName: c.names.service, desiredStatus: 'RUNNING' }), { abortSignal: c.signal })).taskArns ?? [];
  const tasks: Task[] = [];
  for (let i = 0; i < arns.length; i += 100) {
    tasks.push(...((await ecs.send(new DescribeTasksCommand({ cluster: c.names.cluster, tasks: arns.slice(i, i + 100) }), { abortSignal: c.signal })).tasks ?? []));
  }
  return tasks.sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0));
}

/**
 * The service with ECS Exec on: `enableExecuteCommand`, the task definition naming the task role, and a
 * new deployment (forceNewDeployment) — ECS turns the agent on only in tasks started after the change.
 * Done when the service says so and its PRIMARY deployment's tasks were started with exec on; a resumed
 * run finds the deployment it started and never starts a second one.
 */
export const enableExec: Step<RolloutContext> = {
  id: 'enable-exec',
  title: 'Service with ECS Exec on (a new deployment)',
  plan: (c) => `ecs:UpdateService ${c.names.service}: enableExecuteCommand true, task definition ${c.output('exec-task-definition', 'arn').split('/').pop()}, forceNewDeployment`,
  async planChanges(c) {
    const enabled = c.output<boolean>('exec-state', 'serviceEnabled');
    return [
      ...(enabled ? [] : ['enableExecuteCommand: false → true']),
      ...(c.output('exec-state', 'taskRoleArn') ? [] : [`task definition: ${c.output('exec-state', 'revision')} → its new revision with the task role`]),
      ...(platformTooOld(c.output('exec-state', 'platformVersion')) ? [`platform version: ${c.output('exec-state', 'platformVersion')} → LATEST (ECS Exec needs 1.4.0 or newer)`] : []),
      'a new deployment: every task is replaced (a minute or two)',
    ];
  },
  async probe(c) {
    const service = await currentService(c);
    const wanted = c.output('exec-task-definition', 'arn');
    if (!service.enableExecuteCommand || service.taskDefinition !== wanted || platformTooOld(service.platformVersion)) return undefined;
    const primary = service.deployments?.find((d) => d.status === 'PRIMARY');
    if (!primary?.id) return undefined;
    // Tasks the PRIMARY deployment started before exec was turned on never get the agent.
    const mine = (await serviceTasks(c)).filter((t) => t.startedBy === primary.id);
    if (mine.some((t) => t.enableExecuteCommand !== true)) return undefined;
    return { deploymentId: primary.id, taskDefinitionArn: wanted };
  },
  async apply(c) {
    const wanted = c.output('exec-task-definition', 'arn');
    const service = await currentService(c);
    const ecs = await c.ecs();
    const send = () =>
      ecs.send(
        new UpdateServiceCommand({
          cluster: c.names.cluster,
          service: c.names.service,
          taskDefinition: wanted,
          enableExecuteCommand: true,
          forceNewDeployment: true,
          ...(platformTooOld(service.platformVersion) ? { platformVersion: 'LATEST' } : {}),
        }),
        { abortSignal: c.signal },
      );
    const out = await retryWhileNotReady(send, { retryOn: ['not-propagated'], waitingFor: 'waiting for IAM to let ECS use the new task role', report: c.report, signal: c.signal, budgetMs: 120_000 });
    const primary = out.service?.deployments?.find((d) => d.status === 'PRIMARY');
    c.report.log(`ECS Exec on for ${c.names.service}; deployment ${primary?.id} replaces its tasks (a minute or two).`);
    return { deploymentId: primary?.id ?? '', taskDefinitionArn: wanted };
  },
};
