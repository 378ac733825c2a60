import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureLocalRegistry, findRegistryBinary, localRegistryDir, readLocalRegistry, registryAnswers, stopLocalRegistry } from '../../src/sandbox/local-registry.js';
import { createSandbox, sandboxFile } from '../../src/sandbox/store.js';
import { runSandboxCommand, SCENARIOS, type SandboxCommandIo } from '../../src/cli/sandbox-command.js';
import { Journal } from '../../src/engine/journal.js';
import { isAlive } from '../../src/engine/lock.js';
import { journalsDir, stateDir } from '../../src/engine/paths.js';
import { useTempHomes } from '../support/temp-home.js';

const BIN = join(process.cwd(), 'dist', 'slipway.js');
const home = useTempHomes();
const registryBinary = findRegistryBinary({ PATH: process.env.PATH });
const started: string[] = [];
afterAll(async () => {
  for (const file of started) await stopLocalRegistry(file);
});

/** The built binary without a terminal (non-interactive). */
async function slipway(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr };
}

/** An unfinished run's journal, recorded as started in `sandbox` (or not in one). */
function unfinishedRun(env: NodeJS.ProcessEnv, app: string, sandbox?: string): string {
  const { journal } = Journal.open('publish', { region: 'us-east-1', app }, [{ id: 'preflight', title: 'Preflight' }], { env, ...(sandbox ? { meta: { sandbox } } : {}) });
  journal.close();
  return journal.path;
}

function sandboxHome(env: NodeJS.ProcessEnv, name: string): string {
  const dir = join(stateDir(env), 'sandbox', `${name}.home`);
  mkdirSync(join(dir, '.aws'), { recursive: true });
  writeFileSync(join(dir, '.aws', 'credentials'), '[carol]\naws_access_key_id = AKIA…\n');
  return dir;
}

describe('slipway sandbox', () => {
  it('without a command prints its usage; --help for each command', async () => {
    const { env } = home();
    const bare = await slipway(['sandbox'], env);
    expect(bare.code).toBe(0);
    expect(bare.stdout).toMatch(/^Usage: slipway sandbox <command>/);
    for (const command of ['list', 'reset', 'scenario']) expect(bare.stdout).toContain(`slipway sandbox ${command}`);
    for (const [command, text] of [
      ['list', /Usage: slipway sandbox list/],
      ['reset', /Usage: slipway sandbox reset .*--yes/],
      ['scenario', /crash-loop .*exits 1/],
    ] as const) {
      const help = await slipway(['sandbox', command, '--help'], env);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(text);
    }
    expect((await slipway(['--help'], env)).stdout).toMatch(/slipway sandbox <command>/);
  });

  it.each([
    [['sandbox', 'launch'], /Unknown sandbox command "launch"/],
    [['sandbox', 'list', '--region', 'us-east-1'], /Unknown option '--region'/],
    [['sandbox', 'list', 'extra'], /Unexpected argument "extra"/],
    [['sandbox', 'scenario', 'meltdown'], /"meltdown" is not a sandbox scenario[\s\S]*success, crash-loop, health-check-failing, out-of-memory, exec-format, stuck-pending, no-capacity/],
    [['sandbox', 'scenario', 'crash-loop', 'again'], /Unexpected argument "again"/],
    [['sandbox', 'scenario', 'crash-loop', '--sandbox-name', 'bad name'], /"bad name" is not a sandbox name/],
    [['sandbox', 'reset', '--sandbox-name', ''], /--sandbox-name needs a value/],
  ])('bad input %j: exit 2, a clear message, nothing written', async (args, message) => {
    const { env } = home();
    const run = await slipway(args, env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(existsSync(join(stateDir(env), 'sandbox'))).toBe(false);
  });

  it('scenario sets what the next rollout does, through the sandbox file; without a name it shows the current one', async () => {
    const { env } = home();
    const set = await slipway(['sandbox', 'scenario', 'out-of-memory', '--sandbox-name', 'drill'], env);
    expect(set.code).toBe(0);
    const sandbox = createSandbox({ name: 'drill', env });
    expect(sandbox.snapshot().scenario).toBe('out-of-memory');
    expect(set.stdout).toContain(`Sandbox "drill" (account ${sandbox.accountId}): scenario out-of-memory.`);
    expect(set.stdout).toContain(`The next rollout will ${SCENARIOS['out-of-memory']}.`);
    expect(set.stdout).toContain('slipway sandbox scenario success');
    const shown = await slipway(['sandbox', 'scenario', '--sandbox-name', 'drill'], env);
    expect(shown.stdout).toMatch(/^Sandbox "drill": scenario out-of-memory/);
    await slipway(['sandbox', 'scenario', 'success', '--sandbox-name', 'drill'], env);
    expect(createSandbox({ name: 'drill', env }).snapshot().scenario).toBe('success');
  });

  it('list: names, account ids, when made, sizes; --json for scripts', async () => {
    const { env } = home();
    expect((await slipway(['sandbox', 'list'], env)).stdout).toMatch(/No sandboxes yet/);
    const a = createSandbox({ name: 'alpha', env });
    const b = createSandbox({ name: 'beta.2', env });
    sandboxHome(env, 'alpha');
    const text = await slipway(['sandbox', 'list'], env);
    expect(text.code).toBe(0);
    const lines = text.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+ACCOUNT\s+CREATED\s+SIZE\s+REGISTRY$/);
    expect(lines[1]).toMatch(new RegExp(`^alpha\\s+${a.accountId}\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d\\s+\\d+(\\.\\d)? KiB\\s+none yet`));
    expect(lines[2]).toMatch(new RegExp(`^beta\\.2\\s+${b.accountId}\\s`));

    const json = await slipway(['sandbox', 'list', '--json'], env);
    const { sandboxes } = JSON.parse(json.stdout) as { sandboxes: { name: string; accountId: string; created: string; sizeBytes: number; scenario: string }[] };
    expect(sandboxes.map((s) => [s.name, s.accountId, s.scenario])).toEqual([
      ['alpha', a.accountId, 'success'],
      ['beta.2', b.accountId, 'success'],
    ]);
    expect(Math.abs(Date.parse(sandboxes[0]?.created ?? '') - Date.now())).toBeLessThan(60_000);
    expect(sandboxes[0]?.sizeBytes).toBeGreaterThan(sandboxes[1]?.sizeBytes ?? 0);
  });

  it('reset without --yes and without a terminal: exit 2 naming --yes, nothing deleted', async () => {
    const { env } = home();
    createSandbox({ name: 'keep', env });
    const run = await slipway(['sandbox', 'reset', '--sandbox-name', 'keep'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cannot ask you to confirm[\s\S]*slipway sandbox reset --sandbox-name keep --yes/);
    expect(existsSync(sandboxFile('keep', env))).toBe(true);
  });

  it('reset --yes deletes the account, its HOME, its registry and its unfinished rehearsals — nothing else', async () => {
    const { env } = home();
    const file = sandboxFile('default', env);
    createSandbox({ name: 'default', env });
    createSandbox({ name: 'other', env });
    const sandboxedHome = sandboxHome(env, 'default');
    const rehearsal = unfinishedRun(env, 'todo', 'default');
    const otherRehearsal = unfinishedRun(env, 'other', 'other');
    const realRun = unfinishedRun(env, 'real');
    let pid: number | undefined;
    if (registryBinary) {
      started.push(file);
      await ensureLocalRegistry(file, { binary: registryBinary });
      pid = readLocalRegistry(file)?.pid;
      expect(isAlive(pid ?? -1)).toBe(true);
    }
    const run = await slipway(['sandbox', 'reset', '--yes'], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Reset sandbox "default": deleted/);
    expect(run.stdout).toMatch(/the unfinished rehearsal publish \(sandbox default\) · todo/);
    expect(existsSync(file)).toBe(false);
    expect(existsSync(sandboxedHome)).toBe(false);
    expect(existsSync(localRegistryDir(file))).toBe(false);
    expect(existsSync(rehearsal)).toBe(false);
    if (pid !== undefined) {
      expect(run.stdout).toMatch(/its registry on 127\.0\.0\.1:\d+, stopped/);
      await waitUntil(() => !isAlive(pid ?? -1));
    }
    // Another sandbox, its rehearsals and real runs are not touched.
    expect(existsSync(sandboxFile('other', env))).toBe(true);
    expect(existsSync(otherRehearsal)).toBe(true);
    expect(existsSync(realRun)).toBe(true);
    expect((await slipway(['sandbox', 'reset', '--yes'], env)).stdout).toMatch(/There is no sandbox "default": nothing to reset/);
  }, 60_000);

  it('reset refuses, deleting nothing, while a rehearsal in that sandbox is running', async () => {
    const { env } = home();
    createSandbox({ name: 'default', env });
    const rehearsal = unfinishedRun(env, 'todo', 'default');
    // This test process plays the running rehearsal: it holds the journal's lock.
    writeFileSync(`${rehearsal}.lock`, String(process.pid));
    const run = await slipway(['sandbox', 'reset', '--yes'], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`Another slipway \\(pid ${process.pid}\\)`));
    expect(existsSync(sandboxFile('default', env))).toBe(true);
    expect(existsSync(rehearsal)).toBe(true);
  });

  it('reset --json: one object naming what was removed', async () => {
    const { env } = home();
    createSandbox({ name: 'default', env });
    const run = await slipway(['sandbox', 'reset', '--yes', '--json'], env);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'done', sandbox: 'default', removed: [expect.stringMatching(/^its account \d{12}/)] });
  });

  it.skipIf(!registryBinary)('a registry that was stopped meanwhile is listed as stopped and still removed by reset', async () => {
    const { env } = home();
    const file = sandboxFile('default', env);
    started.push(file);
    const registry = await ensureLocalRegistry(file, { binary: registryBinary ?? '' });
    createSandbox({ name: 'default', env, registry });
    expect((await slipway(['sandbox', 'list'], env)).stdout).toMatch(new RegExp(`${registry.endpoint.replace(/\./g, '\\.')} \\(running\\)`));
    await stopLocalRegistry(file);
    expect(await registryAnswers(registry)).toBe(false);
    expect((await slipway(['sandbox', 'list'], env)).stdout).toMatch(/\(stopped; restarted when needed\)/);
    expect((await slipway(['sandbox', 'reset', '--yes'], env)).code).toBe(0);
    expect(existsSync(localRegistryDir(file))).toBe(false);
  }, 60_000);
});

describe('slipway sandbox reset, asked in a terminal', () => {
  function io(env: NodeJS.ProcessEnv, answer: boolean) {
    const out: string[] = [];
    const asked: string[] = [];
    const value: SandboxCommandIo = { out: (t) => out.push(t), err: (t) => out.push(t), env, interactive: true, confirm: async (q) => (asked.push(q), answer) };
    return { value, out, asked };
  }

  it('a "no" deletes nothing and exits 130; a "yes" deletes', async () => {
    const { env } = home();
    createSandbox({ name: 'default', env });
    const rehearsal = unfinishedRun(env, 'todo', 'default');
    const no = io(env, false);
    expect(await runSandboxCommand(['sandbox', 'reset'], no.value)).toBe(130);
    expect(no.asked).toHaveLength(1);
    expect(no.out.join('')).toMatch(/Reset sandbox "default"\? This deletes:\n {2}- its account \d{12}[\s\S]*- the unfinished rehearsal publish \(sandbox default\)[\s\S]*Nothing was deleted/);
    expect(existsSync(sandboxFile('default', env))).toBe(true);
    expect(existsSync(rehearsal)).toBe(true);

    const yes = io(env, true);
    expect(await runSandboxCommand(['sandbox', 'reset'], yes.value)).toBe(0);
    expect(existsSync(sandboxFile('default', env))).toBe(false);
    expect(readdirSync(journalsDir(env)).filter((n) => n.endsWith('.json'))).toEqual([]);
  });
});

async function waitUntil(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
