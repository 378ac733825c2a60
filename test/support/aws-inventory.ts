import { CloudWatchLogsClient, DescribeLogGroupsCommand, ListTagsForResourceCommand as ListLogTags } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeKeyPairsCommand, DescribeSecurityGroupsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeRepositoriesCommand, ECRClient, GetLifecyclePolicyCommand, ListTagsForResourceCommand as ListEcrTags } from '@aws-sdk/client-ecr';
import { DescribeClustersCommand, DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient, ListClustersCommand, ListServicesCommand } from '@aws-sdk/client-ecs';
import { DescribeListenersCommand, DescribeLoadBalancersCommand, DescribeTagsCommand, DescribeTargetGroupsCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  GetGroupCommand,
  GetGroupPolicyCommand,
  GetLoginProfileCommand,
  GetPolicyCommand,
  GetRoleCommand,
  GetUserCommand,
  GetPolicyVersionCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAccountAliasesCommand,
  ListAttachedGroupPoliciesCommand,
  ListAttachedRolePoliciesCommand,
  ListGroupsForUserCommand,
  ListMFADevicesCommand,
  ListRolePoliciesCommand,
  ListRoleTagsCommand,
  ListUserTagsCommand,
} from '@aws-sdk/client-iam';

/**
 * What an account holds of slipway's making, read through the AWS SDK the same way from any backend
 * (moto + aws-sim over HTTP, or the sandbox beneath the same client classes), normalised so two
 * accounts can be compared: account ids, ARNs' ids, resource ids and times replaced, security groups
 * named instead of numbered, lists sorted.
 */
export type ClientMaker = <T extends { send: (...a: never[]) => unknown }>(Client: new (config: Record<string, unknown>) => T) => T;

type Tagged = { Key?: string; Value?: string; key?: string; value?: string };
const tagMap = (tags: Tagged[] | undefined) => Object.fromEntries((tags ?? []).map((t) => [t.Key ?? t.key ?? '', t.Value ?? t.value ?? '']).sort());
const policyDoc = (text: string | undefined) => (text ? (JSON.parse(decodeURIComponent(text)) as unknown) : undefined);
const orNull = async <T>(work: () => Promise<T>) => {
  try {
    return await work();
  } catch {
    return null;
  }
};

/** The IAM names slipway's flows make (IAM has no tag search the sandbox simulates). */
export interface IamNames {
  users: string[];
  groups: Record<string, string[]>; // group → its inline policy names
  roles: string[];
  policies: string[]; // ARNs
}

export async function inventory(client: ClientMaker, app: string, names: IamNames): Promise<Record<string, unknown>> {
  // `any` below: every SDK client's send is typed per command; the reads are plain.
  /* eslint-disable @typescript-eslint/no-explicit-any */
  const iam = client(IAMClient as any) as IAMClient;
  const ec2 = client(EC2Client as any) as EC2Client;
  const ecr = client(ECRClient as any) as ECRClient;
  const ecs = client(ECSClient as any) as ECSClient;
  const elb = client(ElasticLoadBalancingV2Client as any) as ElasticLoadBalancingV2Client;
  const logs = client(CloudWatchLogsClient as any) as CloudWatchLogsClient;

  // By name, not List*: the sandbox does not simulate ListUsers/ListGroups/ListRoles/ListPolicies (slipway never lists them).
  const users: Record<string, unknown> = {};
  for (const name of names.users) {
    const u = (await orNull(() => iam.send(new GetUserCommand({ UserName: name }))))?.User;
    if (!u) continue;
    const login = await orNull(() => iam.send(new GetLoginProfileCommand({ UserName: name })));
    users[name] = {
      path: u.Path,
      groups: ((await iam.send(new ListGroupsForUserCommand({ UserName: name }))).Groups ?? []).map((g) => g.GroupName).sort(),
      tags: tagMap((await iam.send(new ListUserTagsCommand({ UserName: name }))).Tags),
      mfaDevices: ((await iam.send(new ListMFADevicesCommand({ UserName: name }))).MFADevices ?? []).length,
      accessKeys: ((await iam.send(new ListAccessKeysCommand({ UserName: name }))).AccessKeyMetadata ?? []).map((k) => k.Status),
      loginProfile: login ? { passwordResetRequired: login.LoginProfile?.PasswordResetRequired ?? false } : null,
    };
  }
  const groups: Record<string, unknown> = {};
  for (const [name, inlineNames] of Object.entries(names.groups)) {
    const g = (await orNull(() => iam.send(new GetGroupCommand({ GroupName: name }))))?.Group;
    if (!g) continue;
    const inline: Record<string, unknown> = {};
    for (const p of inlineNames) inline[p] = policyDoc((await orNull(() => iam.send(new GetGroupPolicyCommand({ GroupName: name, PolicyName: p }))))?.PolicyDocument);
    groups[name] = { path: g.Path, inline, attached: ((await iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: name }))).AttachedPolicies ?? []).map((p) => p.PolicyArn).sort() };
  }
  const roles: Record<string, unknown> = {};
  for (const name of names.roles) {
    const r = (await orNull(() => iam.send(new GetRoleCommand({ RoleName: name }))))?.Role;
    if (!r) continue;
    roles[name] = {
      path: r.Path,
      trust: policyDoc(r.AssumeRolePolicyDocument),
      maxSessionDuration: r.MaxSessionDuration,
      attached: ((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: name }))).AttachedPolicies ?? []).map((p) => p.PolicyArn).sort(),
      inline: ((await iam.send(new ListRolePoliciesCommand({ RoleName: name }))).PolicyNames ?? []).sort(),
      tags: tagMap((await iam.send(new ListRoleTagsCommand({ RoleName: name }))).Tags),
    };
  }
  const policies: Record<string, unknown> = {};
  for (const arn of names.policies) {
    const p = (await orNull(() => iam.send(new GetPolicyCommand({ PolicyArn: arn }))))?.Policy;
    if (!p) continue;
    const version = await iam.send(new GetPolicyVersionCommand({ PolicyArn: p.Arn, VersionId: p.DefaultVersionId }));
    policies[p.PolicyName ?? ''] = { path: p.Path, defaultVersion: p.DefaultVersionId, document: policyDoc(version.PolicyVersion?.Document) };
  }

  const allGroups = (await ec2.send(new DescribeSecurityGroupsCommand({}))).SecurityGroups ?? [];
  const sgName = (id: string | undefined) => allGroups.find((g) => g.GroupId === id)?.GroupName ?? id;
  const securityGroups: Record<string, unknown> = {};
  for (const g of allGroups.filter((g) => g.Tags?.some((t) => t.Key === 'slipway:app' && t.Value === app))) {
    securityGroups[g.GroupName ?? ''] = {
      description: g.Description,
      ingress: (g.IpPermissions ?? []).map((p) => ({ protocol: p.IpProtocol, from: p.FromPort, to: p.ToPort, cidrs: (p.IpRanges ?? []).map((r) => r.CidrIp).sort(), groups: (p.UserIdGroupPairs ?? []).map((u) => sgName(u.GroupId)).sort() })),
      tags: tagMap(g.Tags),
    };
  }
  const keyPairs = ((await ec2.send(new DescribeKeyPairsCommand({}))).KeyPairs ?? []).map((k) => ({ name: k.KeyName, type: k.KeyType ?? 'rsa' }));

  const repositories: Record<string, unknown> = {};
  for (const r of (await ecr.send(new DescribeRepositoriesCommand({}))).repositories ?? []) {
    if (!r.repositoryName?.endsWith(`/${app}`)) continue;
    const lifecycle = await orNull(() => ecr.send(new GetLifecyclePolicyCommand({ repositoryName: r.repositoryName })));
    repositories[r.repositoryName.replace(/\/.*$/, '/<app>')] = {
      scanOnPush: r.imageScanningConfiguration?.scanOnPush,
      mutability: r.imageTagMutability,
      tags: tagMap((await ecr.send(new ListEcrTags({ resourceArn: r.repositoryArn }))).tags),
      lifecycle: lifecycle?.lifecyclePolicyText ? JSON.parse(lifecycle.lifecyclePolicyText) : null,
    };
  }

  const clusters: Record<string, unknown> = {};
  const clusterArns = (await ecs.send(new ListClustersCommand({}))).clusterArns ?? [];
  for (const c of (await ecs.send(new DescribeClustersCommand({ clusters: clusterArns, include: ['TAGS', 'SETTINGS'] }))).clusters ?? []) {
    if (!c.clusterName?.startsWith(`${app}-`)) continue;
    const services: Record<string, unknown> = {};
    const arns = (await ecs.send(new ListServicesCommand({ cluster: c.clusterName }))).serviceArns ?? [];
    for (const s of arns.length ? ((await ecs.send(new DescribeServicesCommand({ cluster: c.clusterName, services: arns, include: ['TAGS'] }))).services ?? []) : []) {
      const td = (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: s.taskDefinition, include: ['TAGS'] })));
      const t = td.taskDefinition;
      services[s.serviceName ?? ''] = {
        status: s.status,
        launchType: s.launchType ?? null,
        desiredCount: s.desiredCount,
        schedulingStrategy: s.schedulingStrategy,
        deploymentConfiguration: s.deploymentConfiguration,
        assignPublicIp: s.networkConfiguration?.awsvpcConfiguration?.assignPublicIp,
        securityGroups: (s.networkConfiguration?.awsvpcConfiguration?.securityGroups ?? []).map(sgName).sort(),
        loadBalancers: (s.loadBalancers ?? []).map((l) => ({ containerName: l.containerName, containerPort: l.containerPort, targetGroup: l.targetGroupArn?.replace(/^.*:targetgroup\/([^/]+)\/.*$/, '$1') })),
        healthCheckGracePeriodSeconds: s.healthCheckGracePeriodSeconds ?? null,
        propagateTags: s.propagateTags ?? null,
        enableECSManagedTags: s.enableECSManagedTags ?? null,
        tags: tagMap(s.tags),
        taskDefinition: {
          family: t?.family,
          revision: t?.revision,
          cpu: t?.cpu,
          memory: t?.memory,
          networkMode: t?.networkMode,
          requiresCompatibilities: t?.requiresCompatibilities,
          runtimePlatform: t?.runtimePlatform ?? null,
          executionRole: t?.executionRoleArn?.replace(/^.*:role\//, ''),
          taskRole: t?.taskRoleArn?.replace(/^.*:role\//, '') ?? null,
          tags: tagMap(td.tags),
          containers: (t?.containerDefinitions ?? []).map((d) => ({
            name: d.name,
            image: d.image?.replace(/^\d{12}\.dkr\.ecr\.[^/]+\/[^/]+\//, '<registry>/<namespace>/').replace(/@sha256:[0-9a-f]{64}$/, '@<digest>'),
            essential: d.essential,
            portMappings: d.portMappings,
            environment: d.environment ?? [],
            logConfiguration: d.logConfiguration,
          })),
        },
      };
    }
    clusters[c.clusterName] = { status: c.status, tags: tagMap(c.tags), services };
  }

  const loadBalancers: Record<string, unknown> = {};
  for (const lb of (await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? []) {
    if (!lb.LoadBalancerName?.startsWith(`${app}-`)) continue;
    const tags = (await elb.send(new DescribeTagsCommand({ ResourceArns: [lb.LoadBalancerArn ?? ''] }))).TagDescriptions?.[0]?.Tags;
    const listeners = (await elb.send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }))).Listeners ?? [];
    loadBalancers[lb.LoadBalancerName] = {
      type: lb.Type,
      scheme: lb.Scheme,
      ipAddressType: lb.IpAddressType,
      securityGroups: (lb.SecurityGroups ?? []).map(sgName).sort(),
      zones: (lb.AvailabilityZones ?? []).length,
      tags: tagMap(tags),
      listeners: listeners.map((l) => ({ port: l.Port, protocol: l.Protocol, actions: (l.DefaultActions ?? []).map((a) => ({ type: a.Type, targetGroup: a.TargetGroupArn?.replace(/^.*:targetgroup\/([^/]+)\/.*$/, '$1') })) })),
    };
  }
  const targetGroups: Record<string, unknown> = {};
  for (const tg of (await elb.send(new DescribeTargetGroupsCommand({}))).TargetGroups ?? []) {
    if (!tg.TargetGroupName?.startsWith(`${app}-`)) continue;
    const tags = (await elb.send(new DescribeTagsCommand({ ResourceArns: [tg.TargetGroupArn ?? ''] }))).TagDescriptions?.[0]?.Tags;
    targetGroups[tg.TargetGroupName] = {
      protocol: tg.Protocol,
      port: tg.Port,
      targetType: tg.TargetType,
      healthCheck: { enabled: tg.HealthCheckEnabled, path: tg.HealthCheckPath, protocol: tg.HealthCheckProtocol, port: tg.HealthCheckPort, interval: tg.HealthCheckIntervalSeconds, timeout: tg.HealthCheckTimeoutSeconds, healthy: tg.HealthyThresholdCount, unhealthy: tg.UnhealthyThresholdCount, matcher: tg.Matcher?.HttpCode },
      tags: tagMap(tags),
    };
  }
  const logGroups: Record<string, unknown> = {};
  for (const g of (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: `/slipway/${app}/` }))).logGroups ?? []) {
    const arn = (g.arn ?? '').replace(/:\*$/, '');
    logGroups[g.logGroupName ?? ''] = { retentionInDays: g.retentionInDays ?? null, tags: (await orNull(() => logs.send(new ListLogTags({ resourceArn: arn }))))?.tags ?? null };
  }

  const accountAliases = (await iam.send(new ListAccountAliasesCommand({}))).AccountAliases ?? [];
  return normalise({ iam: { accountAliases, users, groups, roles, policies }, ec2: { keyPairs, securityGroups }, ecr: { repositories }, ecs: { clusters }, elbv2: { loadBalancers, targetGroups }, logs: { logGroups } }) as Record<string, unknown>;
}

/** Account ids → <account>; the app's name → <app>. */
function normalise(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value).replace(/\b\d{12}\b/g, '<account>'));
}

/** Paths (a.b.c) where two inventories differ, with both values. */
export function differences(a: unknown, b: unknown, path = ''): { path: string; sandbox: unknown; moto: unknown }[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((k) => differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k));
  }
  return [{ path, sandbox: a, moto: b }];
}
