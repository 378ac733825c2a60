import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { environmentPath } from '../../../flows/rollout/environment-path.js';
import { EC2_TEARDOWN_STEPS, EXPRESS_TEARDOWN_STEPS, teardownFlow } from '../../../flows/teardown/index.js';
import { DEV, useRolloutWorlds, type RolloutWorld } from '../rollout/harness.js';
import { runDay2 } from '../run/day2-harness.js';
import { FOREIGN, lookAlikesLeft, taggedFor, twoEnvironmentsOn } from './world.js';

const world = useRolloutWorlds();
const REGION = 'us-east-1';
const ALL_LOOK_ALIKES = [FOREIGN.securityGroup, FOREIGN.partlyTaggedGroup, FOREIGN.role, FOREIGN.logGroup];
const isTask = (x: string) => /^task [0-9a-f]+$/.test(x);
const withoutTasks = (found: string[]) => found.filter((x) => !isTask(x));

async function teardown(w: RolloutWorld, given: Record<string, string | boolean> = {}) {
  return runDay2(teardownFlow(w.runtime), w, { ...DEV, approve: true, deleteLogs: true, ...given });
}

describe('slipway teardown of an Express Mode environment', () => {
  const STAGING = ['cluster todo-staging', 'express service todo-staging', 'log group /slipway/todo/staging', 'role todo-staging-ecs-execution', 'role todo-staging-ecs-infrastructure'];

  it('deletes the Express service (waiting until INACTIVE), then its roles, log group and cluster; staging and the look-alikes stay', async () => {
    const w = await world();
    await twoEnvironmentsOn(w, 'EXPRESS');
    expect(taggedFor(w.sandbox.snapshot(), 'dev')).toEqual(STAGING.map((x) => x.replaceAll('staging', 'dev')));
    const { result, logs, how } = await teardown(w);
    expect(result.failures).toEqual([]);
    expect(result.status).toBe('done');
    const state = w.sandbox.snapshot();
    expect(taggedFor(state, 'dev')).toEqual([]);
    expect(taggedFor(state, 'staging')).toEqual(STAGING);
    expect(lookAlikesLeft(state)).toEqual(ALL_LOOK_ALIKES);
    // ECS removed the rest: the service is INACTIVE, not just asked to go.
    const dev = Object.values(state.ecs?.express?.[REGION] ?? {}).find((s) => s.name === 'todo-dev')!;
    expect(dev.inactiveAt).toBeLessThanOrEqual(w.sandbox.clock.now());
    expect(Object.keys(how)).toEqual(EXPRESS_TEARDOWN_STEPS.map((s) => s.id));
    expect(Object.keys(how)).toEqual(['identity', 'plan', 'confirm', 'express-service', 'log-group', 'task-definitions', 'execution-role', 'infrastructure-role', 'cluster']);
    const planAt = logs.findIndex((l) => l.startsWith('Deletes what slipway made for todo dev'));
    expect(logs.slice(planAt + 1, planAt + 6)).toEqual([
      '  - Express Mode service todo-dev (ACTIVE): deleted; ECS removes its load balancer, certificate, security groups and scaling',
      '  - log group /slipway/todo/dev and every log in it',
      '  - IAM role todo-dev-ecs-execution (its policies detached first)',
      '  - IAM role todo-dev-ecs-infrastructure (its policies detached first)',
      '  - ECS cluster todo-dev',
    ]);
    expect(logs.some((l) => /^waiting for the Express Mode service to become INACTIVE… \(\d+ s\)$/.test(l))).toBe(true);
    expect(result.summary[0]).toBe('Deleted 5 resources slipway made for dev.');

    const again = await teardown(w);
    expect(again.logs).toContain('Nothing tagged for todo dev is left to delete.');
    expect(taggedFor(w.sandbox.snapshot(), 'staging')).toEqual(STAGING);
  });
});

describe('slipway teardown of an EC2 environment', () => {
  const STAGING = [
    'auto scaling group todo-staging',
    'capacity provider todo-staging-ec2',
    'cluster todo-staging',
    'launch template todo-staging',
    'listener 80',
    'load balancer todo-staging',
    'log group /slipway/todo/staging',
    'role todo-staging-ecs-execution',
    'security group todo-staging-instances',
    'security group todo-staging-load-balancer',
    'security group todo-staging-tasks',
    'service todo-staging',
    'target group todo-staging-tg',
    'task definition todo-staging:1',
  ];

  it('after the service: the Auto Scaling group (its instances leave the cluster), capacity provider, launch template and instances’ group; ecsInstanceRole stays', async () => {
    const w = await world();
    await twoEnvironmentsOn(w, 'EC2');
    expect(withoutTasks(taggedFor(w.sandbox.snapshot(), 'dev'))).toEqual(STAGING.map((x) => x.replaceAll('staging', 'dev')));
    const { result, logs, how } = await teardown(w);
    expect(result.failures).toEqual([]);
    expect(result.status).toBe('done');
    const state = w.sandbox.snapshot();
    expect(taggedFor(state, 'dev')).toEqual([]);
    expect(withoutTasks(taggedFor(state, 'staging'))).toEqual(STAGING);
    expect(lookAlikesLeft(state)).toEqual(ALL_LOOK_ALIKES);
    // The account-wide instance role and profile are every EC2 environment's: kept, and said so.
    expect(state.iam.roles.ecsInstanceRole).toBeDefined();
    expect(Object.keys(state.iam.instanceProfiles ?? {})).toEqual(['ecsInstanceRole']);
    expect(logs).toContain('  - the IAM role and instance profile ecsInstanceRole (every EC2 environment of the account shares them)');
    expect(result.summary).toContain('The IAM role and instance profile ecsInstanceRole stay: every EC2 environment of the account shares them.');
    // staging's cluster still has its provider and its instances.
    expect(Object.values(state.ecs?.clusters?.[REGION] ?? {}).filter((c) => c.status === 'ACTIVE').map((c) => [c.name, c.capacityProviders])).toEqual([['todo-staging', ['todo-staging-ec2']]]);
    expect(state.autoscaling!.groups[REGION]!['todo-staging']!.instances.filter((i) => i.terminatedAt === undefined).length).toBeGreaterThan(0);

    expect(Object.keys(how)).toEqual(EC2_TEARDOWN_STEPS.map((s) => s.id));
    expect(Object.entries(how).filter(([, h]) => h === 'applied').map(([id]) => id)).toEqual([
      'confirm',
      'scale-down',
      'service',
      'auto-scaling-group',
      'capacity-provider',
      'launch-template',
      'listeners',
      'load-balancers',
      'target-groups',
      'instance-security-group',
      'security-groups',
      'log-group',
      'task-definitions',
      'execution-role',
      'cluster',
    ]);
    const planAt = logs.findIndex((l) => l.startsWith('Deletes what slipway made for todo dev'));
    expect(logs.slice(planAt + 2, planAt + 5).map((l) => l.replace(/ \(lt-.*$/, ''))).toEqual([
      '  - Auto Scaling group todo-dev and its 1 EC2 instance (force-deleted)',
      '  - capacity provider todo-dev-ec2 (removed from the cluster first)',
      '  - launch template todo-dev',
    ]);
    expect(logs.some((l) => /^waiting for the Auto Scaling group and its instances to go… \(\d+ s\)$/.test(l))).toBe(true);
    expect(logs).toContain('Removed capacity provider todo-dev-ec2 from cluster todo-dev');
    // The instances were gone before the cluster was asked to go: no retry.
    expect(logs.some((l) => /still in use/.test(l))).toBe(false);
    expect(result.summary[0]).toBe('Deleted 14 resources slipway made for dev.');
  });

  it('with the environment file gone: every kind is looked for by its tags, and the EC2 capacity still goes', async () => {
    const w = await world();
    await twoEnvironmentsOn(w, 'EC2');
    rmSync(environmentPath(w.runtime.cwd, 'dev'));
    const { result, how, logs } = await teardown(w);
    expect(result.failures).toEqual([]);
    expect(Object.keys(how)).toEqual(expect.arrayContaining(['express-service', 'auto-scaling-group', 'capacity-provider', 'launch-template', 'instance-security-group', 'infrastructure-role']));
    expect(how['express-service']).toBe('found');
    expect(how['auto-scaling-group']).toBe('applied');
    expect(logs).toContain('  - the IAM role and instance profile ecsInstanceRole (every EC2 environment of the account shares them)');
    const state = w.sandbox.snapshot();
    expect(taggedFor(state, 'dev')).toEqual([]);
    expect(withoutTasks(taggedFor(state, 'staging'))).toEqual(STAGING);
    expect(state.iam.roles.ecsInstanceRole).toBeDefined();
    expect(lookAlikesLeft(state)).toEqual(ALL_LOOK_ALIKES);
  });
});
