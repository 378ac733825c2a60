import { existsSync } from 'node:fs';
import { AuthorizeSecurityGroupIngressCommand, DescribeSecurityGroupsCommand, EC2Client, RevokeSecurityGroupIngressCommand } from '@aws-sdk/client-ec2';
import { DescribeServicesCommand, ECSClient, RunTaskCommand } from '@aws-sdk/client-ecs';
import { attachSandbox } from '../../../src/sandbox/attach.js';
import { describe, expect, it } from 'vitest';
import { environmentPath } from '../../../flows/rollout/environment-path.js';
import { teardownFlow } from '../../../flows/teardown/index.js';
import { NonInteractivePrompter } from '../../../src/console/ci-prompter.js';
import { UsageError } from '../../../src/engine/errors.js';
import { Person } from '../bootstrap/person.js';
import { DEV, useRolloutWorlds, type RolloutWorld } from '../rollout/harness.js';
import { runDay2 } from '../run/day2-harness.js';
import { FOREIGN, lookAlikesLeft, taggedFor, twoEnvironmentsAndLookAlikes } from './world.js';

const world = useRolloutWorlds();
const ALL_LOOK_ALIKES = [FOREIGN.securityGroup, FOREIGN.partlyTaggedGroup, FOREIGN.role, FOREIGN.logGroup];
const STAGING = ['cluster todo-staging', 'listener 80', 'load balancer todo-staging', 'log group /slipway/todo/staging', 'role todo-staging-ecs-execution', 'security group todo-staging-load-balancer', 'security group todo-staging-tasks', 'service todo-staging', 'target group todo-staging-tg', 'task definition todo-staging:1'];

const DEV_BEFORE = STAGING.map((x) => x.replaceAll('staging', 'dev')).concat('running task').sort();
/** Running service tasks carry the service's tags (propagateTags): one line, whatever their ids. */
const isTask = (x: string) => /^task [0-9a-f]+$/.test(x);
const withoutTasks = (found: string[]) => found.filter((x) => !isTask(x));
const tasksAsOne = (found: string[]) => [...withoutTasks(found), ...(found.some(isTask) ? ['running task'] : [])].sort();

async function teardown(w: RolloutWorld, given: Record<string, string | boolean> = {}, options: Parameters<typeof runDay2>[3] = {}) {
  return runDay2(teardownFlow(w.runtime), w, { ...DEV, approve: true, ...given }, options);
}

describe('slipway teardown', () => {
  it('deletes everything tagged for the environment, in order; the other environment and every look-alike stay', async () => {
    const w = await world();
    await twoEnvironmentsAndLookAlikes(w);
    expect(tasksAsOne(taggedFor(w.sandbox.snapshot(), 'dev'))).toEqual(DEV_BEFORE);
    const { result, logs, how } = await teardown(w, { deleteLogs: true });
    expect(result.failures).toEqual([]);
    expect(result.status).toBe('done');
    const state = w.sandbox.snapshot();
    expect(taggedFor(state, 'dev')).toEqual([]);
    expect(withoutTasks(taggedFor(state, 'staging'))).toEqual(STAGING);
    expect(lookAlikesLeft(state)).toEqual(ALL_LOOK_ALIKES);
    // The plan came first, and said what stays.
    const planAt = logs.findIndex((l) => l.startsWith('Deletes what slipway made for todo dev'));
    expect(planAt).toBeGreaterThanOrEqual(0);
    expect(logs.slice(planAt + 1, planAt + 11).map((l) => l.replace(/ \((sg-|todo-dev-\d).*$/, ''))).toEqual([
      '  - ECS service todo-dev (1 running): scaled to 0, then deleted',
      '  - listener todo-dev HTTP:80',
      '  - load balancer todo-dev',
      '  - target group todo-dev-tg',
      '  - security group todo-dev-load-balancer',
      '  - security group todo-dev-tasks',
      '  - log group /slipway/todo/dev and every log in it',
      '  - task definition todo-dev:1 (deregistered)',
      '  - IAM role todo-dev-ecs-execution (its policies detached first)',
      '  - ECS cluster todo-dev',
    ]);
    expect(logs.some((l) => l.includes(FOREIGN.securityGroup) || l.includes(FOREIGN.role))).toBe(false);
    // The tasks' group names the load balancer's: deleted in an order that needs no retry.
    expect(logs.some((l) => /still in use/.test(l))).toBe(false);
    expect(Object.keys(how)).toEqual(['identity', 'plan', 'confirm', 'scale-down', 'service', 'listeners', 'load-balancers', 'target-groups', 'security-groups', 'log-group', 'task-definitions', 'execution-role', 'cluster']);
    expect(Object.entries(how).filter(([, h]) => h === 'applied').map(([id]) => id)).toEqual(['confirm', 'scale-down', 'service', 'listeners', 'load-balancers', 'target-groups', 'security-groups', 'log-group', 'task-definitions', 'execution-role', 'cluster']);
    // The environment file stays, and the summary says so.
    expect(existsSync(environmentPath(w.runtime.cwd, 'dev'))).toBe(true);
    expect(result.summary[0]).toBe('Deleted 10 resources slipway made for dev.');
    expect(result.summary.at(-1)).toMatch(/slipway\/environments\/dev\.json stays: it is yours, versioned with the code/);
  });

  it('keeps the log group unless asked, and says how to delete it', async () => {
    const w = await world();
    await twoEnvironmentsAndLookAlikes(w);
    const { result, logs } = await teardown(w);
    expect(result.status).toBe('done');
    expect(taggedFor(w.sandbox.snapshot(), 'dev')).toEqual(['log group /slipway/todo/dev']);
    expect(logs).toContain('  - the log group /slipway/todo/dev (--delete-logs deletes it)');
    expect(result.summary).toContain('Log group /slipway/todo/dev kept (`slipway teardown --env dev --delete-logs` deletes it).');
  });

  it('a second teardown finds nothing left and asks nothing', async () => {
    const w = await world();
    await twoEnvironmentsAndLookAlikes(w);
    await teardown(w, { deleteLogs: true });
    const again = await runDay2(teardownFlow(w.runtime), w, { ...DEV, deleteLogs: true }, { prompter: new Person({}) });
    expect(again.result.status).toBe('done');
    expect(again.logs).toContain('Nothing tagged for todo dev is left to delete.');
    expect(Object.values(again.how).every((h) => h === 'found' || h === 'checked' || h === 'not-needed')).toBe(true);
    // Nothing to delete: nothing to confirm, and the step says so rather than "already in place".
    expect(again.how.confirm).toBe('not-needed');
    expect(again.result.summary[0]).toBe('Nothing of dev was left to delete.');
    expect(withoutTasks(taggedFor(w.sandbox.snapshot(), 'staging'))).toEqual(STAGING);
  });

  it('asks a person to type the environment’s name before deleting anything', async () => {
    const w = await world();
    await twoEnvironmentsAndLookAlikes(w);
    const person = new Person({ deleteLogs: false, 'confirm-teardown': 'dev' });
    const asked: string[] = [];
    const text = person.text.bind(person);
    person.text = async (ask) => {
      asked.push(ask.id);
      expect(ask.validate?.('staging')).toMatch(/Type dev exactly/);
      expect(tasksAsOne(taggedFor(w.sandbox.snapshot(), 'dev'))).toEqual(DEV_BEFORE); // nothing deleted yet
      return text(ask);
    };
    const { result } = await runDay2(teardownFlow(w.runtime), w, { region: 'us-east-1', app: 'todo', env: 'dev' }, { prompter: person, acceptDefaults: false });
    expect(result.status).toBe('done');
    expect(person.asked).toEqual(['deleteLogs', 'confirm-teardown']);
    expect(result.outputs.confirm).toMatchObject({ how: 'typed', approvedBy: expect.stringContaining(':user/') });
    expect(taggedFor(w.sandbox.snapshot(), 'dev')).toEqual(['log group /slipway/todo/dev']);
  });

  it('nobody to ask and no --approve: refused before anything is read or written (exit 2), naming --approve', async () => {
    const w = await world();
    await twoEnvironmentsAndLookAlikes(w);
    const error = await runDay2(teardownFlow(w.runtime), w, DEV, { prompter: new NonInteractivePrompter() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).fix).toContain('--approve');
    expect(tasksAsOne(taggedFor(w.sandbox.snapshot(), 'dev'))).toEqual(DEV_BEFORE);
  });

  it('never takes a default environment: --yes without --env is a missing answer naming --env', async () => {
    const w = await world();
    const error = await runDay2(teardownFlow(w.runtime), w, { region: 'us-east-1', app: 'todo', approve: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).fix).toContain('--env');
  });

  it('stops a one-off task still running before the cluster goes', async () => {
    const w = await world();
    await twoEnvironmentsAndLookAlikes(w);
    // What `slipway run` leaves running when its command never ends (a worker): started by slipway-run.
    const ecs = attachSandbox(new ECSClient({ region: 'us-east-1', credentials: w.sandbox.adminCredentials() }), w.sandbox);
    const service = (await ecs.send(new DescribeServicesCommand({ cluster: 'todo-dev', services: ['todo-dev'] }))).services![0]!;
    await ecs.send(new RunTaskCommand({ cluster: 'todo-dev', taskDefinition: service.taskDefinition, launchType: 'FARGATE', startedBy: 'slipway-run', networkConfiguration: service.networkConfiguration }));
    const { result, logs } = await teardown(w, { deleteLogs: true });
    expect(result.failures).toEqual([]);
    expect(logs.some((l) => /^ {2}- one-off task [0-9a-f]{8} \(stopped\)$/.test(l))).toBe(true);
    expect(logs.some((l) => /^Stopped one-off task /.test(l))).toBe(true);
    expect(taggedFor(w.sandbox.snapshot(), 'dev')).toEqual([]);
  });

  it('a security group still in use is retried visibly until it is free; given up on, bounded, it says what to do, and the next run resumes there', async () => {
    const w = await world();
    await twoEnvironmentsAndLookAlikes(w);
    const ec2 = attachSandbox(new EC2Client({ region: 'us-east-1', credentials: w.sandbox.adminCredentials() }), w.sandbox);
    const groups = (await ec2.send(new DescribeSecurityGroupsCommand({}))).SecurityGroups ?? [];
    const idOf = (name: string) => groups.find((g) => g.GroupName === name)?.GroupId ?? '';
    // Someone's hand-made group allows traffic from dev's load balancer group: dev's group is in use.
    const rule = { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{ GroupId: idOf('todo-dev-load-balancer') }] };
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: idOf(FOREIGN.securityGroup), IpPermissions: [rule] }));

    const stuck = await teardown(w, { deleteLogs: true });
    expect(stuck.result.status).toBe('failed');
    expect(stuck.result.failures[0]?.stepId).toBe('security-groups');
    expect(stuck.result.failures[0]?.error.message).toMatch(/^A security group is still in use after \d+ s \(DependencyViolation: /);
    expect(stuck.result.failures[0]?.error.fix).toMatch(/run `slipway teardown --env dev` again: it resumes here/);
    expect(stuck.logs.filter((l) => /still in use \(DependencyViolation\); trying again/.test(l)).length).toBeGreaterThan(5);
    expect(withoutTasks(taggedFor(w.sandbox.snapshot(), 'dev'))).toEqual(['cluster todo-dev', 'log group /slipway/todo/dev', 'role todo-dev-ecs-execution', 'security group todo-dev-load-balancer', 'task definition todo-dev:1']);

    // Run again; this time the rule goes while teardown waits.
    let revoked = false;
    const resumed = await teardown(w, { deleteLogs: true }, {
      onEvent: (e) => {
        if (revoked || e.type !== 'step-log' || !/still in use/.test(e.line)) return;
        revoked = true;
        void ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: idOf(FOREIGN.securityGroup), IpPermissions: [rule] }));
      },
    });
    expect(resumed.result.failures).toEqual([]);
    expect(revoked).toBe(true);
    expect(resumed.how).toMatchObject({ confirm: 'confirmed', service: 'confirmed', 'security-groups': 'applied', cluster: 'applied' });
    expect(taggedFor(w.sandbox.snapshot(), 'dev')).toEqual([]);
    expect(lookAlikesLeft(w.sandbox.snapshot())).toEqual(ALL_LOOK_ALIKES);
  });
});
