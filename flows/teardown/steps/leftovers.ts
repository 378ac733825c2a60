import { DeleteLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DeleteClusterCommand, DeregisterTaskDefinitionCommand, ListServicesCommand, StopTaskCommand } from '@aws-sdk/client-ecs';
import {
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListInstanceProfilesForRoleCommand,
  ListRolePoliciesCommand,
  RemoveRoleFromInstanceProfileCommand,
} from '@aws-sdk/client-iam';
import { tolerate } from '../../../src/aws/errors.js';
import type { Step } from '../../../src/engine/types.js';
import type { RolloutContext } from '../../rollout/context.js';
import { findCluster, findExecTaskRole, findLogGroup, findRole, findTaskDefinitions } from '../find.js';
import { execTaskRoleName } from '../../exec/names.js';
import { foreignTasks, runningOneOffTasks } from '../inventory.js';
import { retryWhileInUse, waitUntil } from '../waiting.js';
import { deleteLogs } from './plan.js';
import { shortTaskId } from '../../shared/task-id.js';

/** Only with --delete-logs (asked, default no): logs outlive the environment unless asked. */
export const deleteLogGroup: Step<RolloutContext> = {
  id: 'log-group',
  title: 'Log group',
  plan: (c) => (deleteLogs(c) ? `logs:DeleteLogGroup ${c.names.logGroup}` : `keep ${c.names.logGroup}`),
  async probe(c) {
    const group = await findLogGroup(c);
    if (!group) return { gone: true };
    // Kept as asked: nothing to do here, and the line says "kept", not "already in place".
    return deleteLogs(c) ? undefined : { required: false, kept: group.name, note: 'kept; --delete-logs deletes it' };
  },
  async apply(c) {
    const group = await findLogGroup(c);
    if (group) await tolerate('not-found', async () => (await c.logs()).send(new DeleteLogGroupCommand({ logGroupName: group.name }), { abortSignal: c.signal }));
    c.report.log(`Deleted log group ${c.names.logGroup}`);
    return { deleted: [c.names.logGroup] };
  },
};

/** Every ACTIVE revision of the family that carries the tags (a deregistered revision cannot run again). */
export const deregisterTaskDefinitions: Step<RolloutContext> = {
  id: 'task-definitions',
  title: 'Deregister the task definitions',
  plan: (c) => `ecs:DeregisterTaskDefinition ${c.names.family}:*`,
  async probe(c) {
    return (await findTaskDefinitions(c)).length === 0 ? { gone: true } : undefined;
  },
  async apply(c) {
    const ecs = await c.ecs();
    const revisions = await findTaskDefinitions(c);
    for (const d of revisions) await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: d.id }), { abortSignal: c.signal });
    c.report.log(`Deregistered ${revisions.map((d) => d.name).join(', ')}`);
    return { deleted: revisions.map((d) => d.name) };
  },
};

/** Reference §13.8: policies detached and inline ones deleted, out of instance profiles, then DeleteRole. */
export const deleteExecutionRole: Step<RolloutContext> = {
  id: 'execution-role',
  title: 'Delete the task execution role',
  plan: (c) => `iam:DeleteRole ${c.names.executionRole} (detach its policies first), and ${execTaskRoleName(c.names)} if slipway exec made it`,
  async probe(c) {
    return (await findRole(c)) || (await findExecTaskRole(c)) ? undefined : { gone: true };
  },
  async apply(c) {
    // The task role `slipway exec` made (found only with slipway's tags) goes with it: tasks are gone by now.
    const deleted: string[] = [];
    if (await findRole(c)) deleted.push(await deleteRoleNamed(c, c.names.executionRole));
    const taskRole = await findExecTaskRole(c);
    if (taskRole) deleted.push(await deleteRoleNamed(c, taskRole.name));
    return { deleted };
  },
};

/** Policies detached and inline ones deleted, the role taken out of instance profiles, then DeleteRole (retried while IAM says DeleteConflict). */
export async function deleteRoleNamed(c: RolloutContext, RoleName: string): Promise<string> {
  const iam = await c.iam();
  const attached = (await tolerate('not-found', () => iam.send(new ListAttachedRolePoliciesCommand({ RoleName }), { abortSignal: c.signal })))?.AttachedPolicies ?? [];
  for (const p of attached) await tolerate('not-found', () => iam.send(new DetachRolePolicyCommand({ RoleName, PolicyArn: p.PolicyArn }), { abortSignal: c.signal }));
  const inline = (await tolerate('not-found', () => iam.send(new ListRolePoliciesCommand({ RoleName }), { abortSignal: c.signal })))?.PolicyNames ?? [];
  for (const PolicyName of inline) await tolerate('not-found', () => iam.send(new DeleteRolePolicyCommand({ RoleName, PolicyName }), { abortSignal: c.signal }));
  const profiles = (await tolerate('not-found', () => iam.send(new ListInstanceProfilesForRoleCommand({ RoleName }), { abortSignal: c.signal })))?.InstanceProfiles ?? [];
  for (const p of profiles) await tolerate('not-found', () => iam.send(new RemoveRoleFromInstanceProfileCommand({ RoleName, InstanceProfileName: p.InstanceProfileName }), { abortSignal: c.signal }));
  await retryWhileInUse(c, `Role ${RoleName}`, () => tolerate('not-found', () => iam.send(new DeleteRoleCommand({ RoleName }), { abortSignal: c.signal })));
  c.report.log(`Deleted role ${RoleName}${attached.length ? ` (detached ${attached.map((p) => p.PolicyName).join(', ')})` : ''}`);
  return RoleName;
}

/**
 * Last, and only when slipway made it and nothing of anyone else's runs in it: `slipway run` tasks
 * still running are stopped; someone else's tasks or services keep the cluster (with a warning).
 */
export const deleteCluster: Step<RolloutContext> = {
  id: 'cluster',
  title: 'Delete the cluster',
  plan: (c) => `ecs:DeleteCluster ${c.names.cluster}`,
  async probe(c) {
    return (await findCluster(c)) ? undefined : { gone: true };
  },
  async apply(c) {
    const ecs = await c.ecs();
    const services = (await tolerate('not-found', () => ecs.send(new ListServicesCommand({ cluster: c.names.cluster }), { abortSignal: c.signal })))?.serviceArns ?? [];
    const others = await foreignTasks(c);
    if (services.length > 0 || others.length > 0) {
      const what = [...services.map((s) => `service ${s.split('/').pop()}`), ...others.map((t) => `task ${shortTaskId(t)}`)].join(', ');
      c.report.log(`Kept cluster ${c.names.cluster}: it still runs what slipway did not start (${what}).`, 'warn');
      return { kept: c.names.cluster, because: what };
    }
    for (const task of await runningOneOffTasks(c)) {
      await ecs.send(new StopTaskCommand({ cluster: c.names.cluster, task, reason: 'slipway teardown' }), { abortSignal: c.signal });
      c.report.log(`Stopped one-off task ${shortTaskId(task)}`);
    }
    await waitUntil(c, 'waiting for one-off tasks to stop', async () => (await runningOneOffTasks(c)).length === 0);
    await retryWhileInUse(c, `Cluster ${c.names.cluster}`, () => tolerate('not-found', () => ecs.send(new DeleteClusterCommand({ cluster: c.names.cluster }), { abortSignal: c.signal })));
    c.report.log(`Deleted cluster ${c.names.cluster}`);
    return { deleted: [c.names.cluster] };
  },
};
