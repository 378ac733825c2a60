import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CloudWatchLogsClient, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { describe, expect, it } from 'vitest';
import { clientConfig } from '../../../src/aws/clients.js';
import { NonInteractivePrompter } from '../../../src/console/ci-prompter.js';
import { attachSandbox } from '../../../src/sandbox/attach.js';
import type { Sandbox } from '../../../src/sandbox/store.js';
import { DEV, runRollout } from '../rollout/harness.js';
import { BIN, SANDBOX, slipway, useBinaryWorlds } from '../run/binary-world.js';

/**
 * `slipway logs` through the built binary, on an environment the sandbox rolled out: its tasks wrote
 * their start-up lines into `/slipway/todo/<env>`, stream `ecs/app/<task id>`; the test writes more
 * with PutLogEvents while a `--follow` runs.
 */
const world = useBinaryWorlds();
const GROUP = '/slipway/todo/dev';

interface JsonLine {
  timestamp: string;
  task: string;
  message: string;
  stream: string;
}

const jsonLines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as JsonLine);

function logsClient(sandbox: Sandbox): CloudWatchLogsClient {
  return attachSandbox(new CloudWatchLogsClient(clientConfig({ region: 'us-east-1' }, async () => sandbox.adminCredentials())), sandbox);
}

/** Every file under a folder with its size and time: "nothing written" compares two of these. */
function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => {
      const path = join(e.parentPath, e.name);
      const stat = statSync(path);
      return `${relative(dir, path)} ${stat.size} ${stat.mtimeMs}`;
    })
    .sort();
}

/** A `slipway logs --follow` child whose output can be waited for. */
function follow(w: { runtime: { cwd: string }; binaryEnv: NodeJS.ProcessEnv }, args: string[]) {
  const child = spawn(process.execPath, [BIN, 'logs', '--sandbox-name', SANDBOX, '--follow', ...args], { cwd: w.runtime.cwd, env: w.binaryEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return {
    child,
    exited,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    async until(done: (stdout: string) => boolean, what: string, ms = 20_000): Promise<void> {
      const deadline = Date.now() + ms;
      while (!done(stdout)) {
        if (Date.now() > deadline) throw new Error(`no ${what} within ${ms} ms; stdout:\n${stdout}\nstderr:\n${stderr}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
  };
}

describe('slipway logs, the built binary, in the sandbox', () => {
  it('prints the environment’s lines oldest first with the short task id; --json, --filter and --task; writes nothing', async () => {
    const w = await world();
    expect((await runRollout(w, new NonInteractivePrompter(), { ...DEV, desiredCount: 2 })).result.status).toBe('done');
    const state = join(String(w.binaryEnv.XDG_STATE_HOME), 'slipway');
    const before = files(join(state, 'runs'));

    const json = await slipway(w, ['logs', '--env', 'dev', '--json']);
    expect(json.code, json.stderr).toBe(0);
    const lines = jsonLines(json.stdout);
    const tasks = [...new Set(lines.map((l) => l.task))];
    expect(tasks).toHaveLength(2);
    for (const line of lines) {
      expect(line.stream).toBe(`ecs/app/${line.task}`);
      expect(new Date(line.timestamp).toISOString()).toBe(line.timestamp);
    }
    expect(lines.map((l) => l.timestamp)).toEqual([...lines.map((l) => l.timestamp)].sort());
    expect(lines.filter((l) => l.task === tasks[0]).map((l) => l.message)).toEqual(['Starting application (NODE_ENV=production)', 'Listening on 0.0.0.0:8080']);

    const plain = await slipway(w, ['logs', '--env', 'dev']);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout.trim().split('\n')).toEqual(lines.map((l) => `${l.task.slice(0, 8)} ${l.message}`));

    const filtered = await slipway(w, ['logs', '--env', 'dev', '--filter', 'Listening on', '--json']);
    expect(jsonLines(filtered.stdout).map((l) => l.message)).toEqual(['Listening on 0.0.0.0:8080', 'Listening on 0.0.0.0:8080']);
    const one = await slipway(w, ['logs', '--env', 'dev', '--task', tasks[1]!.slice(0, 6), '--json']);
    expect(jsonLines(one.stdout).map((l) => l.task)).toEqual([tasks[1], tasks[1]]);
    const byArn = await slipway(w, ['logs', '--env', 'dev', '--task', `arn:aws:ecs:us-east-1:${w.sandbox.accountId}:task/todo-dev/${tasks[0]}`, '--json']);
    expect(jsonLines(byArn.stdout).map((l) => l.task)).toEqual([tasks[0], tasks[0]]);

    // Since a moment after every line: nothing, said on stderr.
    w.sandbox.clock.advance(3_600_000);
    const later = await slipway(w, ['logs', '--env', 'dev', '--since', '30m']);
    expect(later.code, later.stderr).toBe(0);
    expect(later.stdout).toBe('');
    expect(later.stderr).toMatch(/No log lines in \/slipway\/todo\/dev since /);
    const wider = await slipway(w, ['logs', '--env', 'dev', '--since', '2h', '--json']);
    expect(jsonLines(wider.stdout)).toEqual(lines);

    // Read-only: no journal, no run file.
    expect(files(join(state, 'runs'))).toEqual(before);
  });

  it('--follow prints lines written while it runs, in order, each once (the same millisecond as the last one too); Ctrl-C leaves with 0', async () => {
    const w = await world();
    expect((await runRollout(w, new NonInteractivePrompter())).result.status).toBe('done');
    // Nothing left for the sandbox's ECS to do: the follower's reads change nothing, so this process's
    // PutLogEvents is the only writer of the sandbox file while both run.
    expect(w.sandbox.snapshot().ecs?.nextEventAt).toBeUndefined();
    const first = jsonLines((await slipway(w, ['logs', '--env', 'dev', '--json'])).stdout);
    const task = first[0]!.task;
    const stream = first[0]!.stream;
    const last = Date.parse(first[first.length - 1]!.timestamp);

    const tail = follow(w, ['--env', 'dev', '--json']);
    await tail.until((out) => jsonLines(out).length === first.length, 'first lines');
    expect(jsonLines(tail.stdout)).toEqual(first);

    const logs = logsClient(w.sandbox);
    const put = (name: string, events: [number, string][]) => logs.send(new PutLogEventsCommand({ logGroupName: GROUP, logStreamName: name, logEvents: events.map(([timestamp, message]) => ({ timestamp, message })) }));
    // The millisecond of the last line printed: on the boundary of the next poll.
    await put(stream, [
      [last, 'same millisecond 1'],
      [last, 'same millisecond 2'],
    ]);
    await tail.until((out) => out.includes('same millisecond 2'), 'the boundary lines');
    // Another task, and more of the first, in several batches while it follows.
    const other = 'f00dfeedf00dfeedf00dfeedf00dfeed';
    await logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: `ecs/app/${other}` }));
    await put(`ecs/app/${other}`, [[last + 5, 'other task up']]);
    await put(stream, [
      [last + 7, 'first task, after the other'],
      [last + 9, 'first task later'],
    ]);
    // Not the service's: another prefix in the same group is not shown.
    await logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: 'firelens/other' }));
    await put('firelens/other', [[last + 6, 'not a task stream']]);
    await tail.until((out) => out.includes('first task later'), 'the later lines');
    await new Promise((r) => setTimeout(r, 300)); // a few more polls: nothing may repeat

    tail.child.kill('SIGINT');
    expect(await tail.exited, tail.stderr).toBe(0);
    const printed = jsonLines(tail.stdout);
    expect(printed.map((l) => l.message)).toEqual([...first.map((l) => l.message), 'same millisecond 1', 'same millisecond 2', 'other task up', 'first task, after the other', 'first task later']);
    expect(printed.slice(first.length).map((l) => l.task)).toEqual([task, task, other, task, task]);
  });

  it('bad input is exit 2 with a clear message, and nothing is written', async () => {
    const w = await world();
    await runRollout(w, new NonInteractivePrompter());
    const state = String(w.binaryEnv.XDG_STATE_HOME);
    const before = [...files(state), ...files(w.home)];
    const cases: [string[], RegExp][] = [
      [['logs', '--env', 'qa'], /There is no environment "qa" here/],
      [['logs', '--env', 'dev', '--since', '10x'], /--since 10x: expected how long ago \(30s, 10m/],
      [['logs', '--env', 'dev', '--task', 'not a task!'], /--task not a task!: A task id is/],
      [['logs', '--env', 'dev', '--follow', 'maybe'], /--follow maybe: expected yes or no/],
      [['logs', '--env', 'dev', '--bogus'], /Unknown option '--bogus'[\s\S]*Its flags: slipway logs --help/],
      [['logs', 'dev'], /Unexpected argument "dev"/],
    ];
    for (const [args, message] of cases) {
      const run = await slipway(w, args);
      expect(run.code, `${args.join(' ')}\n${run.stderr}`).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stdout).toBe('');
    }
    const noSandbox = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [BIN, 'logs', '--env', 'dev', '--sandbox-name', 'never-made'], { cwd: w.runtime.cwd, env: w.binaryEnv });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(noSandbox.code).toBe(2);
    expect(noSandbox.stderr).toMatch(/There is no sandbox "never-made" on this machine/);
    expect([...files(state), ...files(w.home)]).toEqual(before);
  });

  it('an Express Mode environment: its group and ecs/ streams, whatever ECS names the container; --task too', async () => {
    const w = await world();
    expect((await runRollout(w, new NonInteractivePrompter(), { ...DEV, launchType: 'EXPRESS' })).result.status).toBe('done');
    // The sandbox runs no Express tasks: write what ECS's awslogs would, into the group the service was given.
    const logs = logsClient(w.sandbox);
    const now = w.sandbox.clock.now();
    const [a, b] = ['0a1b2c3d4e5f60718293a4b5c6d7e8f9', '99887766554433221100ffeeddccbbaa'];
    for (const [task, at] of [[a, now - 2000], [b, now - 1000]] as const) {
      await logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: `ecs/Main/${task}` }));
      await logs.send(new PutLogEventsCommand({ logGroupName: GROUP, logStreamName: `ecs/Main/${task}`, logEvents: [{ timestamp: at, message: `up in ${task.slice(0, 4)}` }] }));
    }
    const all = await slipway(w, ['logs', '--env', 'dev']);
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toBe(`0a1b2c3d up in 0a1b\n99887766 up in 9988\n`);
    const one = await slipway(w, ['logs', '--env', 'dev', '--task', '9988', '--json']);
    expect(jsonLines(one.stdout)).toEqual([{ timestamp: new Date(now - 1000).toISOString(), task: b, message: 'up in 9988', stream: `ecs/Main/${b}` }]);
  });

  it('an environment whose log group is gone says so, with the fix (exit 1)', async () => {
    const w = await world();
    await runRollout(w, new NonInteractivePrompter());
    w.sandbox.update((s) => {
      delete s.logs!.groups['us-east-1']![GROUP];
    });
    const run = await slipway(w, ['logs', '--env', 'dev']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/There are no logs for dev: the log group \/slipway\/todo\/dev does not exist/);
    expect(run.stderr).toMatch(/slipway rollout --env dev --sandbox-name day2/);
  });
});
