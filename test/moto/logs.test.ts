import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { writeEnvironment } from '../../flows/rollout/environment.js';
import { typedRolloutAnswers } from '../../flows/rollout/questions.js';
import { settingsFromAnswers } from '../../flows/rollout/targets/environment.js';
import { writeProjectSettings } from '../../src/local/project-settings.js';
import { describeMoto, explain, motoClient, motoHome, recordFlows, REGION, ROOT, runSlipway, useMotoAws, type MotoHome } from '../support/moto-aws.js';

/**
 * `slipway logs` against moto + aws-sim: the log group and streams a rollout's tasks write
 * (`/slipway/<app>/<env>`, `ecs/app/<task id>`), filled here with PutLogEvents sent straight to moto —
 * so aws-sim's call log holds slipway's calls only, and they must all be reads (FilterLogEvents).
 */
const FILE = 'test/moto/logs.test.ts';
const GROUP = '/slipway/todo/dev';
const TASK_A = '3f2a9c1e0b1c4d5e8f90a1b2c3d4e5f6';
const TASK_B = '7d6c5b4a39281706f5e4d3c2b1a09f8e';
const TASK_C = 'c0ffee00c0ffee00c0ffee00c0ffee00';

describeMoto('slipway logs against moto + aws-sim', {}, () => {
  const aws = useMotoAws();
  let dir: string;
  let home: MotoHome;
  let writer: CloudWatchLogsClient;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'slipway-moto-logs-'));
    writeProjectSettings(dir, { version: 1, app: 'todo', ecr: { namespace: 'apps', keepImages: 30 } });
    writeEnvironment(dir, 'dev', settingsFromAnswers({ settings: typedRolloutAnswers({ region: REGION, app: 'todo', env: 'dev' }) }));
    home = motoHome(aws().endpoint, 'env-keys');
    writer = motoClient(aws().moto, CloudWatchLogsClient);
    await writer.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
    for (const stream of [`ecs/app/${TASK_A}`, `ecs/app/${TASK_B}`, 'firelens/not-a-task']) await writer.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: stream }));
  });
  afterEach(() => {
    home.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  const put = (stream: string, events: [number, string][]) => writer.send(new PutLogEventsCommand({ logGroupName: GROUP, logStreamName: stream, logEvents: events.map(([timestamp, message]) => ({ timestamp, message })) }));

  it('prints the tasks’ lines oldest first across streams, each with its short task id, and only reads', async () => {
    const t = Date.now() - 60_000;
    await put(`ecs/app/${TASK_B}`, [[t + 1, 'b: starting'], [t + 4, 'b: listening']]);
    await put(`ecs/app/${TASK_A}`, [[t + 2, 'a: starting'], [t + 3, 'a: listening']]);
    await put('firelens/not-a-task', [[t + 2, 'not one of the service’s streams']]);
    await put(`ecs/app/${TASK_A}`, [[t - 3_600_000, 'an hour ago']]);
    const calls = (await aws().callLog()).length;

    const run = await runSlipway(['logs', '--env', 'dev'], { cwd: dir, env: home.env });
    expect(run.code, explain(run)).toBe(0);
    expect(run.stdout).toBe(['7d6c5b4a b: starting', '3f2a9c1e a: starting', '3f2a9c1e a: listening', '7d6c5b4a b: listening'].map((l) => `${l}\n`).join(''));
    const messages = (out: string) => out.trim().split('\n').map((l) => (JSON.parse(l) as { message: string }).message);
    const wider = await runSlipway(['logs', '--env', 'dev', '--since', '2h', '--task', TASK_A.slice(0, 5), '--json'], { cwd: dir, env: home.env });
    expect(wider.code, explain(wider)).toBe(0);
    expect(messages(wider.stdout)).toEqual(['an hour ago', 'a: starting', 'a: listening']);
    const filtered = await runSlipway(['logs', '--env', 'dev', '--filter', ': listening', '--json'], { cwd: dir, env: home.env });
    expect(messages(filtered.stdout)).toEqual(['a: listening', 'b: listening']);

    const made = (await aws().callLog()).slice(calls);
    expect(made.length).toBeGreaterThan(0);
    expect(new Set(made.map((c) => `${c.service}:${c.operation}`))).toEqual(new Set(['logs:FilterLogEvents']));
    expect(aws().proxy.counts['logs-filter-log-events']).toBeGreaterThan(0);
    recordFlows(FILE, [{ flow: 'logs', source: 'env-keys' }]);
  });

  it('from a role + MFA profile: one code (SLIPWAY_MFA_CODE without a terminal), the role’s session reads the group', async () => {
    await put(`ecs/app/${TASK_A}`, [[Date.now() - 5000, 'through the role']]);
    const mfa = motoHome(aws().endpoint, 'role-mfa-profile');
    try {
      const run = await runSlipway(['logs', '--env', 'dev', ...mfa.flags], { cwd: dir, env: mfa.env });
      expect(run.code, explain(run)).toBe(0);
      expect(run.stdout).toBe('3f2a9c1e through the role\n');
      recordFlows(FILE, [{ flow: 'logs', source: 'role-mfa-profile' }]);
    } finally {
      mfa.cleanup();
    }
  });

  it('--follow shows lines written while it runs, in order, without duplicates; SIGINT leaves with 0', async () => {
    const t = Date.now() - 30_000;
    await put(`ecs/app/${TASK_A}`, [[t, 'a1'], [t + 10, 'a2']]);
    await put(`ecs/app/${TASK_B}`, [[t + 10, 'b1']]);
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'slipway.js'), 'logs', '--env', 'dev', '--follow', '--json'], {
      cwd: dir,
      env: { ...home.env, SLIPWAY_WATCH_POLL_MS: '50' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const printed = () =>
      stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { task: string; message: string; stream: string });
    const until = async (message: string) => {
      const deadline = Date.now() + 30_000;
      while (!printed().some((l) => l.message === message)) {
        if (Date.now() > deadline) throw new Error(`"${message}" not printed within 30 s\nstdout:\n${stdout}\nstderr:\n${stderr}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    try {
      await until('b1');
      // The millisecond of the newest line printed, in both streams: the boundary of the next poll.
      await put(`ecs/app/${TASK_A}`, [[t + 10, 'a3 (same ms)']]);
      await put(`ecs/app/${TASK_B}`, [[t + 10, 'b2 (same ms)']]);
      await until('b2 (same ms)');
      // A new task, lines in several batches, and a stream that is not a task's.
      await writer.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: `ecs/app/${TASK_C}` }));
      await put(`ecs/app/${TASK_C}`, [[t + 20, 'c1']]);
      await put('firelens/not-a-task', [[t + 21, 'not shown']]);
      await put(`ecs/app/${TASK_A}`, [[t + 30, 'a4'], [t + 40, 'a5']]);
      await until('a5');
      await new Promise((r) => setTimeout(r, 500)); // more polls over the same lines: none may repeat
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited, stderr).toBe(0);
    const lines = printed();
    expect(lines.map((l) => l.message)).toEqual(['a1', 'a2', 'b1', 'a3 (same ms)', 'b2 (same ms)', 'c1', 'a4', 'a5']);
    expect(lines.map((l) => l.task)).toEqual([TASK_A, TASK_A, TASK_B, TASK_A, TASK_B, TASK_C, TASK_A, TASK_A]);
    expect(lines.every((l) => l.stream === `ecs/app/${l.task}`)).toBe(true);
    recordFlows(FILE, [{ flow: 'logs --follow', source: 'env-keys' }]);
  });

  it('an unknown environment or a bad --since is exit 2 before any AWS call', async () => {
    const calls = (await aws().callLog()).length;
    const unknown = await runSlipway(['logs', '--env', 'qa'], { cwd: dir, env: home.env });
    expect(unknown.code, explain(unknown)).toBe(2);
    expect(unknown.stderr).toMatch(/There is no environment "qa" here/);
    const since = await runSlipway(['logs', '--env', 'dev', '--since', '10x'], { cwd: dir, env: home.env });
    expect(since.code, explain(since)).toBe(2);
    expect(since.stderr).toMatch(/--since 10x: expected how long ago/);
    expect((await aws().callLog()).length).toBe(calls);
  });
});
