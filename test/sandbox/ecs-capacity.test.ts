import { DescribeAutoScalingGroupsCommand, UpdateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import {
  CreateCapacityProviderCommand,
  CreateClusterCommand,
  DeleteCapacityProviderCommand,
  DeregisterContainerInstanceCommand,
  DescribeCapacityProvidersCommand,
  DescribeClustersCommand,
  DescribeContainerInstancesCommand,
  ListContainerInstancesCommand,
  PutClusterCapacityProvidersCommand,
  ResourceInUseException,
  RunTaskCommand,
  type ContainerInstance,
} from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { capacityGroup, capacityWorld, instanceProfile, type CapacityWorld } from './capacity-world.js';
import { CLUSTER, createService, describeService, NETWORK, register, serviceTasks } from './ecs-world.js';
import { caught } from './support.js';

async function containerInstances(world: CapacityWorld, cluster = CLUSTER): Promise<ContainerInstance[]> {
  const arns = (await world.ecs.send(new ListContainerInstancesCommand({ cluster }))).containerInstanceArns ?? [];
  if (!arns.length) return [];
  return (await world.ecs.send(new DescribeContainerInstancesCommand({ cluster, containerInstances: arns }))).containerInstances ?? [];
}

const memory = (ci: ContainerInstance, which: 'registeredResources' | 'remainingResources') => ci[which]?.find((r) => r.name === 'MEMORY')?.integerValue;

/** The capacity provider over group `app-dev`, attached to the cluster as its default strategy. */
async function attachProvider(world: CapacityWorld, managedScaling: 'ENABLED' | 'DISABLED' = 'ENABLED'): Promise<void> {
  const group = (await world.autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['app-dev'] }))).AutoScalingGroups![0]!;
  await world.ecs.send(new CreateCapacityProviderCommand({ name: 'app-dev-ec2', autoScalingGroupProvider: { autoScalingGroupArn: group.AutoScalingGroupARN, managedScaling: { status: managedScaling, targetCapacity: 100 }, managedTerminationProtection: 'DISABLED' } }));
  await world.ecs.send(new PutClusterCapacityProvidersCommand({ cluster: CLUSTER, capacityProviders: ['app-dev-ec2'], defaultCapacityProviderStrategy: [{ capacityProvider: 'app-dev-ec2', weight: 1 }] }));
}

const ec2Definition = (world: CapacityWorld, memoryMiB = '512') => register(world, { requiresCompatibilities: ['EC2'], cpu: '256', memory: memoryMiB });
const EC2_NETWORK = { awsvpcConfiguration: { ...NETWORK.awsvpcConfiguration, assignPublicIp: 'DISABLED' as const } };

describe('ECS container instances from an Auto Scaling group', () => {
  it('the agent registers two phases after launch with what the instance type offers; nothing registers without the ECS policy', async () => {
    const world = await capacityWorld();
    await instanceProfile(world);
    await capacityGroup(world);
    world.advance(1);
    expect(await containerInstances(world)).toEqual([]);
    world.advance(1);
    const [ci] = await containerInstances(world);
    expect(ci).toMatchObject({ status: 'ACTIVE', agentConnected: true, runningTasksCount: 0, pendingTasksCount: 0, versionInfo: { agentVersion: expect.any(String) } });
    expect(ci!.ec2InstanceId).toMatch(/^i-[0-9a-f]{17}$/);
    expect(ci!.containerInstanceArn).toMatch(new RegExp(`:container-instance/${CLUSTER}/[0-9a-f]{32}$`));
    expect(memory(ci!, 'registeredResources')).toBeLessThan(1024);
    expect(memory(ci!, 'registeredResources')).toBeGreaterThan(900);
    expect(ci!.attributes).toContainEqual({ name: 'ecs.instance-type', value: 't3.micro' });

    const bare = await capacityWorld();
    await instanceProfile(bare, 'ecsInstanceRole', { bare: true });
    await capacityGroup(bare);
    bare.advance(5);
    expect(await containerInstances(bare)).toEqual([]);
  });

  it('registers in the cluster ECS_CLUSTER names (a typo lands elsewhere), and not at all when that cluster does not exist', async () => {
    const world = await capacityWorld();
    await instanceProfile(world);
    await world.ecs.send(new CreateClusterCommand({ clusterName: 'typo-cluster' }));
    await capacityGroup(world, { cluster: 'typo-cluster' });
    await capacityGroup(world, { name: 'other', cluster: 'nowhere' });
    world.advance(2);
    expect(await containerInstances(world)).toEqual([]);
    expect(await containerInstances(world, 'typo-cluster')).toHaveLength(1);
  });

  it('capacity providers: created over a group (tagging it AmazonECSManaged), listed beside FARGATE, attached to a cluster, refused deletion while attached', async () => {
    const world = await capacityWorld();
    await instanceProfile(world);
    await capacityGroup(world);
    await attachProvider(world);
    const described = (await world.ecs.send(new DescribeCapacityProvidersCommand({}))).capacityProviders!;
    expect(described.map((p) => p.name)).toEqual(['FARGATE', 'FARGATE_SPOT', 'app-dev-ec2']);
    expect(described[2]).toMatchObject({ status: 'ACTIVE', type: 'EC2_AUTOSCALING', autoScalingGroupProvider: { managedScaling: { status: 'ENABLED', targetCapacity: 100 }, managedTerminationProtection: 'DISABLED' } });
    const group = (await world.autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['app-dev'] }))).AutoScalingGroups![0]!;
    expect(group.Tags?.map((t) => t.Key)).toContain('AmazonECSManaged');
    const cluster = (await world.ecs.send(new DescribeClustersCommand({ clusters: [CLUSTER] }))).clusters![0]!;
    expect(cluster.capacityProviders).toEqual(['app-dev-ec2']);
    expect(cluster.defaultCapacityProviderStrategy).toEqual([{ capacityProvider: 'app-dev-ec2', weight: 1 }]);

    const again = await caught(world.ecs.send(new CreateCapacityProviderCommand({ name: 'app-dev-ec2', autoScalingGroupProvider: { autoScalingGroupArn: group.AutoScalingGroupARN } })));
    expect(again.name).toBe('ClientException');
    const missing = (await world.ecs.send(new DescribeCapacityProvidersCommand({ capacityProviders: ['nope'] }))).failures;
    expect(missing?.[0]?.reason).toBe('MISSING');
    expect(await caught(world.ecs.send(new DeleteCapacityProviderCommand({ capacityProvider: 'app-dev-ec2' })))).toBeInstanceOf(ResourceInUseException);
    await world.ecs.send(new PutClusterCapacityProvidersCommand({ cluster: CLUSTER, capacityProviders: [], defaultCapacityProviderStrategy: [] }));
    const deleted = (await world.ecs.send(new DeleteCapacityProviderCommand({ capacityProvider: 'app-dev-ec2' }))).capacityProvider!;
    expect(deleted).toMatchObject({ status: 'INACTIVE', updateStatus: 'DELETE_COMPLETE' });
  });

  it('an EC2 service with the capacity provider strategy places its tasks on the instances, which show them and what remains', async () => {
    const world = await capacityWorld();
    await instanceProfile(world);
    await capacityGroup(world);
    await attachProvider(world);
    world.advance(2);
    const definition = await ec2Definition(world);
    await createService(world, definition, { launchType: undefined, capacityProviderStrategy: [{ capacityProvider: 'app-dev-ec2', weight: 1 }], networkConfiguration: EC2_NETWORK });
    world.advance(10);
    const service = await describeService(world);
    expect(service.runningCount).toBe(1);
    expect(service.deployments?.[0]?.rolloutState).toBe('COMPLETED');
    expect((await serviceTasks(world, 'RUNNING'))[0]?.launchType).toBe('EC2');
    const [ci] = await containerInstances(world);
    expect(ci?.runningTasksCount).toBe(1);
    expect(memory(ci!, 'remainingResources')).toBe(memory(ci!, 'registeredResources')! - 512);
  });

  it('no container instances: the service says so in its events; with managed scaling ECS grows the group from 0 and the service comes up', async () => {
    const world = await capacityWorld();
    await instanceProfile(world);
    await capacityGroup(world, { desired: 0, max: 0 });
    await attachProvider(world);
    const definition = await ec2Definition(world);
    await createService(world, definition, { launchType: undefined, capacityProviderStrategy: [{ capacityProvider: 'app-dev-ec2', weight: 1 }], networkConfiguration: EC2_NETWORK });
    world.advance(5);
    const stuck = await describeService(world);
    expect(stuck.runningCount).toBe(0);
    expect(stuck.events?.[0]?.message).toMatch(/was unable to place a task because no container instance met all of its requirements\. Reason: No Container Instances were found in your cluster\./);

    await world.autoscaling.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'app-dev', MaxSize: 2 }));
    // ECS retries placement (throttled), and managed scaling launches an instance for the waiting task.
    for (let i = 0; i < 30 && (await describeService(world)).runningCount === 0; i++) world.advance(10);
    const up = await describeService(world);
    expect(up.runningCount).toBe(1);
    const group = (await world.autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['app-dev'] }))).AutoScalingGroups![0]!;
    expect(group.DesiredCapacity).toBe(1);
  });

  it('a task too big for the instances: "insufficient memory" events, RunTask fails with RESOURCE:MEMORY, and managed scaling does not try', async () => {
    const world = await capacityWorld();
    await instanceProfile(world);
    await capacityGroup(world);
    await attachProvider(world);
    world.advance(2);
    const big = await ec2Definition(world, '2048');
    const run = await world.ecs.send(new RunTaskCommand({ cluster: CLUSTER, taskDefinition: big, launchType: 'EC2', networkConfiguration: EC2_NETWORK }));
    expect(run.tasks).toEqual([]);
    expect(run.failures?.[0]?.reason).toBe('RESOURCE:MEMORY');
    await createService(world, big, { launchType: 'EC2', networkConfiguration: EC2_NETWORK });
    world.advance(3);
    const service = await describeService(world);
    expect(service.events?.[0]?.message).toMatch(/no container instance met all of its requirements\. The closest matching \(container-instance [0-9a-f]{32}\) has insufficient memory available\./);
    const group = (await world.autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['app-dev'] }))).AutoScalingGroups![0]!;
    expect(group.DesiredCapacity).toBe(1);
  });

  it('DeregisterContainerInstance takes an instance out: INACTIVE, no longer listed, still described', async () => {
    const world = await capacityWorld();
    await instanceProfile(world);
    await capacityGroup(world);
    world.advance(2);
    const [ci] = await containerInstances(world);
    const out = (await world.ecs.send(new DeregisterContainerInstanceCommand({ cluster: CLUSTER, containerInstance: ci!.containerInstanceArn }))).containerInstance!;
    expect(out.status).toBe('INACTIVE');
    expect(await containerInstances(world)).toEqual([]);
    const described = (await world.ecs.send(new DescribeContainerInstancesCommand({ cluster: CLUSTER, containerInstances: [ci!.containerInstanceArn!] }))).containerInstances;
    expect(described?.map((c) => [c.status, c.agentConnected])).toEqual([['INACTIVE', false]]);
  });
});
