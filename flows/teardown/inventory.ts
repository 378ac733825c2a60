import { DescribeTasksCommand, ListTasksCommand, type Service } from '@aws-sdk/client-ecs';
import { tolerate } from '../../src/aws/errors.js';
import type { RolloutContext } from '../rollout/context.js';
import type { Answers } from '../../src/engine/types.js';
import { environmentPath, readEnvironment } from '../rollout/environment.js';
import { STARTED_BY } from '../run/steps/task.js';
import { INSTANCE_ROLE, targetNames } from '../rollout/targets/names.js';
import { shortTaskId } from '../shared/task-id.js';
import {
  findAutoScalingGroups,
  findCapacityProvider,
  findCluster,
  findExpressService,
  findInfrastructureRole,
  findLaunchTemplates,
  findListeners,
  findLoadBalancers,
  findLogGroup,
  findRole,
  findExecTaskRole,
  findSecurityGroups,
  findServices,
  findTargetGroups,
  findTaskDefinitions,
  type ExpressFound,
  type GroupFound,
  type Named,
} from './find.js';

export interface Inventory {
  services: Service[];
  listeners: Named[];
  loadBalancers: (Named & { dnsName: string })[];
  targetGroups: Named[];
  securityGroups: Named[];
  logGroup?: Named;
  taskDefinitions: Named[];
  role?: Named;
  /** The task role `slipway exec` made (ECS Exec), deleted with the execution role. */
  taskRole?: Named;
  cluster?: Named;
  /** `slipway run` tasks still running in the cluster: stopped before the cluster goes. */
  oneOffTasks: string[];
  /** Express Mode: the service (ECS removes what it made for it) and its infrastructure role. */
  expressService?: ExpressFound;
  infrastructureRole?: Named;
  /** EC2 capacity: the Auto Scaling group, capacity provider, launch template and the instances' group. */
  autoScalingGroups: GroupFound[];
  capacityProvider?: Named;
  launchTemplates: Named[];
  instanceSecurityGroup?: Named;
}

/** Everything that carries the environment's tags, in the order teardown deletes it (only the kinds its target has). */
export async function takeInventory(c: RolloutContext, target: TeardownTarget = 'FARGATE'): Promise<Inventory> {
  const classic = target !== 'EXPRESS';
  const ec2 = target === 'EC2' || target === 'ANY';
  const express = target === 'EXPRESS' || target === 'ANY';
  const loadBalancers = classic ? await findLoadBalancers(c) : [];
  const cluster = await findCluster(c);
  const instancesGroupName = targetNames(c.settings.app, c.settings.env).instanceSecurityGroup;
  const groups = classic ? await findSecurityGroups(c) : [];
  return {
    expressService: express ? await findExpressService(c) : undefined,
    services: classic ? await findServices(c) : [],
    autoScalingGroups: ec2 ? await findAutoScalingGroups(c) : [],
    capacityProvider: ec2 ? await findCapacityProvider(c) : undefined,
    launchTemplates: ec2 ? await findLaunchTemplates(c) : [],
    listeners: classic ? await findListeners(c, loadBalancers) : [],
    loadBalancers,
    targetGroups: classic ? await findTargetGroups(c) : [],
    instanceSecurityGroup: ec2 ? groups.find((g) => g.name === instancesGroupName) : undefined,
    securityGroups: groups.filter((g) => !ec2 || g.name !== instancesGroupName),
    logGroup: await findLogGroup(c),
    taskDefinitions: await findTaskDefinitions(c),
    role: await findRole(c),
    taskRole: await findExecTaskRole(c),
    infrastructureRole: express ? await findInfrastructureRole(c) : undefined,
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
  const { expressService, infrastructureRole, autoScalingGroups, capacityProvider, launchTemplates, instanceSecurityGroup } = inventory;
  return (
    services.length + listeners.length + loadBalancers.length + targetGroups.length + securityGroups.length + (deleteLogs && logGroup ? 1 : 0) + taskDefinitions.length + (role ? 1 : 0) + (inventory.taskRole ? 1 : 0) + (cluster ? 1 : 0) + oneOffTasks.length +
    (expressService ? 1 : 0) + (infrastructureRole ? 1 : 0) + autoScalingGroups.length + (capacityProvider ? 1 : 0) + launchTemplates.length + (instanceSecurityGroup ? 1 : 0)
  );
}

/** The plan, one line per resource, then what stays and why. */
export function planLines(c: RolloutContext, inventory: Inventory, deleteLogs: boolean, target: TeardownTarget = 'FARGATE'): string[] {
  const { services, listeners, loadBalancers, targetGroups, securityGroups, logGroup, taskDefinitions, role, cluster, oneOffTasks } = inventory;
  const { expressService, infrastructureRole, autoScalingGroups, capacityProvider, launchTemplates, instanceSecurityGroup } = inventory;
  const lines = [
    ...(expressService ? [`Express Mode service ${expressService.name}${expressService.status ? ` (${expressService.status})` : ''}: deleted; ECS removes its load balancer, certificate, security groups and scaling`] : []),
    ...services.map((s) => `ECS service ${s.serviceName} (${s.runningCount ?? 0} running): scaled to 0, then deleted`),
    ...autoScalingGroups.map((g) => `Auto Scaling group ${g.name} and its ${g.instanceIds.length} EC2 instance${g.instanceIds.length === 1 ? '' : 's'} (force-deleted)`),
    ...(capacityProvider ? [`capacity provider ${capacityProvider.name} (removed from the cluster first)`] : []),
    ...launchTemplates.map((t) => `launch template ${t.name} (${t.id})`),
    ...listeners.map((l) => `listener ${l.name}`),
    ...loadBalancers.map((lb) => `load balancer ${lb.name} (${lb.dnsName})`),
    ...targetGroups.map((g) => `target group ${g.name}`),
    ...(instanceSecurityGroup ? [`security group ${instanceSecurityGroup.name} (${instanceSecurityGroup.id})`] : []),
    ...securityGroups.map((g) => `security group ${g.name} (${g.id})`),
    ...(deleteLogs && logGroup ? [`log group ${logGroup.name} and every log in it`] : []),
    ...(taskDefinitions.length ? [`task definition ${taskDefinitions.map((d) => d.name).join(', ')} (deregistered)`] : []),
    ...(role ? [`IAM role ${role.name} (its policies detached first)`] : []),
    ...(inventory.taskRole ? [`IAM role ${inventory.taskRole.name} (ECS Exec's task role; its policies deleted first)`] : []),
    ...(infrastructureRole ? [`IAM role ${infrastructureRole.name} (its policies detached first)`] : []),
    ...oneOffTasks.map((arn) => `one-off task ${shortTaskId(arn)} (stopped)`),
    ...(cluster ? [`ECS cluster ${cluster.name}`] : []),
  ];
  const kept = [
    `the environment file ${environmentPath(c.dir, c.settings.env)} (yours, versioned with the code)`,
    ...(!deleteLogs && logGroup ? [`the log group ${logGroup.name} (--delete-logs deletes it)`] : []),
    'the ECR repository (every environment shares it)',
    ...(target === 'EC2' || target === 'ANY' ? [`the IAM role and instance profile ${INSTANCE_ROLE} (every EC2 environment of the account shares them)`] : []),
    'anything without slipway’s tags, whatever its name',
  ];
  return [
    lines.length ? `Deletes what slipway made for ${c.settings.app} ${c.settings.env} (tagged slipway:app=${c.settings.app}, slipway:env=${c.settings.env}, slipway:managed=true):` : `Nothing tagged for ${c.settings.app} ${c.settings.env} is left to delete.`,
    ...lines.map((l) => `  - ${l}`),
    'Keeps:',
    ...kept.map((l) => `  - ${l}`),
  ];
}

/**
 * What a teardown deletes depends on where the environment runs (its file's `launchType`, as for the
 * rollout). Without a readable file it takes every kind: each step finds its resources by tags, and one
 * that finds none is "already gone".
 */
export type TeardownTarget = 'FARGATE' | 'EC2' | 'EXPRESS' | 'ANY';

/** The environment file says where it runs; no readable file: every kind. */
export function teardownTarget(dir: string, answers: Answers | undefined): TeardownTarget {
  if (typeof answers?.env !== 'string' || answers.env === '') return 'ANY';
  try {
    return readEnvironment(dir, answers.env)?.launchType ?? 'ANY';
  } catch {
    return 'ANY';
  }
}
