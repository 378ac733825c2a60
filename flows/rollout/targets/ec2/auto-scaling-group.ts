import { CreateAutoScalingGroupCommand, DescribeAutoScalingGroupsCommand, DescribeScalingActivitiesCommand, UpdateAutoScalingGroupCommand, type AutoScalingGroup } from '@aws-sdk/client-auto-scaling';
import type { Outputs, Step } from '../../../../src/engine/types.js';
import type { RolloutContext } from '../../context.js';
import { isAlreadyExists, isNotFound, unless } from '../aws-errors.js';
import { autoScalingOf } from '../clients.js';
import { targetNames } from '../names.js';
import { ec2Settings } from './settings.js';

/**
 * The Auto Scaling group that keeps the container instances: min and max from the environment file, in
 * the environment's subnets, launching the template's `$Latest`. Its desired capacity is ECS managed
 * scaling's to change once the capacity provider exists, so a rerun never lowers it — it only raises
 * it to the file's desiredCapacity.
 */
export const autoScalingGroup: Step<RolloutContext> = {
  id: 'auto-scaling-group',
  title: 'Auto Scaling group of EC2 instances',
  plan: (c) => {
    const s = ec2Settings(c);
    return `autoscaling:CreateAutoScalingGroup ${name(c)} (${s.instanceType}, min ${s.minSize}, desired ${s.desiredCapacity}, max ${s.maxSize})`;
  },
  async probe(c) {
    const group = await find(c);
    if (!group || !matches(c, group)) return undefined;
    return outputsOf(group);
  },
  async apply(c) {
    const autoscaling = await autoScalingOf(c);
    const s = ec2Settings(c);
    const subnets = c.output<string[]>('network', 'subnets').join(',');
    const template = { LaunchTemplateName: c.output('launch-template', 'name'), Version: '$Latest' };
    let group = await find(c);
    if (!group) {
      const created = await unless(isAlreadyExists, () =>
        autoscaling.send(
          new CreateAutoScalingGroupCommand({
            AutoScalingGroupName: name(c),
            LaunchTemplate: template,
            MinSize: s.minSize,
            MaxSize: s.maxSize,
            DesiredCapacity: s.desiredCapacity,
            VPCZoneIdentifier: subnets,
            // Instances carry the environment's tags (and a Name), so they are found with everything else.
            Tags: [...c.tags, { Key: 'Name', Value: `${c.names.cluster} (ECS)` }].map((t) => ({ ...t, PropagateAtLaunch: true })),
          }),
          { abortSignal: c.signal },
        ),
      );
      if (created) c.report.log(`Created Auto Scaling group ${name(c)}: ${s.desiredCapacity} × ${s.instanceType} (min ${s.minSize}, max ${s.maxSize}).`);
      group = await find(c);
    }
    if (group && !matches(c, group)) {
      const desired = Math.min(s.maxSize, Math.max(s.minSize, s.desiredCapacity, group.DesiredCapacity ?? 0));
      await autoscaling.send(
        new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: name(c), LaunchTemplate: template, MinSize: s.minSize, MaxSize: s.maxSize, DesiredCapacity: desired, VPCZoneIdentifier: subnets }),
        { abortSignal: c.signal },
      );
      c.report.log(`Updated Auto Scaling group ${name(c)}: min ${s.minSize}, desired ${desired}, max ${s.maxSize}.`);
      group = await find(c);
    }
    await reportLaunches(c);
    return outputsOf(group);
  },
};

const name = (c: RolloutContext) => targetNames(c.settings.app, c.settings.env).autoScalingGroup;

export async function findGroup(c: RolloutContext, groupName: string): Promise<AutoScalingGroup | undefined> {
  const autoscaling = await autoScalingOf(c);
  const out = await unless(isNotFound, () => autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [groupName] }), { abortSignal: c.signal }));
  return out?.AutoScalingGroups?.find((g) => g.AutoScalingGroupName === groupName && g.Status !== 'Delete in progress');
}

const find = (c: RolloutContext) => findGroup(c, name(c));

function matches(c: RolloutContext, group: AutoScalingGroup): boolean {
  const s = ec2Settings(c);
  const subnets = [...c.output<string[]>('network', 'subnets')].sort().join(',');
  return (
    group.MinSize === s.minSize &&
    group.MaxSize === s.maxSize &&
    (group.DesiredCapacity ?? 0) >= Math.min(s.desiredCapacity, s.maxSize) &&
    group.LaunchTemplate?.LaunchTemplateName === c.output('launch-template', 'name') &&
    group.LaunchTemplate?.Version === '$Latest' &&
    (group.VPCZoneIdentifier ?? '').split(',').sort().join(',') === subnets
  );
}

function outputsOf(group: AutoScalingGroup | undefined): Outputs {
  return { name: group?.AutoScalingGroupName ?? '', arn: group?.AutoScalingGroupARN ?? '', minSize: group?.MinSize ?? 0, maxSize: group?.MaxSize ?? 0 };
}

/** A launch EC2 refused (a key pair that is not there, a profile IAM has not propagated yet) is said now, not found later. */
async function reportLaunches(c: RolloutContext): Promise<void> {
  const autoscaling = await autoScalingOf(c);
  const latest = (await autoscaling.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: name(c), MaxRecords: 1 }), { abortSignal: c.signal })).Activities?.[0];
  if (latest?.StatusCode === 'Failed') c.report.log(`Auto Scaling could not launch an instance: ${latest.StatusMessage ?? latest.Description}. It keeps trying.`, 'warn');
}
