import { DescribeLogGroupsCommand, ListTagsForResourceCommand as ListLogTagsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeLaunchTemplatesCommand, DescribeSecurityGroupsCommand } from '@aws-sdk/client-ec2';
import {
  DescribeCapacityProvidersCommand,
  DescribeClustersCommand,
  DescribeExpressGatewayServiceCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ListServicesCommand,
  ListTaskDefinitionsCommand,
  type Cluster,
  type Service,
} from '@aws-sdk/client-ecs';
import { DescribeListenersCommand, DescribeLoadBalancersCommand, DescribeTagsCommand, DescribeTargetGroupsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetRoleCommand, ListRoleTagsCommand } from '@aws-sdk/client-iam';
import { execTaskRoleName } from '../exec/names.js';
import { tolerate } from '../../src/aws/errors.js';
import type { RolloutContext } from '../rollout/context.js';
import { autoScalingOf } from '../rollout/targets/clients.js';
import { targetNames } from '../rollout/targets/names.js';

/**
 * Everything slipway made for one environment, found by its tags — slipway:app, slipway:env and
 * slipway:managed=true, all three. A resource without them is never returned, whatever its name:
 * teardown deletes only what these find.
 */

type Tagged = { Key?: string; Value?: string }[] | { key?: string; value?: string }[] | Record<string, string> | undefined;

/** Whether a resource carries all of this environment's slipway tags (in any of the APIs' tag shapes). */
export function carriesOurTags(c: RolloutContext, tags: Tagged): boolean {
  const pairs: [string | undefined, string | undefined][] = !tags
    ? []
    : Array.isArray(tags)
      ? tags.map((t) => ('Key' in t || 'Value' in t ? [(t as { Key?: string }).Key, (t as { Value?: string }).Value] : [(t as { key?: string }).key, (t as { value?: string }).value]))
      : Object.entries(tags);
  return c.tags.every((wanted) => pairs.some(([key, value]) => key === wanted.Key && value === wanted.Value));
}

export interface Named {
  id: string;
  name: string;
}

/** The environment's ECS cluster, when it is ACTIVE and slipway's. */
export async function findCluster(c: RolloutContext): Promise<Cluster | undefined> {
  const out = await (await c.ecs()).send(new DescribeClustersCommand({ clusters: [c.names.cluster], include: ['TAGS'] }), { abortSignal: c.signal });
  return out.clusters?.find((k) => k.status === 'ACTIVE' && carriesOurTags(c, k.tags));
}

/** The environment's services (ACTIVE or still DRAINING) in its cluster that carry its tags. */
export async function findServices(c: RolloutContext): Promise<Service[]> {
  const ecs = await c.ecs();
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await tolerate('not-found', () => ecs.send(new ListServicesCommand({ cluster: c.names.cluster, nextToken }), { abortSignal: c.signal }));
    arns.push(...(page?.serviceArns ?? []));
    nextToken = page?.nextToken;
  } while (nextToken);
  const services: Service[] = [];
  for (let i = 0; i < arns.length; i += 10) {
    const out = await ecs.send(new DescribeServicesCommand({ cluster: c.names.cluster, services: arns.slice(i, i + 10), include: ['TAGS'] }), { abortSignal: c.signal });
    services.push(...(out.services ?? []).filter((s) => s.status !== 'INACTIVE' && carriesOurTags(c, s.tags)));
  }
  return services;
}

/** ELBv2 resources by their tags: DescribeTags takes 20 ARNs at a time. */
async function taggedArns(c: RolloutContext, arns: string[]): Promise<Set<string>> {
  const elb = await c.elbv2();
  const ours = new Set<string>();
  for (let i = 0; i < arns.length; i += 20) {
    const out = await elb.send(new DescribeTagsCommand({ ResourceArns: arns.slice(i, i + 20) }), { abortSignal: c.signal });
    for (const d of out.TagDescriptions ?? []) if (d.ResourceArn && carriesOurTags(c, d.Tags)) ours.add(d.ResourceArn);
  }
  return ours;
}

export async function findLoadBalancers(c: RolloutContext): Promise<(Named & { dnsName: string })[]> {
  const elb = await c.elbv2();
  const all: { arn: string; name: string; dnsName: string }[] = [];
  let Marker: string | undefined;
  do {
    const page = await elb.send(new DescribeLoadBalancersCommand({ Marker }), { abortSignal: c.signal });
    all.push(...(page.LoadBalancers ?? []).map((lb) => ({ arn: lb.LoadBalancerArn ?? '', name: lb.LoadBalancerName ?? '', dnsName: lb.DNSName ?? '' })));
    Marker = page.NextMarker;
  } while (Marker);
  const ours = await taggedArns(c, all.map((lb) => lb.arn));
  return all.filter((lb) => ours.has(lb.arn)).map((lb) => ({ id: lb.arn, name: lb.name, dnsName: lb.dnsName }));
}

/** The tagged listeners of the environment's tagged load balancers. */
export async function findListeners(c: RolloutContext, loadBalancers?: Named[]): Promise<Named[]> {
  const elb = await c.elbv2();
  const all: Named[] = [];
  for (const lb of loadBalancers ?? (await findLoadBalancers(c))) {
    const out = await tolerate('not-found', () => elb.send(new DescribeListenersCommand({ LoadBalancerArn: lb.id }), { abortSignal: c.signal }));
    all.push(...(out?.Listeners ?? []).map((l) => ({ id: l.ListenerArn ?? '', name: `${lb.name} ${l.Protocol ?? ''}:${l.Port ?? ''}` })));
  }
  const ours = await taggedArns(c, all.map((l) => l.id));
  return all.filter((l) => ours.has(l.id));
}

export async function findTargetGroups(c: RolloutContext): Promise<Named[]> {
  const elb = await c.elbv2();
  const all: Named[] = [];
  let Marker: string | undefined;
  do {
    const page = await elb.send(new DescribeTargetGroupsCommand({ Marker }), { abortSignal: c.signal });
    all.push(...(page.TargetGroups ?? []).map((g) => ({ id: g.TargetGroupArn ?? '', name: g.TargetGroupName ?? '' })));
    Marker = page.NextMarker;
  } while (Marker);
  const ours = await taggedArns(c, all.map((g) => g.id));
  return all.filter((g) => ours.has(g.id));
}

export async function findSecurityGroups(c: RolloutContext): Promise<Named[]> {
  const out = await (await c.ec2()).send(new DescribeSecurityGroupsCommand({ Filters: c.tags.map((t) => ({ Name: `tag:${t.Key}`, Values: [t.Value] })) }), { abortSignal: c.signal });
  // The filter did the work; checked again so nothing untagged can ever slip through.
  return (out.SecurityGroups ?? []).filter((g) => carriesOurTags(c, g.Tags)).map((g) => ({ id: g.GroupId ?? '', name: g.GroupName ?? '' }));
}

export async function findLogGroup(c: RolloutContext): Promise<Named | undefined> {
  const logs = await c.logs();
  const out = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: c.names.logGroup }), { abortSignal: c.signal });
  const group = out.logGroups?.find((g) => g.logGroupName === c.names.logGroup);
  if (!group?.arn) return undefined;
  const arn = group.arn.replace(/:\*$/, '');
  const tags = await tolerate('not-found', () => logs.send(new ListLogTagsCommand({ resourceArn: arn }), { abortSignal: c.signal }));
  return tags && carriesOurTags(c, tags.tags) ? { id: arn, name: c.names.logGroup } : undefined;
}

/** ACTIVE revisions of the environment's family that carry its tags. */
export async function findTaskDefinitions(c: RolloutContext): Promise<Named[]> {
  const ecs = await c.ecs();
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: c.names.family, status: 'ACTIVE', nextToken }), { abortSignal: c.signal });
    arns.push(...(page.taskDefinitionArns ?? []).filter((arn) => arn.split('/').pop()?.replace(/:\d+$/, '') === c.names.family));
    nextToken = page.nextToken;
  } while (nextToken);
  const ours: Named[] = [];
  for (const arn of arns) {
    const out = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn, include: ['TAGS'] }), { abortSignal: c.signal });
    if (carriesOurTags(c, out.tags)) ours.push({ id: arn, name: arn.split('/').pop() ?? arn });
  }
  return ours;
}

/** The execution role, found by the name slipway gives it and kept only when it carries the tags. */
export const findRole = (c: RolloutContext) => findRoleNamed(c, c.names.executionRole);

/** An IAM role by its name, kept only when it carries the environment's tags. */
export async function findRoleNamed(c: RolloutContext, roleName: string): Promise<Named | undefined> {
  const iam = await c.iam();
  const role = (await tolerate('not-found', () => iam.send(new GetRoleCommand({ RoleName: roleName }), { abortSignal: c.signal })))?.Role;
  if (!role?.Arn) return undefined;
  const tags: { Key?: string; Value?: string }[] = [];
  let Marker: string | undefined;
  do {
    const page = await tolerate('not-found', () => iam.send(new ListRoleTagsCommand({ RoleName: roleName, Marker }), { abortSignal: c.signal }));
    tags.push(...(page?.Tags ?? []));
    Marker = page?.IsTruncated ? page.Marker : undefined;
  } while (Marker);
  return carriesOurTags(c, tags) ? { id: role.Arn, name: role.RoleName ?? roleName } : undefined;
}

/** The Express Mode infrastructure role, `<app>-<env>-ecs-infrastructure`, when it carries the tags. */
/** The task role `slipway exec` made for ECS Exec (a task role of the person's own carries no tags of ours). */
export const findExecTaskRole = (c: RolloutContext) => findRoleNamed(c, execTaskRoleName(c.names));

export const findInfrastructureRole = (c: RolloutContext) => findRoleNamed(c, targetNames(c.settings.app, c.settings.env).infrastructureRole);

export interface ExpressFound extends Named {
  /** ACTIVE, or DRAINING once its deletion started (ECS removes its load balancer meanwhile); undefined while provisioning. */
  status?: string;
}

/** The environment's Express Mode service (its ARN follows from the cluster and name), unless INACTIVE or not slipway's. */
export async function findExpressService(c: RolloutContext): Promise<ExpressFound | undefined> {
  const serviceArn = `arn:aws:ecs:${c.settings.region}:${c.account()}:service/${c.names.cluster}/${c.names.service}`;
  const ecs = await c.ecs();
  const out = await tolerate('not-found', () => ecs.send(new DescribeExpressGatewayServiceCommand({ serviceArn, include: ['TAGS'] }), { abortSignal: c.signal }));
  const service = out?.service;
  if (!service || service.status?.statusCode === 'INACTIVE' || !carriesOurTags(c, service.tags)) return undefined;
  return { id: service.serviceArn ?? serviceArn, name: service.serviceName ?? c.names.service, status: service.status?.statusCode };
}

/** The environment's capacity provider (ACTIVE, tagged). */
export async function findCapacityProvider(c: RolloutContext): Promise<Named | undefined> {
  const name = targetNames(c.settings.app, c.settings.env).capacityProvider;
  const out = await tolerate('not-found', async () => (await c.ecs()).send(new DescribeCapacityProvidersCommand({ capacityProviders: [name], include: ['TAGS'] }), { abortSignal: c.signal }));
  const provider = out?.capacityProviders?.find((p) => p.name === name && p.status === 'ACTIVE' && carriesOurTags(c, p.tags));
  return provider ? { id: provider.capacityProviderArn ?? name, name } : undefined;
}

export interface GroupFound extends Named {
  deleting: boolean;
  instanceIds: string[];
}

/** The environment's Auto Scaling group, found by the three tags (also while its deletion is in progress). */
export async function findAutoScalingGroups(c: RolloutContext): Promise<GroupFound[]> {
  const autoscaling = await autoScalingOf(c);
  const groups: GroupFound[] = [];
  let NextToken: string | undefined;
  do {
    const page = await autoscaling.send(new DescribeAutoScalingGroupsCommand({ Filters: c.tags.map((t) => ({ Name: `tag:${t.Key}`, Values: [t.Value] })), NextToken }), { abortSignal: c.signal });
    for (const g of page.AutoScalingGroups ?? []) {
      if (!carriesOurTags(c, g.Tags)) continue;
      groups.push({ id: g.AutoScalingGroupARN ?? '', name: g.AutoScalingGroupName ?? '', deleting: g.Status === 'Delete in progress', instanceIds: (g.Instances ?? []).map((i) => i.InstanceId ?? '') });
    }
    NextToken = page.NextToken;
  } while (NextToken);
  return groups;
}

/** The environment's launch templates, found by the three tags. */
export async function findLaunchTemplates(c: RolloutContext): Promise<Named[]> {
  const out = await (await c.ec2()).send(new DescribeLaunchTemplatesCommand({ Filters: c.tags.map((t) => ({ Name: `tag:${t.Key}`, Values: [t.Value] })) }), { abortSignal: c.signal });
  return (out.LaunchTemplates ?? []).filter((t) => carriesOurTags(c, t.Tags)).map((t) => ({ id: t.LaunchTemplateId ?? '', name: t.LaunchTemplateName ?? '' }));
}

/** The EC2 instances' security group (`<app>-<env>-instances`), when it carries the tags. */
export async function findInstanceSecurityGroup(c: RolloutContext): Promise<Named | undefined> {
  const name = targetNames(c.settings.app, c.settings.env).instanceSecurityGroup;
  return (await findSecurityGroups(c)).find((g) => g.name === name);
}
