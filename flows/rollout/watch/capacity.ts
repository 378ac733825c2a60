import { DescribeAutoScalingGroupsCommand, DescribeScalingActivitiesCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeContainerInstancesCommand, ListContainerInstancesCommand, type ContainerInstance } from '@aws-sdk/client-ecs';
import type { RolloutContext } from '../context.js';
import type { CapacityEvidence } from '../diagnosis/rules.js';
import { autoScalingOf } from '../targets/clients.js';

/**
 * An EC2 environment's capacity as the watch shows it and the diagnosis reads it: the cluster's container
 * instances (ListContainerInstances, DescribeContainerInstances — agentConnected, status, what is free)
 * and the Auto Scaling group behind them (desired/min/max, instances in service, the last failed launch).
 */
export async function gatherCapacity(c: RolloutContext, groupName: string): Promise<CapacityEvidence & { instances: ContainerInstance[] }> {
  const ecs = await c.ecs();
  const arns = (await ecs.send(new ListContainerInstancesCommand({ cluster: c.names.cluster }), { abortSignal: c.signal })).containerInstanceArns ?? [];
  const instances = arns.length ? ((await ecs.send(new DescribeContainerInstancesCommand({ cluster: c.names.cluster, containerInstances: arns.slice(0, 100) }), { abortSignal: c.signal })).containerInstances ?? []) : [];
  const active = instances.filter((i) => i.status === 'ACTIVE');
  const free = (i: ContainerInstance, name: string) => i.remainingResources?.find((r) => r.name === name)?.integerValue ?? 0;
  const roomiest = [...active].sort((a, b) => free(b, 'MEMORY') - free(a, 'MEMORY'))[0];
  const autoscaling = await autoScalingOf(c);
  const group = (await autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [groupName] }), { abortSignal: c.signal }).catch(() => undefined))?.AutoScalingGroups?.[0];
  const activity = group ? (await autoscaling.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: groupName, MaxRecords: 1 }), { abortSignal: c.signal }).catch(() => undefined))?.Activities?.[0] : undefined;
  return {
    cluster: c.names.cluster,
    registered: active.length,
    connected: active.filter((i) => i.agentConnected).length,
    largestFree: roomiest ? { cpu: free(roomiest, 'CPU'), memory: free(roomiest, 'MEMORY') } : undefined,
    group: group
      ? {
          name: groupName,
          desiredCapacity: group.DesiredCapacity ?? 0,
          minSize: group.MinSize ?? 0,
          maxSize: group.MaxSize ?? 0,
          inService: (group.Instances ?? []).filter((i) => i.LifecycleState === 'InService').length,
          instanceType: group.Instances?.[0]?.InstanceType,
        }
      : undefined,
    launchFailure: activity?.StatusCode === 'Failed' ? (activity.StatusMessage ?? activity.Description) : undefined,
    instances,
  };
}

/** "container instances: 1/1 registered (agent connected) · group todo-dev: desired 1 (min 0, max 2), 1 InService" */
export function capacityLine(capacity: CapacityEvidence): string {
  const group = capacity.group;
  const groupPart = group ? ` · Auto Scaling group ${group.name}: desired ${group.desiredCapacity} (min ${group.minSize}, max ${group.maxSize}), ${group.inService} in service` : '';
  const free = capacity.largestFree ? ` · most free on one: ${capacity.largestFree.cpu} CPU, ${capacity.largestFree.memory} MiB` : '';
  return `container instances: ${capacity.registered} registered, ${capacity.connected} with the agent connected${free}${groupPart}`;
}

/** One line per container instance the first time it is seen registered. */
export function registeredLine(i: ContainerInstance): string {
  const type = i.attributes?.find((a) => a.name === 'ecs.instance-type')?.value;
  const zone = i.attributes?.find((a) => a.name === 'ecs.availability-zone')?.value;
  const memory = i.registeredResources?.find((r) => r.name === 'MEMORY')?.integerValue;
  return `container instance ${i.containerInstanceArn?.split('/').pop()?.slice(0, 8)} registered: ${i.ec2InstanceId}${type ? ` ${type}` : ''}${zone ? ` in ${zone}` : ''}, agent ${i.versionInfo?.agentVersion ?? '?'}${i.agentConnected ? ' connected' : ' DISCONNECTED'}${memory ? `, ${memory} MiB for tasks` : ''}`;
}
