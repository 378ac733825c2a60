import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { attachSandbox } from '../../../src/sandbox/attach.js';
import type { Sandbox, SandboxState } from '../../../src/sandbox/store.js';
import { NonInteractivePrompter } from '../../../src/console/ci-prompter.js';
import { DEV, runRollout, type RolloutWorld } from '../rollout/harness.js';

// No vitest imports: the teardown crash test's child process uses this file too.

export const REGION = 'us-east-1';
export const TAGS = (env: string) => [
  { Key: 'slipway:app', Value: 'todo' },
  { Key: 'slipway:env', Value: env },
  { Key: 'slipway:managed', Value: 'true' },
];

/** Resources that look like dev's but are not slipway's: teardown must never touch them. */
export const FOREIGN = {
  securityGroup: 'todo-dev-tasks-copy',
  /** Carries slipway:app and slipway:env, not slipway:managed: still not slipway's. */
  partlyTaggedGroup: 'todo-dev-load-balancer-old',
  role: 'todo-dev-ecs-execution-old',
  logGroup: '/slipway/todo/dev-old',
};

/** dev and staging rolled out, plus look-alikes of dev's resources that slipway did not make. */
export async function twoEnvironmentsAndLookAlikes(w: RolloutWorld): Promise<void> {
  for (const env of ['dev', 'staging']) {
    const { result } = await runRollout(w, new NonInteractivePrompter(), { ...DEV, env });
    if (result.status !== 'done') throw new Error(`rollout of ${env}: ${JSON.stringify(result.failures)}`);
  }
  await makeLookAlikes(w.sandbox);
}

export type LaunchType = 'FARGATE' | 'EC2' | 'EXPRESS';

/** dev and staging rolled out on one target (EC2 or Express Mode), plus dev's look-alikes. */
export async function twoEnvironmentsOn(w: RolloutWorld, launchType: LaunchType): Promise<void> {
  for (const env of ['dev', 'staging']) {
    const { result } = await runRollout(w, new NonInteractivePrompter(), { ...DEV, env, launchType });
    if (result.status !== 'done') throw new Error(`rollout of ${env} (${launchType}): ${JSON.stringify(result.failures)}`);
  }
  await makeLookAlikes(w.sandbox);
}

export async function makeLookAlikes(sandbox: Sandbox): Promise<void> {
  const credentials = sandbox.adminCredentials();
  const ec2 = attachSandbox(new EC2Client({ region: REGION, credentials }), sandbox);
  const vpc = (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))).Vpcs?.[0]?.VpcId;
  const copy = await ec2.send(new CreateSecurityGroupCommand({ GroupName: FOREIGN.securityGroup, Description: 'made by hand', VpcId: vpc }));
  await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: copy.GroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '10.0.0.0/8' }] }] }));
  await ec2.send(
    new CreateSecurityGroupCommand({
      GroupName: FOREIGN.partlyTaggedGroup,
      Description: 'made by hand, tagged by hand',
      VpcId: vpc,
      TagSpecifications: [{ ResourceType: 'security-group', Tags: TAGS('dev').filter((t) => t.Key !== 'slipway:managed') }],
    }),
  );
  const iam = attachSandbox(new IAMClient({ region: REGION, credentials }), sandbox);
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
  await iam.send(new CreateRoleCommand({ RoleName: FOREIGN.role, AssumeRolePolicyDocument: trust }));
  const logs = attachSandbox(new CloudWatchLogsClient({ region: REGION, credentials }), sandbox);
  await logs.send(new CreateLogGroupCommand({ logGroupName: FOREIGN.logGroup }));
}

const has = (tags: { Key?: string; key?: string; Value?: string; value?: string }[] | Record<string, string> | undefined, env: string) => {
  const pairs = Array.isArray(tags) ? tags.map((t) => [t.Key ?? t.key, t.Value ?? t.value]) : Object.entries(tags ?? {});
  return TAGS(env).every((w) => pairs.some(([k, v]) => k === w.Key && v === w.Value));
};

/** Every live resource in the sandbox that carries the environment's slipway tags, as "kind name". */
export function taggedFor(state: SandboxState, env: string): string[] {
  const found: string[] = [];
  for (const c of Object.values(state.ecs?.clusters?.[REGION] ?? {})) if (c.status === 'ACTIVE' && has(c.tags, env)) found.push(`cluster ${c.name}`);
  for (const s of Object.values(state.ecs?.services?.[REGION] ?? {})) if (s.status !== 'INACTIVE' && has(s.tags, env)) found.push(`service ${s.name}`);
  for (const d of Object.values(state.ecs?.taskDefinitions?.[REGION] ?? {}).flat()) if (d.status === 'ACTIVE' && has(d.tags, env)) found.push(`task definition ${d.family}:${d.revision}`);
  for (const t of Object.values(state.ecs?.tasks?.[REGION] ?? {})) if (t.desiredStatus === 'RUNNING' && has(t.tags, env)) found.push(`task ${t.id}`);
  for (const lb of Object.values(state.elbv2?.loadBalancers[REGION] ?? {})) if (has(lb.tags, env)) found.push(`load balancer ${lb.name}`);
  for (const g of Object.values(state.elbv2?.targetGroups[REGION] ?? {})) if (has(g.tags, env)) found.push(`target group ${g.name}`);
  for (const l of Object.values(state.elbv2?.listeners[REGION] ?? {})) if (has(l.tags, env)) found.push(`listener ${l.port}`);
  for (const g of Object.values(state.ec2.securityGroups?.[REGION] ?? {})) if (has(g.tags, env)) found.push(`security group ${g.name}`);
  for (const r of Object.values(state.iam.roles)) if (has(r.tags, env)) found.push(`role ${r.name}`);
  for (const g of Object.values(state.logs?.groups[REGION] ?? {})) if (has(g.tags, env)) found.push(`log group ${g.name}`);
  for (const s of Object.values(state.ecs?.express?.[REGION] ?? {})) if (s.inactiveAt === undefined && has(s.tags, env)) found.push(`express service ${s.name}`);
  for (const p of Object.values(state.ecs?.capacityProviders?.[REGION] ?? {})) if (p.status === 'ACTIVE' && has(p.tags, env)) found.push(`capacity provider ${p.name}`);
  for (const g of Object.values(state.autoscaling?.groups[REGION] ?? {})) if (g.deletingAt === undefined && has(g.tags, env)) found.push(`auto scaling group ${g.name}`);
  for (const t of Object.values(state.launchTemplates?.[REGION] ?? {})) if (has(t.tags, env)) found.push(`launch template ${t.name}`);
  return found.sort();
}

/** The look-alikes are all still there. */
export function lookAlikesLeft(state: SandboxState): string[] {
  const groups = Object.values(state.ec2.securityGroups?.[REGION] ?? {}).map((g) => g.name);
  return [
    ...[FOREIGN.securityGroup, FOREIGN.partlyTaggedGroup].filter((n) => groups.includes(n)),
    ...(state.iam.roles[FOREIGN.role] ? [FOREIGN.role] : []),
    ...(state.logs?.groups[REGION]?.[FOREIGN.logGroup] ? [FOREIGN.logGroup] : []),
  ];
}
