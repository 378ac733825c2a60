import { DescribeTasksCommand, ListTasksCommand, type Service } from '@aws-sdk/client-ecs';
import { tolerate } from '../../src/aws/errors.js';
import type { RolloutContext } from '../rollout/context.js';
import { environmentPath } from '../rollout/environment.js';
import { STARTED_BY } from '../run/steps/task.js';
import { findCluster, findListeners, findLoadBalancers, findLogGroup, findRole, findSecurityGroups, findServices, findTargetGroups, findTaskDefinitions, type Named } from './find.js';

export interface Inventory {
  services: Service[];
  listeners: Named[];
  loadBalancers: (Named & { dnsName: string })[];
  targetGroups: Named[];
  securityGroups: Named[];
  logGroup?: Named;
  taskDefinitions: Named[];
  role?: Named;
  cluster?: Named;
  /** `slipway run` tasks still running in the cluster: stopped before the cluster goes. */
  oneOffTasks: string[];
}

/** Everything that carries the environment's tags, in the order teardown deletes it. */
export async function takeInventory(c: RolloutContext): Promise<Inventory> {
  const loadBalancers = await findLoadBalancers(c);
  const cluster = await findCluster(c);
  return {
    services: await findServices(c),
    listeners: await findListeners(c, loadBalancers),
    loadBalancers,
    targetGroups: await findTargetGroups(c),
    securityGroups: await findSecurityGroups(c),
    logGroup: await findLogGroup(c),
    taskDefinitions: await findTaskDefinitions(c),
    role: await findRole(c),
    cluster: cluster?.clusterArn ? { id: cluster.clusterArn, name: cluster.clusterName ?? c.names.cluster } : undefined,
    oneOffTasks: cluster ? await runningOneOffTasks(c) : [],
  };
}

/** Running tasks `slipway run` started in the environment's cluster. */
export async function runningOneOffTasks(c: RolloutContext): Promise<string[]> {
  const out = await tolerate('not-found', async () => (await c.ecs()).send(new ListTasksCommand({ cluster: c.names.cluster, startedBy: STARTED_BY, desiredStatus: 'RUNNING' }), { abortSignal: c.signal }));
  return out?.taskArns ?? [];
}

/** Running tasks in the cluster that neither the service nor `slipway run` started: someone else's. */
export async function foreignTasks(c: RolloutContext): Promise<string[]> {
  const ecs = await c.ecs();
  const arns = (await tolerate('not-found', () => ecs.send(new ListTasksCommand({ cluster: c.names.cluster, desiredStatus: 'RUNNING' }), { abortSignal: c.signal })))?.taskArns ?? [];
  if (arns.length === 0) return [];
  const tasks = (await ecs.send(new DescribeTasksCommand({ cluster: c.names.cluster, tasks: arns.slice(0, 100) }), { abortSignal: c.signal })).tasks ?? [];
  return tasks.filter((t) => t.startedBy !== STARTED_BY && t.group !== `service:${c.names.service}`).map((t) => t.taskArn ?? '');
}

export function countOf(inventory: Inventory, deleteLogs: boolean): number {
  const { services, listeners, loadBalancers, targetGroups, securityGroups, logGroup, taskDefinitions, role, cluster, oneOffTasks } = inventory;
  return services.length + listeners.length + loadBalancers.length + targetGroups.length + securityGroups.length + (deleteLogs && logGroup ? 1 : 0) + taskDefinitions.length + (role ? 1 : 0) + (cluster ? 1 : 0) + oneOffTasks.length;
}

/** The plan, one line per resource, then what stays and why. */
export function planLines(c: RolloutContext, inventory: Inventory, deleteLogs: boolean): string[] {
  const { services, listeners, loadBalancers, targetGroups, securityGroups, logGroup, taskDefinitions, role, cluster, oneOffTasks } = inventory;
  const lines = [
    ...services.map((s) => `ECS service ${s.serviceName} (${s.runningCount ?? 0} running): scaled to 0, then deleted`),
    ...listeners.map((l) => `listener ${l.name}`),
    ...loadBalancers.map((lb) => `load balancer ${lb.name} (${lb.dnsName})`),
    ...targetGroups.map((g) => `target group ${g.name}`),
    ...securityGroups.map((g) => `security group ${g.name} (${g.id})`),
    ...(deleteLogs && logGroup ? [`log group ${logGroup.name} and every log in it`] : []),
    ...(taskDefinitions.length ? [`task definition ${taskDefinitions.map((d) => d.name).join(', ')} (deregistered)`] : []),
    ...(role ? [`IAM role ${role.name} (its policies detached first)`] : []),
    ...oneOffTasks.map((arn) => `one-off task ${arn.split('/').pop()?.slice(0, 8)} (stopped)`),
    ...(cluster ? [`ECS cluster ${cluster.name}`] : []),
  ];
  const kept = [
    `the environment file ${environmentPath(c.dir, c.settings.env)} (yours, versioned with the code)`,
    ...(!deleteLogs && logGroup ? [`the log group ${logGroup.name} (--delete-logs deletes it)`] : []),
    'the ECR repository (every environment shares it)',
    'anything without slipway’s tags, whatever its name',
  ];
  return [
    lines.length ? `Deletes what slipway made for ${c.settings.app} ${c.settings.env} (tagged slipway:app=${c.settings.app}, slipway:env=${c.settings.env}, slipway:managed=true):` : `Nothing tagged for ${c.settings.app} ${c.settings.env} is left to delete.`,
    ...lines.map((l) => `  - ${l}`),
    'Keeps:',
    ...kept.map((l) => `  - ${l}`),
  ];
}
