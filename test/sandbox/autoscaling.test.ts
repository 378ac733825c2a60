import {
  AlreadyExistsFault,
  CreateAutoScalingGroupCommand,
  DeleteAutoScalingGroupCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeScalingActivitiesCommand,
  ResourceInUseFault,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import { describe, expect, it } from 'vitest';
import { caught } from './support.js';
import { capacityGroup, capacityWorld, instanceProfile, type CapacityWorld } from './capacity-world.js';

async function group(world: CapacityWorld, name = 'app-dev') {
  return (await world.autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }))).AutoScalingGroups?.[0];
}
const states = async (world: CapacityWorld) => (await group(world))?.Instances?.map((i) => i.LifecycleState);

describe('Auto Scaling groups', () => {
  it('launches the desired capacity from the launch template: Pending, InService a phase later, with a successful activity each', async () => {
    const world = await capacityWorld();
    await instanceProfile(world);
    await capacityGroup(world, { desired: 2, max: 3 });
    const created = (await group(world))!;
    expect(created).toMatchObject({ MinSize: 0, MaxSize: 3, DesiredCapacity: 2, LaunchTemplate: { LaunchTemplateName: 'app-dev', Version: '$Latest' }, HealthCheckType: 'EC2' });
    expect(created.AutoScalingGroupARN).toMatch(new RegExp(`^arn:aws:autoscaling:eu-west-1:${world.account}:autoScalingGroup:[0-9a-f-]{36}:autoScalingGroupName/app-dev$`));
    expect(created.VPCZoneIdentifier?.split(',')).toEqual(world.subnets);
    expect(created.Tags).toEqual([{ ResourceId: 'app-dev', ResourceType: 'auto-scaling-group', Key: 'slipway:app', Value: 'app', PropagateAtLaunch: true }]);
    expect(created.Instances?.map((i) => [i.LifecycleState, i.InstanceType, i.ImageId])).toEqual([
      ['Pending', 't3.micro', world.ami],
      ['Pending', 't3.micro', world.ami],
    ]);
    // One per subnet, round robin.
    expect(new Set(created.Instances?.map((i) => i.AvailabilityZone)).size).toBe(2);
    world.advance(1);
    expect(await states(world)).toEqual(['InService', 'InService']);
    const activities = (await world.autoscaling.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: 'app-dev' }))).Activities!;
    expect(activities.map((a) => a.StatusCode)).toEqual(['Successful', 'Successful']);
    expect(activities[0]!.Description).toMatch(/^Launching a new EC2 instance: i-[0-9a-f]{17}$/);
  });

  it('scales in (newest first, Terminating for a phase) and out when updated; a new min drags the desired capacity along', async () => {
    const world = await capacityWorld();
    await instanceProfile(world);
    await capacityGroup(world, { desired: 2 });
    world.advance(1);
    const [first] = (await group(world))!.Instances!;
    await world.autoscaling.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'app-dev', DesiredCapacity: 1 }));
    expect((await group(world))!.Instances!.map((i) => i.LifecycleState)).toEqual(['InService', 'Terminating']);
    world.advance(1);
    expect((await group(world))!.Instances!.map((i) => i.InstanceId)).toEqual([first!.InstanceId]);
    await world.autoscaling.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'app-dev', MinSize: 2, MaxSize: 4 }));
    const grown = (await group(world))!;
    expect([grown.MinSize, grown.MaxSize, grown.DesiredCapacity]).toEqual([2, 4, 2]);
    expect(grown.Instances).toHaveLength(2);
    const bad = await caught(world.autoscaling.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'app-dev', DesiredCapacity: 9 })));
    expect([bad.name, bad.message]).toEqual(['ValidationError', 'Desired capacity:9 must be between the specified min size:2 and max size:4']);
  });

  it('refuses a second group of the same name, and deleting one with instances unless forced; a forced delete is "Delete in progress", then gone', async () => {
    const world = await capacityWorld();
    await instanceProfile(world);
    await capacityGroup(world);
    const again = await caught(world.autoscaling.send(new CreateAutoScalingGroupCommand({ AutoScalingGroupName: 'app-dev', MinSize: 0, MaxSize: 1, LaunchTemplate: { LaunchTemplateName: 'app-dev' }, VPCZoneIdentifier: world.subnets[0] })));
    expect(again).toBeInstanceOf(AlreadyExistsFault);
    const busy = await caught(world.autoscaling.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: 'app-dev' })));
    expect(busy).toBeInstanceOf(ResourceInUseFault);
    await world.autoscaling.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: 'app-dev', ForceDelete: true }));
    const deleting = (await group(world))!;
    expect(deleting.Status).toBe('Delete in progress');
    expect(deleting.Instances?.map((i) => i.LifecycleState)).toEqual(['Terminating']);
    world.advance(1);
    expect(await group(world)).toBeUndefined();
    const gone = await caught(world.autoscaling.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'app-dev', DesiredCapacity: 1 })));
    expect([gone.name, gone.message]).toEqual(['ValidationError', "AutoScalingGroup name not found - AutoScalingGroup 'app-dev' not found"]);
  });

  it('checks its input: sizes, the launch template, the subnets', async () => {
    const world = await capacityWorld();
    const base = { AutoScalingGroupName: 'x', LaunchTemplate: { LaunchTemplateName: 'none' }, VPCZoneIdentifier: world.subnets[0] };
    expect((await caught(world.autoscaling.send(new CreateAutoScalingGroupCommand({ ...base, MinSize: 2, MaxSize: 1 })))).message).toBe('The minimum size (2) cannot be greater than the maximum size (1).');
    expect((await caught(world.autoscaling.send(new CreateAutoScalingGroupCommand({ ...base, MinSize: 0, MaxSize: 1 })))).message).toMatch(/valid fully-formed launch template\. The specified launch template, with template name none, does not exist/);
    await instanceProfile(world);
    await capacityGroup(world);
    const subnet = await caught(world.autoscaling.send(new CreateAutoScalingGroupCommand({ ...base, LaunchTemplate: { LaunchTemplateName: 'app-dev' }, VPCZoneIdentifier: 'subnet-0123456789abcdef0', MinSize: 0, MaxSize: 1 })));
    expect([subnet.name, subnet.message]).toEqual(['ValidationError', "The subnet ID 'subnet-0123456789abcdef0' does not exist"]);
  });

  it('a fresh instance profile is refused until IAM propagates it: a failed activity, then the instance launches by itself', async () => {
    const world = await capacityWorld({ propagationSeconds: 8 });
    await instanceProfile(world);
    await capacityGroup(world);
    const activities = (await world.autoscaling.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: 'app-dev' }))).Activities!;
    expect(activities.map((a) => a.StatusCode)).toEqual(['Failed']);
    expect(activities[0]!.StatusMessage).toMatch(/Invalid IAM Instance Profile name/);
    expect((await group(world))!.Instances).toEqual([]);
    world.advance(8);
    expect(await states(world)).toEqual(['Pending']);
    world.advance(1);
    expect(await states(world)).toEqual(['InService']);
  });

  it('a launch EC2 refuses leaves a failed activity and no instance: a missing key pair, a missing profile, an arm64 type on an x86 AMI', async () => {
    for (const [options, message] of [
      [{ keyName: 'admin' }, "The key pair 'admin' does not exist. Launching EC2 instance failed."],
      [{ profile: 'nope' }, 'Value (nope) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name. Launching EC2 instance failed.'],
      [{ instanceType: 't4g.micro' }, /architecture 'arm64' of the specified instance type does not match the architecture 'x86_64'/],
    ] as const) {
      const world = await capacityWorld();
      await instanceProfile(world);
      await capacityGroup(world, options);
      const activity = (await world.autoscaling.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: 'app-dev' }))).Activities![0]!;
      expect(activity.StatusCode).toBe('Failed');
      expect(activity.StatusMessage).toMatch(message);
      expect((await group(world))!.Instances).toEqual([]);
    }
  });
});
