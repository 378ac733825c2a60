import { createHash } from 'node:crypto';
import { visible } from '../caller.js';
import { launchTemplatesIn, versionOf } from '../ec2/launch-templates.js';
import { phaseMs } from '../ecs/common.js';
import type { IdSource } from '../ids.js';
import { findByName } from '../iam/common.js';
import { findEcsOptimizedAmi } from '../ssm.js';
import type { SandboxState } from '../state.js';
import { instanceTypeInfo } from './instance-types.js';
import type { AsgActivity, AsgInstance, AutoScalingGroupState } from './state.js';

/**
 * What an Auto Scaling group does with its instances: launch from its launch template until it has the
 * desired capacity, terminate the newest when it has too many. Instances take a sandbox phase (the ECS
 * task phase) to go Pending → InService; the ECS agent on an ECS-optimized AMI registers a phase later
 * (ecs/container-instances.ts reads that from here).
 */

export type Lifecycle = 'Pending' | 'InService' | 'Terminating';

/** An instance's state at `now`, or undefined once it has left the group (or before it was launched). */
export function lifecycleAt(state: SandboxState, instance: AsgInstance, now: number): Lifecycle | undefined {
  const phase = phaseMs(state);
  if (instance.terminatedAt !== undefined) return now < instance.terminatedAt + phase ? 'Terminating' : undefined;
  if (now < instance.launchedAt) return undefined;
  return now < instance.launchedAt + phase ? 'Pending' : 'InService';
}

/** The group as callers see it at `now`: undefined once a deletion has finished. */
export function groupVisible(state: SandboxState, group: AutoScalingGroupState, now: number): boolean {
  return group.deletingAt === undefined || now < group.deletingAt + phaseMs(state);
}

const MAX_ACTIVITIES = 50;

function activity(ids: IdSource, group: AutoScalingGroupState, a: Omit<AsgActivity, 'id' | 'details'>): void {
  const hex = ids.bytes(16).toString('hex');
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
  const zones = [...new Set(group.subnets.map((s) => s.availabilityZone))];
  group.activities.unshift({ id, details: JSON.stringify({ 'Subnet ID': group.subnets[0]?.id, 'Availability Zone': zones[0] }), ...a });
  group.activities.splice(MAX_ACTIVITIES);
}

const cause = (at: number, what: string) => `At ${new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z')} ${what}`;

/** Why EC2 would refuse to launch from this template now, or when it will stop refusing (IAM propagation). */
function launchProblem(state: SandboxState, region: string, data: Record<string, unknown>, now: number): { failure?: string; notBefore?: number } {
  const type = data.InstanceType as string | undefined;
  const imageId = data.ImageId as string | undefined;
  if (!imageId) return { failure: 'The request must contain the parameter ImageId. Launching EC2 instance failed.' };
  if (!type) return { failure: 'The request must contain the parameter InstanceType. Launching EC2 instance failed.' };
  const info = instanceTypeInfo(type);
  if (!info) return { failure: `Invalid value '${type}' for InstanceType. Launching EC2 instance failed.` };
  const ami = findEcsOptimizedAmi(region, imageId);
  if (ami && ami.architecture !== info.architecture) {
    return { failure: `The architecture '${info.architecture}' of the specified instance type does not match the architecture '${ami.architecture}' of the specified AMI. Specify an instance type and an AMI that have matching architectures, and try again. Launching EC2 instance failed.` };
  }
  const key = data.KeyName as string | undefined;
  if (key && !state.ec2.keyPairs[region]?.[key]) return { failure: `The key pair '${key}' does not exist. Launching EC2 instance failed.` };
  const spec = data.IamInstanceProfile as { Name?: string; Arn?: string } | undefined;
  const name = spec?.Name ?? spec?.Arn?.split('/').pop();
  if (name) {
    const profile = findByName(state.iam.instanceProfiles ?? {}, name);
    const invalid = `Value (${spec?.Name ?? spec?.Arn}) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name. Launching EC2 instance failed.`;
    if (!profile) return { failure: invalid };
    // A fresh profile is refused for a while (rollout reference §11): the group retries until EC2 sees it.
    if (!visible(state, profile.createdAt, now)) return { failure: invalid, notBefore: profile.createdAt + state.propagationSeconds * 1000 };
  }
  return {};
}

function newInstanceId(ids: IdSource): string {
  return `i-${ids.bytes(9).toString('hex').slice(0, 17)}`;
}

/**
 * Brings the group to its desired capacity at `now`: forgets instances that have left, launches the
 * missing ones (recording each activity), terminates the newest extra ones. Call it from every call that
 * changes a group, and from ECS managed scaling.
 */
export function reconcileGroup(state: SandboxState, region: string, group: AutoScalingGroupState, now: number, ids: IdSource, why: string): void {
  group.instances = group.instances.filter((i) => lifecycleAt(state, i, now) !== undefined || i.launchedAt > now);
  const live = group.instances.filter((i) => i.terminatedAt === undefined);
  const wanted = group.deletingAt !== undefined ? 0 : group.desiredCapacity;
  if (live.length > wanted) {
    // The newest go first (launched last; among equals, listed last).
    const doomed = [...live].reverse().sort((a, b) => b.launchedAt - a.launchedAt).slice(0, live.length - wanted);
    for (const instance of doomed) {
      instance.terminatedAt = now;
      activity(ids, group, {
        description: `Terminating EC2 instance: ${instance.id}`,
        cause: cause(now, `${why} changing the desired capacity from ${live.length} to ${wanted}. An instance was taken out of service in response to a difference between desired and actual capacity, shrinking the capacity from ${live.length} to ${wanted}.`),
        startTime: now,
        endTime: now + phaseMs(state),
        statusCode: 'Successful',
      });
    }
    return;
  }
  if (live.length === wanted) return;
  const template = Object.values(launchTemplatesIn(state, region)).find((t) => t.id === group.launchTemplate.id);
  const version = template && versionOf(template, group.launchTemplate.version);
  const reason = cause(now, `${why} changing the desired capacity from ${live.length} to ${wanted}. An instance was started in response to a difference between desired and actual capacity, increasing the capacity from ${live.length} to ${wanted}.`);
  if (!template || !version) {
    activity(ids, group, { description: 'Launching a new EC2 instance.  Status Reason: The specified launch template does not exist. Launching EC2 instance failed.', cause: reason, startTime: now, endTime: now, statusCode: 'Failed', statusMessage: `The specified launch template, with template ID ${group.launchTemplate.id}, does not exist. Launching EC2 instance failed.` });
    return;
  }
  const problem = launchProblem(state, region, version.data, now);
  if (problem.failure) {
    activity(ids, group, { description: `Launching a new EC2 instance.  Status Reason: ${problem.failure}`, cause: reason, startTime: now, endTime: now, statusCode: 'Failed', statusMessage: problem.failure });
    if (problem.notBefore === undefined) return;
  }
  const launchedAt = Math.max(now, problem.notBefore ?? now);
  for (let n = live.length; n < wanted; n++) {
    const subnet = group.subnets[n % Math.max(1, group.subnets.length)] ?? { id: '', availabilityZone: `${region}a` };
    const instance: AsgInstance = {
      id: newInstanceId(ids),
      availabilityZone: subnet.availabilityZone,
      subnetId: subnet.id,
      instanceType: String(version.data.InstanceType),
      imageId: String(version.data.ImageId),
      launchTemplate: { id: template.id, name: template.name, version: String(version.number) },
      userData: version.data.UserData as string | undefined,
      instanceProfile: ((version.data.IamInstanceProfile as { Name?: string; Arn?: string } | undefined)?.Name ?? (version.data.IamInstanceProfile as { Arn?: string } | undefined)?.Arn?.split('/').pop()),
      keyName: version.data.KeyName as string | undefined,
      securityGroupIds: [...((version.data.SecurityGroupIds as string[] | undefined) ?? [])],
      launchedAt,
    };
    group.instances.push(instance);
    activity(ids, group, { description: `Launching a new EC2 instance: ${instance.id}`, cause: reason, startTime: launchedAt, endTime: launchedAt + phaseMs(state), statusCode: 'Successful' });
  }
}

/** Changes a group's desired capacity (within min/max) and acts on it: what ECS managed scaling calls. */
export function setDesired(state: SandboxState, region: string, group: AutoScalingGroupState, desired: number, now: number, ids: IdSource, why: string): void {
  group.desiredCapacity = Math.max(group.minSize, Math.min(group.maxSize, desired));
  reconcileGroup(state, region, group, now, ids, why);
}

/** A stable hex id derived from an instance id (container instance ids are made from it). */
export function derivedId(instanceId: string, length = 32): string {
  return createHash('sha256').update(instanceId).digest('hex').slice(0, length);
}
