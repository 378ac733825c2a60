import type {
  Activity,
  ActivitiesType,
  AutoScalingGroup,
  AutoScalingGroupNamesType,
  AutoScalingGroupsType,
  CreateAutoScalingGroupType,
  DeleteAutoScalingGroupType,
  DescribeScalingActivitiesType,
  Filter,
  LaunchTemplateSpecification,
  SetDesiredCapacityType,
  UpdateAutoScalingGroupType,
} from '@aws-sdk/client-auto-scaling';
import { fault } from '../errors.js';
import { findLaunchTemplate } from '../ec2/launch-templates.js';
import { findSubnet } from '../ec2/network.js';
import { op, validationError, type CallContext, type Operation, type Out } from '../operation.js';
import { groupVisible, lifecycleAt, reconcileGroup } from './instances.js';
import { groupsForUpdate, groupsIn, type AsgTag, type AutoScalingGroupState } from './state.js';

/**
 * Auto Scaling groups (CreateAutoScalingGroup, Describe, Update, SetDesiredCapacity, Delete with
 * ForceDelete, DescribeScalingActivities) over launch templates, in the default VPC's subnets.
 */

const NAME = /^[\u0020-\uD7FF\uE000-\uFFFD]{1,255}$/;

const groupArn = (ctx: CallContext, name: string, id: string) => `arn:aws:autoscaling:${ctx.region}:${ctx.state.accountId}:autoScalingGroup:${id}:autoScalingGroupName/${name}`;
const notFound = (name: string | undefined) => validationError(`AutoScalingGroup name not found - AutoScalingGroup '${name}' not found`);

function visibleGroup(ctx: CallContext, name: string | undefined): AutoScalingGroupState | undefined {
  const group = groupsIn(ctx.state, ctx.region)[name ?? ''];
  return group && groupVisible(ctx.state, group, ctx.now) ? group : undefined;
}

function requireGroup(ctx: CallContext, name: string | undefined): AutoScalingGroupState {
  const found = visibleGroup(ctx, name);
  if (!found) throw notFound(name);
  if (found.deletingAt !== undefined) throw fault('ScalingActivityInProgress', 'An AutoScalingGroup is in the process of being deleted.');
  return groupsForUpdate(ctx.state, ctx.region)[found.name]!;
}

function checkSizes(min: number | undefined, max: number | undefined, desired: number | undefined): void {
  if (min === undefined || max === undefined) throw validationError('MinSize and MaxSize are required.');
  for (const [name, value] of [['MinSize', min], ['MaxSize', max], ['DesiredCapacity', desired]] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < 0)) throw validationError(`1 validation error detected: Value '${value}' at '${name.charAt(0).toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must have value greater than or equal to 0`);
  }
  if (min > max) throw validationError(`The minimum size (${min}) cannot be greater than the maximum size (${max}).`);
  if (desired !== undefined && (desired < min || desired > max)) {
    throw validationError(`Desired capacity:${desired} must be between the specified min size:${min} and max size:${max}`);
  }
}

function launchTemplateOf(ctx: CallContext, spec: LaunchTemplateSpecification | undefined): AutoScalingGroupState['launchTemplate'] {
  if (!spec) throw validationError('Valid requests must contain either LaunchTemplate, LaunchConfigurationName, InstanceId or MixedInstancesPolicy parameter.');
  try {
    const template = findLaunchTemplate(ctx.state, ctx.region, spec);
    return { id: template.id, name: template.name, version: spec.Version ?? '$Default' };
  } catch {
    const named = spec.LaunchTemplateName ? `name ${spec.LaunchTemplateName}` : `ID ${spec.LaunchTemplateId}`;
    throw validationError(`You must use a valid fully-formed launch template. The specified launch template, with template ${named}, does not exist.`);
  }
}

function subnetsOf(ctx: CallContext, zoneIdentifier: string | undefined): AutoScalingGroupState['subnets'] {
  const ids = (zoneIdentifier ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (ids.length === 0) throw validationError('At least one Availability Zone or VPC Subnet is required.');
  return ids.map((id) => {
    const subnet = findSubnet(ctx, id);
    if (!subnet) throw validationError(`The subnet ID '${id}' does not exist`);
    return { id, availabilityZone: subnet.AvailabilityZone ?? `${ctx.region}a` };
  });
}

function tagsOf(tags: { Key?: string; Value?: string; PropagateAtLaunch?: boolean }[] | undefined): AsgTag[] {
  return (tags ?? []).map((t) => {
    if (!t.Key) throw validationError('Tag key must not be empty.');
    if (t.Key.toLowerCase().startsWith('aws:')) throw validationError(`Tag keys starting with 'aws:' are reserved for internal use.`);
    return { Key: t.Key, Value: t.Value ?? '', PropagateAtLaunch: t.PropagateAtLaunch ?? false };
  });
}

function groupOut(ctx: CallContext, group: AutoScalingGroupState, withInstances = true): AutoScalingGroup {
  const instances = group.instances.flatMap((i) => {
    const lifecycle = lifecycleAt(ctx.state, i, ctx.now);
    if (!lifecycle) return [];
    return [{
      InstanceId: i.id,
      InstanceType: i.instanceType,
      AvailabilityZone: i.availabilityZone,
      LifecycleState: lifecycle,
      HealthStatus: 'Healthy',
      LaunchTemplate: { LaunchTemplateId: i.launchTemplate.id, LaunchTemplateName: i.launchTemplate.name, Version: i.launchTemplate.version },
      ImageId: i.imageId,
      ProtectedFromScaleIn: group.newInstancesProtectedFromScaleIn,
    }];
  });
  return {
    AutoScalingGroupName: group.name,
    AutoScalingGroupARN: group.arn,
    LaunchTemplate: { LaunchTemplateId: group.launchTemplate.id, LaunchTemplateName: group.launchTemplate.name, Version: group.launchTemplate.version },
    MinSize: group.minSize,
    MaxSize: group.maxSize,
    DesiredCapacity: group.desiredCapacity,
    DefaultCooldown: group.defaultCooldown,
    AvailabilityZones: [...new Set(group.subnets.map((s) => s.availabilityZone))].sort(),
    LoadBalancerNames: [],
    TargetGroupARNs: [],
    HealthCheckType: group.healthCheckType,
    HealthCheckGracePeriod: group.healthCheckGracePeriod,
    Instances: withInstances ? instances : undefined,
    CreatedTime: new Date(group.createdAt),
    SuspendedProcesses: [],
    VPCZoneIdentifier: group.subnets.map((s) => s.id).join(','),
    EnabledMetrics: [],
    Status: group.deletingAt !== undefined ? 'Delete in progress' : undefined,
    Tags: group.tags.map((t) => ({ ResourceId: group.name, ResourceType: 'auto-scaling-group', Key: t.Key, Value: t.Value, PropagateAtLaunch: t.PropagateAtLaunch })),
    TerminationPolicies: ['Default'],
    NewInstancesProtectedFromScaleIn: group.newInstancesProtectedFromScaleIn,
    ServiceLinkedRoleARN: `arn:aws:iam::${ctx.state.accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
    CapacityRebalance: group.capacityRebalance,
    TrafficSources: [],
  };
}

function groupMatches(group: AutoScalingGroupState, filter: Filter): boolean {
  const values = filter.Values ?? [];
  const name = filter.Name ?? '';
  if (name === 'tag-key') return group.tags.some((t) => values.includes(t.Key));
  if (name === 'tag-value') return group.tags.some((t) => values.includes(t.Value));
  if (name.startsWith('tag:')) return group.tags.some((t) => t.Key === name.slice(4) && values.includes(t.Value));
  throw validationError(`Filter name '${name}' is invalid.`);
}

function activityOut(group: AutoScalingGroupState, a: AutoScalingGroupState['activities'][number], now: number): Activity {
  // A launch that succeeds is in progress until its instance is up.
  const running = a.statusCode === 'Successful' && a.endTime !== undefined && a.endTime > now;
  return {
    ActivityId: a.id,
    AutoScalingGroupName: group.name,
    AutoScalingGroupARN: group.arn,
    Description: a.description,
    Cause: a.cause,
    StartTime: new Date(a.startTime),
    EndTime: a.endTime === undefined || running ? undefined : new Date(a.endTime),
    StatusCode: running ? 'InProgress' : a.statusCode,
    StatusMessage: a.statusMessage,
    Progress: running ? 50 : 100,
    Details: a.details,
  };
}

export const groupOperations: Record<string, Operation> = {
  CreateAutoScalingGroup: op<CreateAutoScalingGroupType, object>({
    resource: (input, ctx) => `arn:aws:autoscaling:${ctx.region}:${ctx.state.accountId}:autoScalingGroup:*:autoScalingGroupName/${input.AutoScalingGroupName ?? ''}`,
    run: (input, ctx) => {
      const name = input.AutoScalingGroupName;
      if (!name || !NAME.test(name)) throw validationError('AutoScalingGroupName must be 1–255 characters.');
      const existing = groupsIn(ctx.state, ctx.region)[name];
      if (existing && groupVisible(ctx.state, existing, ctx.now)) {
        throw fault('AlreadyExists', existing.deletingAt !== undefined ? `AutoScalingGroup by this name already exists - A group with the name ${name} is being deleted.` : `AutoScalingGroup by this name already exists - A group with the name ${name} already exists`);
      }
      if (input.LaunchConfigurationName || input.MixedInstancesPolicy || input.InstanceId) {
        throw validationError('The sandbox launches Auto Scaling groups from launch templates only.');
      }
      const desired = input.DesiredCapacity ?? input.MinSize;
      checkSizes(input.MinSize, input.MaxSize, desired);
      const group: AutoScalingGroupState = {
        name,
        arn: groupArn(ctx, name, ctx.ids.bytes(16).toString('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5')),
        createdAt: ctx.now,
        minSize: input.MinSize!,
        maxSize: input.MaxSize!,
        desiredCapacity: desired!,
        launchTemplate: launchTemplateOf(ctx, input.LaunchTemplate),
        subnets: subnetsOf(ctx, input.VPCZoneIdentifier),
        defaultCooldown: input.DefaultCooldown ?? 300,
        healthCheckType: input.HealthCheckType ?? 'EC2',
        healthCheckGracePeriod: input.HealthCheckGracePeriod ?? 0,
        newInstancesProtectedFromScaleIn: input.NewInstancesProtectedFromScaleIn ?? false,
        capacityRebalance: input.CapacityRebalance ?? false,
        tags: tagsOf(input.Tags),
        instances: [],
        activities: [],
      };
      groupsForUpdate(ctx.state, ctx.region)[name] = group;
      reconcileGroup(ctx.state, ctx.region, group, ctx.now, ctx.ids, 'a user request created an AutoScalingGroup');
      return {};
    },
  }),

  DescribeAutoScalingGroups: op<AutoScalingGroupNamesType, Out<AutoScalingGroupsType>>({
    run: (input, ctx) => {
      const groups = Object.values(groupsIn(ctx.state, ctx.region))
        .filter((g) => groupVisible(ctx.state, g, ctx.now))
        .filter((g) => !input.AutoScalingGroupNames?.length || input.AutoScalingGroupNames.includes(g.name))
        .filter((g) => (input.Filters ?? []).every((f) => groupMatches(g, f)))
        .sort((a, b) => a.name.localeCompare(b.name));
      return { AutoScalingGroups: groups.map((g) => groupOut(ctx, g, input.IncludeInstances !== false)) };
    },
  }),

  UpdateAutoScalingGroup: op<UpdateAutoScalingGroupType, object>({
    run: (input, ctx) => {
      const group = requireGroup(ctx, input.AutoScalingGroupName);
      const min = input.MinSize ?? group.minSize;
      const max = input.MaxSize ?? group.maxSize;
      // A new min or max drags the desired capacity along, as Auto Scaling does.
      const desired = input.DesiredCapacity ?? Math.max(min, Math.min(max, group.desiredCapacity));
      checkSizes(min, max, desired);
      if (input.LaunchTemplate) group.launchTemplate = launchTemplateOf(ctx, input.LaunchTemplate);
      if (input.VPCZoneIdentifier) group.subnets = subnetsOf(ctx, input.VPCZoneIdentifier);
      Object.assign(group, { minSize: min, maxSize: max, desiredCapacity: desired });
      group.defaultCooldown = input.DefaultCooldown ?? group.defaultCooldown;
      group.healthCheckType = input.HealthCheckType ?? group.healthCheckType;
      group.healthCheckGracePeriod = input.HealthCheckGracePeriod ?? group.healthCheckGracePeriod;
      group.newInstancesProtectedFromScaleIn = input.NewInstancesProtectedFromScaleIn ?? group.newInstancesProtectedFromScaleIn;
      group.capacityRebalance = input.CapacityRebalance ?? group.capacityRebalance;
      reconcileGroup(ctx.state, ctx.region, group, ctx.now, ctx.ids, `a user request update of AutoScalingGroup constraints to min: ${min}, max: ${max}, desired: ${desired}`);
      return {};
    },
  }),

  SetDesiredCapacity: op<SetDesiredCapacityType, object>({
    run: (input, ctx) => {
      const group = requireGroup(ctx, input.AutoScalingGroupName);
      const desired = input.DesiredCapacity;
      if (desired === undefined || desired < group.minSize || desired > group.maxSize) {
        throw validationError(`New SetDesiredCapacity value ${desired} is below min value ${group.minSize} for the AutoScalingGroup.`);
      }
      group.desiredCapacity = desired;
      reconcileGroup(ctx.state, ctx.region, group, ctx.now, ctx.ids, 'a user request explicitly set group desired capacity');
      return {};
    },
  }),

  DeleteAutoScalingGroup: op<DeleteAutoScalingGroupType, object>({
    run: (input, ctx) => {
      const group = requireGroup(ctx, input.AutoScalingGroupName);
      const present = group.instances.some((i) => lifecycleAt(ctx.state, i, ctx.now) !== undefined || i.launchedAt > ctx.now);
      if (present && !input.ForceDelete) {
        throw fault('ResourceInUse', 'You cannot delete an AutoScalingGroup while there are instances or pending Spot instance request(s) still in the group.');
      }
      group.deletingAt = ctx.now;
      reconcileGroup(ctx.state, ctx.region, group, ctx.now, ctx.ids, 'a user request deleted the AutoScalingGroup,');
      return {};
    },
  }),

  DescribeScalingActivities: op<DescribeScalingActivitiesType, Out<ActivitiesType>>({
    run: (input, ctx) => {
      const groups = input.AutoScalingGroupName ? [visibleGroup(ctx, input.AutoScalingGroupName)].filter((g): g is AutoScalingGroupState => g !== undefined) : Object.values(groupsIn(ctx.state, ctx.region));
      const activities = groups
        .flatMap((g) => g.activities.filter((a) => a.startTime <= ctx.now).map((a) => activityOut(g, a, ctx.now)))
        .filter((a) => !input.ActivityIds?.length || input.ActivityIds.includes(a.ActivityId!))
        .sort((a, b) => b.StartTime!.getTime() - a.StartTime!.getTime());
      return { Activities: activities.slice(0, input.MaxRecords ?? 100) };
    },
  }),
};
