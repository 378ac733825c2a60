import type {
  AuthorizeSecurityGroupEgressRequest,
  AuthorizeSecurityGroupEgressResult,
  AuthorizeSecurityGroupIngressRequest,
  AuthorizeSecurityGroupIngressResult,
  DescribeSecurityGroupRulesRequest,
  DescribeSecurityGroupRulesResult,
  IpPermission,
  RevokeSecurityGroupEgressRequest,
  RevokeSecurityGroupEgressResult,
  RevokeSecurityGroupIngressRequest,
  RevokeSecurityGroupIngressResult,
} from '@aws-sdk/client-ec2';
import { fault, SandboxUnsupportedError } from '../errors.js';
import type { CallContext, Operation, Out } from '../operation.js';
import type { Ec2Permission, Ec2SecurityGroup } from '../state.js';
import { anyMatch, ec2op, invalidFilter } from './common.js';
import { groupByIdOrName, permissionsOut, requireGroup, ruleId, ruleOut, sameRule, securityGroupsForUpdate, securityGroupsIn, type Direction } from './security-groups.js';

const PROTOCOLS: Record<string, string> = { tcp: 'tcp', '6': 'tcp', udp: 'udp', '17': 'udp', icmp: 'icmp', '1': 'icmp', '-1': '-1', all: '-1' };
const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

const invalid = (message: string) => fault('InvalidParameterValue', message, 400);

/** IpPermissions as sent → one stored rule per source, as EC2 keeps them. */
function rulesFrom(ctx: CallContext, groups: Record<string, Ec2SecurityGroup>, target: Ec2SecurityGroup, permissions: IpPermission[]): Ec2Permission[] {
  const rules: Ec2Permission[] = [];
  for (const p of permissions) {
    const protocol = PROTOCOLS[(p.IpProtocol ?? '').toLowerCase()];
    if (!protocol) throw invalid(`Invalid value '${p.IpProtocol}' for IP protocol. Unknown protocol.`);
    if (p.Ipv6Ranges?.length || p.PrefixListIds?.length) throw new SandboxUnsupportedError('the sandbox does not simulate IPv6 ranges or prefix lists in security group rules yet');
    const ports = protocol === '-1' ? {} : { fromPort: p.FromPort, toPort: p.ToPort };
    if (protocol !== '-1' && (p.FromPort === undefined || p.ToPort === undefined)) throw invalid(`Invalid value 'Must specify both from and to ports with TCP/UDP.' for portRange.`);
    if (protocol !== '-1' && protocol !== 'icmp' && (p.FromPort! < 0 || p.ToPort! > 65535 || p.FromPort! > p.ToPort!)) {
      throw invalid(`Invalid value '${p.FromPort}-${p.ToPort}' for portRange. Must be in the range 0-65535 and from port must not exceed to port.`);
    }
    for (const range of p.IpRanges ?? []) {
      const cidr = range.CidrIp ?? '';
      const m = CIDR.exec(cidr);
      if (!m || m.slice(1, 5).some((octet) => Number(octet) > 255) || Number(m[5]) > 32) throw invalid(`CIDR block ${cidr} is malformed`);
      rules.push({ protocol, ...ports, cidr, ...(range.Description !== undefined ? { description: range.Description } : {}) });
    }
    for (const pair of p.UserIdGroupPairs ?? []) {
      const source = pair.GroupId ? requireGroup(groups, pair.GroupId) : Object.values(groups).find((g) => g.name === pair.GroupName && g.vpcId === target.vpcId);
      if (!source) throw fault('InvalidGroup.NotFound', `The security group '${pair.GroupName ?? pair.GroupId}' does not exist`, 400);
      if (source.vpcId !== target.vpcId) throw invalid(`You have specified two resources that belong to different networks.`);
      rules.push({ protocol, ...ports, groupId: source.id, ...(pair.Description !== undefined ? { description: pair.Description } : {}) });
    }
    if (!p.IpRanges?.length && !p.UserIdGroupPairs?.length) throw fault('MissingParameter', 'Missing source specification', 400);
  }
  return rules;
}

/** The request's permissions, including the older top-level form (CidrIp, IpProtocol, FromPort, ToPort). */
function permissionsOf(input: AuthorizeSecurityGroupIngressRequest | AuthorizeSecurityGroupEgressRequest): IpPermission[] {
  const legacy = input as { CidrIp?: string; IpProtocol?: string; FromPort?: number; ToPort?: number };
  if (legacy.CidrIp && legacy.IpProtocol) return [{ IpProtocol: legacy.IpProtocol, FromPort: legacy.FromPort, ToPort: legacy.ToPort, IpRanges: [{ CidrIp: legacy.CidrIp }] }];
  return input.IpPermissions ?? [];
}

/** How EC2 names a rule in its duplicate message. */
function describeRule(rule: Ec2Permission): string {
  const peer = rule.cidr ?? rule.groupId;
  if (rule.protocol === '-1') return `peer: ${peer}, ALL, ALLOW`;
  return `peer: ${peer}, ${rule.protocol.toUpperCase()}, from port: ${rule.fromPort}, to port: ${rule.toPort}, ALLOW`;
}

function authorize(ctx: CallContext, direction: Direction, group: Ec2SecurityGroup, groups: Record<string, Ec2SecurityGroup>, permissions: IpPermission[]) {
  const added = rulesFrom(ctx, groups, group, permissions);
  const existing = group[direction];
  for (const [i, rule] of added.entries()) {
    if (existing.some((r) => sameRule(r, rule)) || added.slice(0, i).some((r) => sameRule(r, rule))) {
      throw fault('InvalidPermission.Duplicate', `the specified rule "${describeRule(rule)}" already exists`, 400);
    }
  }
  existing.push(...added);
  return { Return: true, SecurityGroupRules: added.map((r) => ruleOut(ctx, group, direction, r)) };
}

function revoke(ctx: CallContext, direction: Direction, group: Ec2SecurityGroup, groups: Record<string, Ec2SecurityGroup>, permissions: IpPermission[], ruleIds: string[] | undefined) {
  const rules = group[direction];
  let wanted: Ec2Permission[];
  let unknown: Ec2Permission[] = [];
  if (ruleIds?.length) {
    wanted = ruleIds.map((id) => {
      const rule = rules.find((r) => ruleId(group, direction, r) === id);
      if (!rule) throw fault('InvalidSecurityGroupRuleId.NotFound', `The security group rule ID '${id}' does not exist`, 400);
      return rule;
    });
  } else {
    const asked = rulesFrom(ctx, groups, group, permissions);
    wanted = asked.filter((w) => rules.some((r) => sameRule(r, w)));
    unknown = asked.filter((w) => !rules.some((r) => sameRule(r, w)));
    // Nothing known at all is an error; a partly known request removes what it can and lists the rest.
    if (!wanted.length) throw fault('InvalidPermission.NotFound', 'The specified rule does not exist in this security group.', 400);
  }
  const revoked = wanted.map((w) => ruleOut(ctx, group, direction, w));
  group[direction] = rules.filter((r) => !wanted.some((w) => sameRule(r, w)));
  return { Return: true, ...(unknown.length ? { UnknownIpPermissions: permissionsOut(ctx, unknown) } : {}), RevokedSecurityGroupRules: revoked };
}

export const securityGroupRuleOperations: Record<string, Operation> = {
  AuthorizeSecurityGroupIngress: ec2op<AuthorizeSecurityGroupIngressRequest, Out<AuthorizeSecurityGroupIngressResult>>((input, ctx) => {
    const groups = securityGroupsForUpdate(ctx);
    return authorize(ctx, 'ingress', groupByIdOrName(ctx, groups, input.GroupId, input.GroupName), groups, permissionsOf(input));
  }),

  AuthorizeSecurityGroupEgress: ec2op<AuthorizeSecurityGroupEgressRequest, Out<AuthorizeSecurityGroupEgressResult>>((input, ctx) => {
    const groups = securityGroupsForUpdate(ctx);
    return authorize(ctx, 'egress', requireGroup(groups, input.GroupId), groups, permissionsOf(input));
  }),

  RevokeSecurityGroupIngress: ec2op<RevokeSecurityGroupIngressRequest, Out<RevokeSecurityGroupIngressResult>>((input, ctx) => {
    const groups = securityGroupsForUpdate(ctx);
    return revoke(ctx, 'ingress', groupByIdOrName(ctx, groups, input.GroupId, input.GroupName), groups, permissionsOf(input), input.SecurityGroupRuleIds);
  }),

  RevokeSecurityGroupEgress: ec2op<RevokeSecurityGroupEgressRequest, Out<RevokeSecurityGroupEgressResult>>((input, ctx) => {
    const groups = securityGroupsForUpdate(ctx);
    return revoke(ctx, 'egress', requireGroup(groups, input.GroupId), groups, permissionsOf(input), input.SecurityGroupRuleIds);
  }),

  DescribeSecurityGroupRules: ec2op<DescribeSecurityGroupRulesRequest, Out<DescribeSecurityGroupRulesResult>>((input, ctx) => {
    const all = Object.values(securityGroupsIn(ctx)).flatMap((g) =>
      (['ingress', 'egress'] as const).flatMap((direction) => g[direction].map((r) => ruleOut(ctx, g, direction, r))),
    );
    for (const id of input.SecurityGroupRuleIds ?? []) {
      if (!all.some((r) => r.SecurityGroupRuleId === id)) throw fault('InvalidSecurityGroupRuleId.NotFound', `The security group rule ID '${id}' does not exist`, 400);
    }
    const selected = all.filter(
      (r) =>
        (!input.SecurityGroupRuleIds?.length || input.SecurityGroupRuleIds.includes(r.SecurityGroupRuleId ?? '')) &&
        (input.Filters ?? []).every((f) => {
          if (f.Name === 'group-id') return anyMatch(f, [r.GroupId]);
          if (f.Name === 'security-group-rule-id') return anyMatch(f, [r.SecurityGroupRuleId]);
          throw invalidFilter(f.Name);
        }),
    );
    return { SecurityGroupRules: selected };
  }),
};
