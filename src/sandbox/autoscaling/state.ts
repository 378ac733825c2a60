import type { SandboxState } from '../state.js';

/**
 * The Auto Scaling slice of the simulated account (autoscaling/groups.ts, instances.ts). Instances are
 * stored with the times things happen to them; their lifecycle state at any moment is derived from those
 * times (instances.ts), so a read never has to change the account.
 */

export interface AsgTag {
  Key: string;
  Value: string;
  PropagateAtLaunch: boolean;
}

export interface AsgInstance {
  id: string;
  availabilityZone: string;
  subnetId: string;
  instanceType: string;
  imageId: string;
  launchTemplate: { id: string; name: string; version: string };
  /** What the instance booted with, from its launch template version. */
  userData?: string;
  instanceProfile?: string;
  keyName?: string;
  securityGroupIds: string[];
  /** When EC2 started it: later than asked when the launch had to wait (a profile IAM had not propagated yet). */
  launchedAt: number;
  /** Set when it is terminated (scale-in, deletion); it leaves the group a phase later. */
  terminatedAt?: number;
}

export interface AsgActivity {
  id: string;
  description: string;
  cause: string;
  startTime: number;
  endTime?: number;
  statusCode: 'Successful' | 'Failed' | 'InProgress' | 'Cancelled';
  statusMessage?: string;
  details: string;
}

export interface AutoScalingGroupState {
  name: string;
  arn: string;
  createdAt: number;
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
  launchTemplate: { id: string; name: string; version: string };
  /** The subnets instances go to, with their zones, in the order given. */
  subnets: { id: string; availabilityZone: string }[];
  defaultCooldown: number;
  healthCheckType: string;
  healthCheckGracePeriod: number;
  newInstancesProtectedFromScaleIn: boolean;
  capacityRebalance: boolean;
  tags: AsgTag[];
  /** ForceDelete (or a delete of an empty group) started then: "Delete in progress" for a phase, then gone. */
  deletingAt?: number;
  instances: AsgInstance[];
  /** Newest first, at most 50. */
  activities: AsgActivity[];
}

export interface AutoScalingState {
  /** region → group name → group. */
  groups: Record<string, Record<string, AutoScalingGroupState>>;
}

declare module '../state.js' {
  interface SandboxState {
    /** EC2 Auto Scaling (src/sandbox/autoscaling/). */
    autoscaling?: AutoScalingState;
  }
}

/** Read-only calls see the live state and must not add to it. */
export function groupsIn(state: SandboxState, region: string): Record<string, AutoScalingGroupState> {
  return state.autoscaling?.groups[region] ?? {};
}

export function groupsForUpdate(state: SandboxState, region: string): Record<string, AutoScalingGroupState> {
  return ((state.autoscaling ??= { groups: {} }).groups[region] ??= {});
}
