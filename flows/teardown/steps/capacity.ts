import { DeleteAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { DeleteLaunchTemplateCommand, DeleteSecurityGroupCommand } from '@aws-sdk/client-ec2';
import { DeleteCapacityProviderCommand, DescribeClustersCommand, DescribeContainerInstancesCommand, ListContainerInstancesCommand, PutClusterCapacityProvidersCommand } from '@aws-sdk/client-ecs';
import { classifyAwsError, tolerate } from '../../../src/aws/errors.js';
import type { Step } from '../../../src/engine/types.js';
import type { RolloutContext } from '../../rollout/context.js';
import { autoScalingOf } from '../../rollout/targets/clients.js';
import { targetNames } from '../../rollout/targets/names.js';
import { findAutoScalingGroups, findCapacityProvider, findInstanceSecurityGroup, findLaunchTemplates } from '../find.js';
import { retryWhileInUse, waitUntil } from '../waiting.js';

/**
 * The EC2 capacity of an environment (reference §13.3), after its service is gone: the capacity
 * provider off the cluster and deleted, the Auto Scaling group force-deleted (its instances terminate
 * and deregister from the cluster), the launch template, the instances' security group. The shared
 * ecsInstanceRole and its instance profile stay: every EC2 environment of the account uses them.
 */

const names = (c: RolloutContext) => targetNames(c.settings.app, c.settings.env);

/** PutClusterCapacityProviders without ours (the default strategy too), then DeleteCapacityProvider. */
export const deleteCapacityProvider: Step<RolloutContext> = {
  id: 'capacity-provider',
  title: 'Delete the capacity provider',
  plan: (c) => `ecs:PutClusterCapacityProviders ${c.names.cluster} (without ${names(c).capacityProvider}), ecs:DeleteCapacityProvider ${names(c).capacityProvider}`,
  async probe(c) {
    return (await findCapacityProvider(c)) ? undefined : { gone: true };
  },
  async apply(c) {
    const ecs = await c.ecs();
    const provider = await findCapacityProvider(c);
    if (!provider) return { deleted: [] };
    const cluster = (await tolerate('not-found', () => ecs.send(new DescribeClustersCommand({ clusters: [c.names.cluster] }), { abortSignal: c.signal })))?.clusters?.find((k) => k.status === 'ACTIVE');
    if (cluster?.capacityProviders?.includes(provider.name)) {
      await ecs.send(
        new PutClusterCapacityProvidersCommand({
          cluster: c.names.cluster,
          capacityProviders: cluster.capacityProviders.filter((p) => p !== provider.name),
          defaultCapacityProviderStrategy: (cluster.defaultCapacityProviderStrategy ?? []).filter((s) => s.capacityProvider !== provider.name),
        }),
        { abortSignal: c.signal },
      );
      c.report.log(`Removed capacity provider ${provider.name} from cluster ${c.names.cluster}`);
    }
    await retryWhileInUse(c, `Capacity provider ${provider.name}`, () => ecs.send(new DeleteCapacityProviderCommand({ capacityProvider: provider.name }), { abortSignal: c.signal }));
    c.report.log(`Deleted capacity provider ${provider.name}`);
    return { deleted: [provider.name] };
  },
};

/** ForceDelete terminates the instances with the group; waited for until the group is gone and its instances left the cluster. */
export const deleteAutoScalingGroup: Step<RolloutContext> = {
  id: 'auto-scaling-group',
  title: 'Delete the Auto Scaling group',
  plan: (c) => `autoscaling:DeleteAutoScalingGroup ${names(c).autoScalingGroup} (ForceDelete: its instances terminate), wait until gone`,
  async probe(c) {
    return (await findAutoScalingGroups(c)).length === 0 ? { gone: true } : undefined;
  },
  async apply(c) {
    const autoscaling = await autoScalingOf(c);
    const groups = await findAutoScalingGroups(c);
    const instanceIds = new Set(groups.flatMap((g) => g.instanceIds));
    for (const g of groups.filter((x) => !x.deleting)) {
      await tolerate('not-found', () => autoscaling.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: g.name, ForceDelete: true }), { abortSignal: c.signal })).catch((error: unknown) => {
        // Already being deleted (a run killed after asking): carry on waiting.
        if ((error as Error).name !== 'ScalingActivityInProgress' && (error as Error).name !== 'ScalingActivityInProgressFault') throw error;
      });
      c.report.log(`Deleting Auto Scaling group ${g.name} and its ${g.instanceIds.length} instance${g.instanceIds.length === 1 ? '' : 's'}`);
    }
    await waitUntil(c, 'waiting for the Auto Scaling group and its instances to go', async () => (await findAutoScalingGroups(c)).length === 0);
    await waitUntil(c, 'waiting for the instances to leave the cluster', async () => {
      const left = await registeredFrom(c, instanceIds);
      if (left > 0) c.report.progress('container instances still registered', left, undefined, 'items');
      return left === 0;
    });
    return { deleted: groups.map((g) => g.name) };
  },
};

/** How many of these EC2 instances are still container instances of the environment's cluster. */
async function registeredFrom(c: RolloutContext, instanceIds: Set<string>): Promise<number> {
  if (instanceIds.size === 0) return 0;
  const ecs = await c.ecs();
  const arns = (await tolerate('not-found', () => ecs.send(new ListContainerInstancesCommand({ cluster: c.names.cluster }), { abortSignal: c.signal })))?.containerInstanceArns ?? [];
  if (arns.length === 0) return 0;
  const described = await tolerate('not-found', () => ecs.send(new DescribeContainerInstancesCommand({ cluster: c.names.cluster, containerInstances: arns.slice(0, 100) }), { abortSignal: c.signal }));
  return (described?.containerInstances ?? []).filter((i) => i.status !== 'INACTIVE' && instanceIds.has(i.ec2InstanceId ?? '')).length;
}

export const deleteLaunchTemplate: Step<RolloutContext> = {
  id: 'launch-template',
  title: 'Delete the launch template',
  plan: (c) => `ec2:DeleteLaunchTemplate ${names(c).launchTemplate} (every version)`,
  async probe(c) {
    return (await findLaunchTemplates(c)).length === 0 ? { gone: true } : undefined;
  },
  async apply(c) {
    const ec2 = await c.ec2();
    const templates = await findLaunchTemplates(c);
    for (const t of templates) {
      await tolerate('not-found', () => ec2.send(new DeleteLaunchTemplateCommand({ LaunchTemplateId: t.id }), { abortSignal: c.signal }));
      c.report.log(`Deleted launch template ${t.name} (${t.id})`);
    }
    return { deleted: templates.map((t) => t.name) };
  },
};

/** Free once the instances are terminated (their network interfaces go with them): retried, bounded, while still in use. */
export const deleteInstanceSecurityGroup: Step<RolloutContext> = {
  id: 'instance-security-group',
  title: 'Delete the instances’ security group',
  plan: (c) => `ec2:DeleteSecurityGroup ${names(c).instanceSecurityGroup}`,
  async probe(c) {
    return (await findInstanceSecurityGroup(c)) ? undefined : { gone: true };
  },
  async apply(c) {
    const ec2 = await c.ec2();
    const group = await findInstanceSecurityGroup(c);
    if (!group) return { deleted: [] };
    await retryWhileInUse(c, `Security group ${group.name}`, async () => {
      try {
        await ec2.send(new DeleteSecurityGroupCommand({ GroupId: group.id }), { abortSignal: c.signal });
      } catch (error) {
        if (classifyAwsError(error) !== 'not-found') throw error;
      }
    });
    c.report.log(`Deleted security group ${group.name} (${group.id})`);
    return { deleted: [group.name] };
  },
};
