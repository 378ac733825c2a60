import type { IpPermission, SecurityGroup, SecurityGroupRule } from '@aws-sdk/client-ec2';
import { fault } from '../errors.js';
import { stableEc2Id } from '../ids.js';
import type { CallContext } from '../operation.js';
import type { Ec2Permission, Ec2SecurityGroup } from '../state.js';
import { vpcsIn } from './network.js';

export type Direction = 'ingress' | 'egress';

export const groupNotFound = (id: string) => fault('InvalidGroup.NotFound', `The security group '${id}' does not exist`, 400);

/** What a VPC's "default" group allows when AWS makes it: traffic from its own members in, anything out. */
function defaultGroup(ctx: CallContext, vpcId: string): Ec2SecurityGroup {
  const id = stableEc2Id('sg', ctx.state.accountId, ctx.region, vpcId);
  return { id, name: 'default', description: 'default VPC security group', vpcId, tags: [], ingress: [{ protocol: '-1', groupId: id }], egress: [{ protocol: '-1', cidr: '0.0.0.0/0' }] };
}

/**
 * The region's groups for a read: the stored ones plus every VPC's default group, which exists from the
 * start but is only stored once something changes it (so reads never write).
 */
export function securityGroupsIn(ctx: CallContext): Record<string, Ec2SecurityGroup> {
  const stored = ctx.state.ec2.securityGroups?.[ctx.region] ?? {};
  const all: Record<string, Ec2SecurityGroup> = {};
  for (const vpc of vpcsIn(ctx)) {
    const group = defaultGroup(ctx, vpc.VpcId ?? '');
    all[group.id] = group;
  }
  return Object.assign(all, stored);
}

/** The region's groups for a mutating call, default groups stored so they can be changed. */
export function securityGroupsForUpdate(ctx: CallContext): Record<string, Ec2SecurityGroup> {
  const regions = (ctx.state.ec2.securityGroups ??= {});
  const stored = (regions[ctx.region] ??= {});
  for (const group of Object.values(securityGroupsIn(ctx))) stored[group.id] ??= group;
  return stored;
}

export function requireGroup(groups: Record<string, Ec2SecurityGroup>, id: string | undefined): Ec2SecurityGroup {
  const group = id ? groups[id] : undefined;
  if (!group) throw groupNotFound(id ?? '');
  return group;
}

/** A group named in the request by id, or by name in the default VPC (EC2-Classic's old way, still accepted). */
export function groupByIdOrName(ctx: CallContext, groups: Record<string, Ec2SecurityGroup>, id: string | undefined, name: string | undefined): Ec2SecurityGroup {
  if (id) return requireGroup(groups, id);
  if (!name) throw fault('MissingParameter', 'The request must contain the parameter groupName or groupId', 400);
  const vpcId = vpcsIn(ctx).find((v) => v.IsDefault)?.VpcId;
  if (!vpcId) throw fault('VPCIdNotSpecified', 'No default VPC for this user', 400);
  const group = Object.values(groups).find((g) => g.name === name && g.vpcId === vpcId);
  if (!group) throw fault('InvalidGroup.NotFound', `The security group '${name}' does not exist in default VPC '${vpcId}'`, 400);
  return group;
}

export function groupArn(ctx: CallContext, id: string): string {
  return `arn:aws:ec2:${ctx.region}:${ctx.state.accountId}:security-group/${id}`;
}

/** Rule ids derived from the rule itself: stable without storing them, and unique within a group. */
export function ruleId(group: Ec2SecurityGroup, direction: Direction, rule: Ec2Permission): string {
  return stableEc2Id('sgr', group.id, direction, rule.protocol, String(rule.fromPort ?? ''), String(rule.toPort ?? ''), rule.cidr ?? '', rule.groupId ?? '');
}

export const sameRule = (a: Ec2Permission, b: Ec2Permission) =>
  a.protocol === b.protocol && a.fromPort === b.fromPort && a.toPort === b.toPort && a.cidr === b.cidr && a.groupId === b.groupId;

/** EC2 returns one IpPermission per protocol and port range, with every source of it listed. */
export function permissionsOut(ctx: CallContext, rules: Ec2Permission[]): IpPermission[] {
  const out = new Map<string, IpPermission>();
  for (const rule of rules) {
    const key = `${rule.protocol}:${rule.fromPort}:${rule.toPort}`;
    let permission = out.get(key);
    if (!permission) {
      permission = { IpProtocol: rule.protocol, FromPort: rule.fromPort, ToPort: rule.toPort, IpRanges: [], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] };
      out.set(key, permission);
    }
    if (rule.cidr) permission.IpRanges!.push({ CidrIp: rule.cidr, Description: rule.description });
    if (rule.groupId) permission.UserIdGroupPairs!.push({ GroupId: rule.groupId, UserId: ctx.state.accountId, Description: rule.description });
  }
  return [...out.values()];
}

export function groupOut(ctx: CallContext, group: Ec2SecurityGroup): SecurityGroup {
  return {
    GroupId: group.id,
    GroupName: group.name,
    Description: group.description,
    VpcId: group.vpcId,
    OwnerId: ctx.state.accountId,
    IpPermissions: permissionsOut(ctx, group.ingress),
    IpPermissionsEgress: permissionsOut(ctx, group.egress),
    Tags: group.tags.map((t) => ({ ...t })),
    SecurityGroupArn: groupArn(ctx, group.id),
  };
}

/** DescribeSecurityGroupRules reports ports -1 for "all", unlike DescribeSecurityGroups which leaves them out. */
export function ruleOut(ctx: CallContext, group: Ec2SecurityGroup, direction: Direction, rule: Ec2Permission): SecurityGroupRule {
  const id = ruleId(group, direction, rule);
  return {
    SecurityGroupRuleId: id,
    GroupId: group.id,
    GroupOwnerId: ctx.state.accountId,
    IsEgress: direction === 'egress',
    IpProtocol: rule.protocol,
    FromPort: rule.fromPort ?? -1,
    ToPort: rule.toPort ?? -1,
    CidrIpv4: rule.cidr,
    ReferencedGroupInfo: rule.groupId ? { GroupId: rule.groupId, UserId: ctx.state.accountId } : undefined,
    Description: rule.description,
    Tags: [],
    SecurityGroupRuleArn: `arn:aws:ec2:${ctx.region}:${ctx.state.accountId}:security-group-rule/${id}`,
  };
}
