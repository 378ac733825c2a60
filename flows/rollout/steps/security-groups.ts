import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, DescribeSecurityGroupsCommand, type IpPermission, type SecurityGroup } from '@aws-sdk/client-ec2';
import { tolerate } from '../../../src/aws/errors.js';
import type { Step } from '../../../src/engine/types.js';
import type { RolloutContext } from '../context.js';

/**
 * Two security groups, as the book's chapter 14 stack has: the load balancer's (80 and 443 from
 * anywhere) and the tasks' (the container port from the load balancer's group only, so tasks are never
 * reachable around it). Egress stays EC2's default allow-all: tasks reach ECR, S3 and CloudWatch Logs.
 */
export const loadBalancerSecurityGroup: Step<RolloutContext> = securityGroupStep({
  id: 'lb-security-group',
  title: 'Security group for the load balancer',
  name: (c) => c.names.lbSecurityGroup,
  description: (c) => `slipway: load balancer of ${c.settings.app} ${c.settings.env} (HTTP/HTTPS from anywhere)`,
  rules: () => [80, 443].map((port) => ({ IpProtocol: 'tcp', FromPort: port, ToPort: port, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'the internet' }] })),
});

export const taskSecurityGroup: Step<RolloutContext> = securityGroupStep({
  id: 'task-security-group',
  title: 'Security group for the tasks',
  name: (c) => c.names.taskSecurityGroup,
  description: (c) => `slipway: tasks of ${c.settings.app} ${c.settings.env} (app port from the load balancer only)`,
  rules: (c) => {
    const port = c.environment().containerPort;
    return [{ IpProtocol: 'tcp', FromPort: port, ToPort: port, UserIdGroupPairs: [{ GroupId: c.output('lb-security-group', 'groupId'), Description: 'the load balancer' }] }];
  },
});

interface GroupSpec {
  id: string;
  title: string;
  name(c: RolloutContext): string;
  description(c: RolloutContext): string;
  rules(c: RolloutContext): IpPermission[];
}

function securityGroupStep(spec: GroupSpec): Step<RolloutContext> {
  return {
    id: spec.id,
    title: spec.title,
    plan: (c) => `ec2:CreateSecurityGroup ${spec.name(c)} + ingress ${spec.rules(c).map((r) => r.FromPort).join(', ')}`,
    async probe(c) {
      const group = await find(c, spec.name(c));
      if (!group?.GroupId || missingRules(group, spec.rules(c)).length > 0) return undefined;
      return { groupId: group.GroupId };
    },
    async apply(c) {
      const ec2 = await c.ec2();
      let group = await find(c, spec.name(c));
      if (!group) {
        const created = await tolerate('already-exists', () =>
          ec2.send(
            new CreateSecurityGroupCommand({
              GroupName: spec.name(c),
              Description: spec.description(c),
              VpcId: c.output('network', 'vpcId'),
              TagSpecifications: [{ ResourceType: 'security-group', Tags: [...c.tags, { Key: 'Name', Value: spec.name(c) }] }],
            }),
            { abortSignal: c.signal },
          ),
        );
        group = created?.GroupId ? { GroupId: created.GroupId, IpPermissions: [] } : await find(c, spec.name(c));
      }
      const groupId = group?.GroupId ?? '';
      const missing = missingRules(group ?? {}, spec.rules(c));
      // Added one by one so a rule someone already made does not fail the others (InvalidPermission.Duplicate).
      for (const rule of missing) {
        await tolerate('already-exists', () => ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [rule] }), { abortSignal: c.signal }));
      }
      return { groupId };
    },
  };
}

async function find(c: RolloutContext, name: string): Promise<SecurityGroup | undefined> {
  const out = await (await c.ec2()).send(
    new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: [name] }, { Name: 'vpc-id', Values: [c.output('network', 'vpcId')] }] }),
    { abortSignal: c.signal },
  );
  return out.SecurityGroups?.[0];
}

function missingRules(group: SecurityGroup, wanted: IpPermission[]): IpPermission[] {
  const has = (rule: IpPermission) =>
    (group.IpPermissions ?? []).some(
      (p) =>
        p.IpProtocol === rule.IpProtocol &&
        p.FromPort === rule.FromPort &&
        p.ToPort === rule.ToPort &&
        (rule.IpRanges ?? []).every((r) => p.IpRanges?.some((x) => x.CidrIp === r.CidrIp)) &&
        (rule.UserIdGroupPairs ?? []).every((r) => p.UserIdGroupPairs?.some((x) => x.GroupId === r.GroupId)),
    );
  return wanted.filter((rule) => !has(rule));
}
