import {
  AddRoleToInstanceProfileCommand,
  AttachRolePolicyCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  GetInstanceProfileCommand,
  GetRoleCommand,
  ListAttachedRolePoliciesCommand,
  type InstanceProfile,
} from '@aws-sdk/client-iam';
import { tolerate } from '../../../../src/aws/errors.js';
import { abortableSleep } from '../../../../src/aws/waiters.js';
import { SlipwayError } from '../../../../src/engine/errors.js';
import type { Step } from '../../../../src/engine/types.js';
import type { RolloutContext } from '../../context.js';
import { INSTANCE_ROLE } from '../names.js';

export const EC2_ROLE_POLICY_ARN = 'arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role';

/** How long EC2 may refuse a new instance profile (rollout reference §11): AWS's few seconds, the sandbox's own delay. */
function propagationMs(c: RolloutContext): number {
  return c.runtime.sandbox ? c.runtime.sandbox.propagationSeconds * 1000 : 10_000;
}

function ec2TrustPolicy(): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
}

/**
 * The book's ecsInstanceRole: a role EC2 instances assume, with AmazonEC2ContainerServiceforEC2Role (the
 * agent registers, pulls from ECR, writes logs), in an instance profile of the same name. Account-wide,
 * as the console makes it: an existing one is adopted (and given the policy if it lacks it). A profile
 * made seconds ago is refused by EC2 ("Invalid IAM Instance Profile name"), so the step waits that out,
 * visibly, before any instance is launched with it — also when a killed run made it.
 */
export const instanceRole: Step<RolloutContext> = {
  id: 'instance-role',
  title: 'EC2 instance role and profile (ecsInstanceRole)',
  plan: () => `iam:CreateRole ${INSTANCE_ROLE} (trust: ec2) + AmazonEC2ContainerServiceforEC2Role + iam:CreateInstanceProfile ${INSTANCE_ROLE}`,
  async probe(c) {
    const found = await current(c);
    if (!found.roleArn || !found.policy || !found.profile?.Arn || !found.profile.Roles?.some((r) => r.RoleName === INSTANCE_ROLE)) return undefined;
    const createdAt = found.profile.CreateDate?.getTime() ?? 0;
    // Too fresh to use: apply waits out the rest.
    if (c.now() - createdAt < propagationMs(c)) return undefined;
    return { roleArn: found.roleArn, profileArn: found.profile.Arn, profileName: INSTANCE_ROLE, profileCreatedAt: createdAt };
  },
  async apply(c) {
    const iam = await c.iam();
    const managedTag = [{ Key: 'slipway:managed', Value: 'true' }];
    await tolerate('already-exists', () =>
      iam.send(new CreateRoleCommand({ RoleName: INSTANCE_ROLE, AssumeRolePolicyDocument: ec2TrustPolicy(), Description: 'Amazon ECS container instances (slipway; shared by every EC2 environment)', Tags: managedTag }), { abortSignal: c.signal }),
    );
    let found = await current(c);
    if (!found.trustsEc2) c.report.log(`${INSTANCE_ROLE} does not trust ec2.amazonaws.com; instances cannot use it. Fix its trust policy.`, 'warn');
    if (!found.policy) await iam.send(new AttachRolePolicyCommand({ RoleName: INSTANCE_ROLE, PolicyArn: EC2_ROLE_POLICY_ARN }), { abortSignal: c.signal });
    if (!found.profile) {
      await tolerate('already-exists', () => iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: INSTANCE_ROLE, Tags: managedTag }), { abortSignal: c.signal }));
      found = await current(c);
    }
    const roles = found.profile?.Roles ?? [];
    if (roles.length > 0 && !roles.some((r) => r.RoleName === INSTANCE_ROLE)) {
      throw new SlipwayError(`The instance profile ${INSTANCE_ROLE} holds the role ${roles[0]?.RoleName}, not ${INSTANCE_ROLE}.`, {
        why: 'An instance profile holds one role; instances get that role’s permissions, which may not let the ECS agent register.',
        fix: `Remove it (aws iam remove-role-from-instance-profile --instance-profile-name ${INSTANCE_ROLE} --role-name ${roles[0]?.RoleName}) and roll out again.`,
      });
    }
    if (roles.length === 0) {
      await tolerate('limit-exceeded', () => iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: INSTANCE_ROLE, RoleName: INSTANCE_ROLE }), { abortSignal: c.signal }));
    }
    found = await current(c);
    const createdAt = found.profile?.CreateDate?.getTime() ?? c.now();
    await waitForPropagation(c, createdAt);
    return { roleArn: found.roleArn ?? '', profileArn: found.profile?.Arn ?? '', profileName: INSTANCE_ROLE, profileCreatedAt: createdAt };
  },
};

async function current(c: RolloutContext): Promise<{ roleArn?: string; trustsEc2: boolean; policy: boolean; profile?: InstanceProfile }> {
  const iam = await c.iam();
  const role = (await tolerate('not-found', () => iam.send(new GetRoleCommand({ RoleName: INSTANCE_ROLE }), { abortSignal: c.signal })))?.Role;
  const attached = role ? ((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: INSTANCE_ROLE }), { abortSignal: c.signal })).AttachedPolicies ?? []) : [];
  const profile = (await tolerate('not-found', () => iam.send(new GetInstanceProfileCommand({ InstanceProfileName: INSTANCE_ROLE }), { abortSignal: c.signal })))?.InstanceProfile;
  return {
    roleArn: role?.Arn,
    trustsEc2: decodeURIComponent(role?.AssumeRolePolicyDocument ?? '').includes('ec2.amazonaws.com'),
    policy: attached.some((p) => p.PolicyArn === EC2_ROLE_POLICY_ARN),
    profile,
  };
}

/** Waits, showing the countdown, until the profile is old enough for EC2 to accept it. */
async function waitForPropagation(c: RolloutContext, createdAt: number): Promise<void> {
  const window = propagationMs(c);
  let left = createdAt + window - c.now();
  if (left <= 0) return;
  c.report.log(`Waiting ${Math.ceil(left / 1000)} s for IAM to hand the new instance profile to EC2 (a fresh one is refused: "Invalid IAM Instance Profile name")…`);
  while (left > 0) {
    c.report.progress('instance profile propagating', window - left, window, 'items');
    await abortableSleep(Math.min(left, 1000), c.signal);
    left = createdAt + window - c.now();
  }
  c.report.progress('instance profile propagating', window, window, 'items');
}
