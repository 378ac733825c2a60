import { CreateSecurityGroupCommand, DescribeSecurityGroupsCommand } from '@aws-sdk/client-ec2';
import { tolerate } from '../../../../src/aws/errors.js';
import type { Step } from '../../../../src/engine/types.js';
import type { RolloutContext } from '../../context.js';
import { targetNames } from '../names.js';

/**
 * The container instances' own security group: no ingress at all. With awsvpc networking each task has
 * its own network interface in the tasks' group (the load balancer reaches the tasks, never the hosts);
 * the instance only talks out, to ECS, ECR and CloudWatch (EC2's default egress). SSH, when wanted, is a
 * rule from your own address added by hand.
 */
export const instanceSecurityGroup: Step<RolloutContext> = {
  id: 'instance-security-group',
  title: 'Security group for the EC2 instances',
  plan: (c) => `ec2:CreateSecurityGroup ${names(c).instanceSecurityGroup} (no ingress)`,
  async probe(c) {
    const group = await find(c);
    return group?.GroupId ? { groupId: group.GroupId } : undefined;
  },
  async apply(c) {
    const name = names(c).instanceSecurityGroup;
    const created = await tolerate('already-exists', () =>
      c.ec2().then((ec2) =>
        ec2.send(
          new CreateSecurityGroupCommand({
            GroupName: name,
            Description: `slipway: ECS container instances of ${c.settings.app} ${c.settings.env} (no ingress; tasks have their own group)`,
            VpcId: c.output('network', 'vpcId'),
            TagSpecifications: [{ ResourceType: 'security-group', Tags: [...c.tags, { Key: 'Name', Value: name }] }],
          }),
          { abortSignal: c.signal },
        ),
      ),
    );
    return { groupId: created?.GroupId ?? (await find(c))?.GroupId ?? '' };
  },
};

const names = (c: RolloutContext) => targetNames(c.settings.app, c.settings.env);

async function find(c: RolloutContext) {
  const out = await (await c.ec2()).send(
    new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: [names(c).instanceSecurityGroup] }, { Name: 'vpc-id', Values: [c.output('network', 'vpcId')] }] }),
    { abortSignal: c.signal },
  );
  return out.SecurityGroups?.[0];
}
