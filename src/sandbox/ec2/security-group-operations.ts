import type {
  CreateSecurityGroupRequest,
  CreateSecurityGroupResult,
  DeleteSecurityGroupRequest,
  DeleteSecurityGroupResult,
  DescribeSecurityGroupsRequest,
  DescribeSecurityGroupsResult,
  Filter,
} from '@aws-sdk/client-ec2';
import { fault } from '../errors.js';
import type { CallContext, Operation, Out } from '../operation.js';
import type { Ec2SecurityGroup } from '../state.js';
import { anyMatch, ec2op, invalidFilter, tagFilter, tagsFor } from './common.js';
import { vpcExists, vpcNotFound, vpcsIn } from './network.js';
import { groupArn, groupByIdOrName, groupNotFound, groupOut, securityGroupsForUpdate, securityGroupsIn } from './security-groups.js';

const missing = (member: string) => fault('MissingParameter', `The request must contain the parameter ${member}`, 400);
const GROUP_TEXT = /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]*$/;

function groupMatches(group: Ec2SecurityGroup, filter: Filter, ownerId: string): boolean {
  switch (filter.Name) {
    case 'group-name':
      return anyMatch(filter, [group.name]);
    case 'group-id':
      return anyMatch(filter, [group.id]);
    case 'vpc-id':
      return anyMatch(filter, [group.vpcId]);
    case 'description':
      return anyMatch(filter, [group.description]);
    case 'owner-id':
      return anyMatch(filter, [ownerId]);
    default: {
      const byTag = tagFilter(group.tags, filter);
      if (byTag === undefined) throw invalidFilter(filter.Name);
      return byTag;
    }
  }
}

/** Who still needs a group: another group's rule naming it, or a load balancer using it. */
function dependents(ctx: CallContext, groups: Record<string, Ec2SecurityGroup>, id: string): string[] {
  const referencing = Object.values(groups).filter((g) => g.id !== id && [...g.ingress, ...g.egress].some((r) => r.groupId === id));
  const balancers = Object.values(ctx.state.elbv2?.loadBalancers[ctx.region] ?? {}).filter((lb) => lb.securityGroups.includes(id));
  return [...referencing.map((g) => g.id), ...balancers.map((lb) => lb.arn)];
}

export const securityGroupOperations: Record<string, Operation> = {
  CreateSecurityGroup: ec2op<CreateSecurityGroupRequest, Out<CreateSecurityGroupResult>>((input, ctx) => {
    const name = input.GroupName;
    if (!name) throw missing('groupName');
    if (!input.Description) throw missing('groupDescription');
    if (name.length > 255 || !GROUP_TEXT.test(name)) throw fault('InvalidParameterValue', `Value (${name}) for parameter GroupName is invalid. Character sets beyond ASCII are not supported.`, 400);
    if (name.toLowerCase().startsWith('sg-')) throw fault('InvalidParameterValue', 'Group names may not be in the format sg-*.', 400);
    if (input.Description.length > 255 || !GROUP_TEXT.test(input.Description)) {
      throw fault('InvalidParameterValue', `Value (${input.Description}) for parameter GroupDescription is invalid. Character sets beyond ASCII are not supported.`, 400);
    }
    const vpcId = input.VpcId ?? vpcsIn(ctx).find((v) => v.IsDefault)?.VpcId;
    if (!vpcId) throw fault('VPCIdNotSpecified', 'No default VPC for this user', 400);
    if (!vpcExists(ctx, vpcId)) throw vpcNotFound(vpcId);
    const groups = securityGroupsForUpdate(ctx);
    if (Object.values(groups).some((g) => g.vpcId === vpcId && g.name === name)) {
      throw fault('InvalidGroup.Duplicate', `The security group '${name}' already exists for VPC '${vpcId}'`, 400);
    }
    const group: Ec2SecurityGroup = {
      id: ctx.ids.ec2Id('sg'),
      name,
      description: input.Description,
      vpcId,
      tags: tagsFor(input.TagSpecifications, 'security-group'),
      ingress: [],
      // A new VPC security group lets everything out until told otherwise.
      egress: [{ protocol: '-1', cidr: '0.0.0.0/0' }],
    };
    groups[group.id] = group;
    return { GroupId: group.id, Tags: group.tags.map((t) => ({ ...t })), SecurityGroupArn: groupArn(ctx, group.id) };
  }),

  DescribeSecurityGroups: ec2op<DescribeSecurityGroupsRequest, Out<DescribeSecurityGroupsResult>>((input, ctx) => {
    const groups = securityGroupsIn(ctx);
    for (const id of input.GroupIds ?? []) if (!groups[id]) throw groupNotFound(id);
    const named = (input.GroupNames ?? []).map((name) => groupByIdOrName(ctx, groups, undefined, name).id);
    const selected = Object.values(groups).filter(
      (g) =>
        (!input.GroupIds?.length || input.GroupIds.includes(g.id)) &&
        (!named.length || named.includes(g.id)) &&
        (input.Filters ?? []).every((f) => groupMatches(g, f, ctx.state.accountId)),
    );
    return { SecurityGroups: selected.map((g) => groupOut(ctx, g)) };
  }),

  DeleteSecurityGroup: ec2op<DeleteSecurityGroupRequest, Out<DeleteSecurityGroupResult>>((input, ctx) => {
    const groups = securityGroupsForUpdate(ctx);
    const group = groupByIdOrName(ctx, groups, input.GroupId, input.GroupName);
    if (group.name === 'default') throw fault('CannotDelete', `the specified group: "${group.id}" name: "default" cannot be deleted by a user`, 400);
    // AWS names only the group; the sandbox does the same, whoever depends on it.
    if (dependents(ctx, groups, group.id).length) throw fault('DependencyViolation', `resource ${group.id} has a dependent object`, 400);
    delete groups[group.id];
    return { Return: true, GroupId: group.id };
  }),
};
