import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Journal } from '../../src/engine/journal.js';
import { journalsDir } from '../../src/engine/paths.js';
import { FakeSts } from '../support/fake-sts.js';
import { useTempHomes } from '../support/temp-home.js';

const BIN = join(process.cwd(), 'dist', 'slipway.js');
const ACCOUNT = '210987654321';

let sts: FakeSts;
let endpoint: string;
beforeAll(async () => {
  sts = new FakeSts();
  sts.users.set('AKIAFAKEBINARY000001', { accessKeyId: 'AKIAFAKEBINARY000001', arn: `arn:aws:iam::${ACCOUNT}:user/bob` });
  sts.users.set('AKIAFAKEROOT00000001', { accessKeyId: 'AKIAFAKEROOT00000001', arn: `arn:aws:iam::${ACCOUNT}:root` });
  endpoint = await sts.start();
});
afterAll(() => sts.stop());
const home = useTempHomes();

/** Async, so the fake STS in this process can answer while the binary runs. No TTY: non-interactive mode. */
async function slipway(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr };
}

describe('the built binary', async () => {
  it('exists (built by the global setup)', async () => {
    expect(existsSync(BIN)).toBe(true);
  });

  it('--help and --version', async () => {
    const { env } = home();
    const help = await slipway(['--help'], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage:/);
    expect(help.stdout).toMatch(/Exit codes: 0 done, 1 a step failed, 2 bad input or usage, 3 a plan found\nchanges \(only when asked for\), 130 cancelled/);
    const version = await slipway(['--version'], env);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^slipway \d+\.\d+\.\d+$/);
  });

  it('a reader that closes the pipe early (`slipway --help | true`) ends it quietly with 0, not an EPIPE crash', () => {
    const { env } = home();
    for (let i = 0; i < 3; i++) {
      const piped = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" --help | true; echo "code=\${PIPESTATUS[0]}"`], { env, encoding: 'utf8' });
      expect(piped.stdout.trim()).toBe('code=0');
      expect(piped.stderr).not.toMatch(/EPIPE|Unhandled/);
    }
  });

  it.each([
    [['--bogus'], /Unknown option '--bogus'/],
    [['launch'], /Unknown command "launch"/],
    [['doctor', 'extra'], /Unexpected argument "extra"/],
    [['doctor', '--region'], /argument missing|needs a value/],
    [['doctor', '--region', 'mars-1'], /--region: "mars-1" is not an AWS region/],
    [['doctor', '--endpoint-url', 'nope'], /--endpoint-url: "nope" is not a URL/],
    [['doctor', '--profile', 'has space'], /is not a profile name/],
    [['doctor', '--list'], /--list only goes with `slipway resume`/],
    [['resume', '7'], /no unfinished run number 7/],
    [['doctor', '--answers', '/nonexistent.json'], /Cannot read the answers file/],
    [['bootstrap', '--account-alias', 'x'], /--account-alias x: An account alias is 3–63/],
    [['bootstrap', '--user-name', 'has space'], /--user-name has space: A user name may use letters/],
    [['bootstrap', '--profile-name', 'default'], /never writes a \[default\] profile/],
    [['bootstrap', '--console-password', 'maybe'], /expected yes or no/],
    [['bootstrap', '--key-pair', '../evil'], /A key pair name may use/],
    [['bootstrap', '--role-name', 'x'.repeat(65)], /at most 64 characters/],
    [['bootstrap', '--sandbox-name', 'bad name'], /is not a sandbox name/],
    [['doctor', '--user-name', 'alice'], /Unknown option '--user-name'/],
  ])('bad input %j exits 2 with a clear message and writes nothing', async (args, message) => {
    const h = home();
    const run = await slipway(args, h.env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(existsSync(journalsDir(h.env))).toBe(false);
  });

  it('a malformed answers file is refused', async () => {
    const h = home();
    const file = join(h.home, 'answers.json');
    writeFileSync(file, '{"region": ');
    const run = await slipway(['doctor', '--answers', file], h.env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/not valid JSON/);
  });

  it('doctor --json: one result object; identity comes from STS at AWS_ENDPOINT_URL', async () => {
    const h = home();
    const env = { ...h.env, AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: 'AKIAFAKEBINARY000001', AWS_SECRET_ACCESS_KEY: 'y'.repeat(40), AWS_REGION: 'eu-west-1' };
    const run = await slipway(['doctor', '--json'], env);
    const result = JSON.parse(run.stdout) as { status: string; exitCode: number; outputs: Record<string, Record<string, unknown>>; failures: { stepId: string }[] };
    expect(result.outputs.identity).toEqual({ account: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/bob`, root: false });
    expect(result.outputs.region).toEqual({ region: 'eu-west-1', source: 'AWS_REGION' });
    expect(result.outputs.credentials).toMatchObject({ keyId: '…0001', temporary: false });
    // Docker may or may not be here; the exit code must agree with the failures either way.
    expect(run.code).toBe(result.failures.length === 0 ? 0 : 1);
    expect(result.exitCode).toBe(run.code);
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
    expect(run.stdout + run.stderr).not.toContain('y'.repeat(40));
  });

  it('doctor warns loudly about root credentials', async () => {
    const h = home();
    const env = { ...h.env, AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: 'AKIAFAKEROOT00000001', AWS_SECRET_ACCESS_KEY: 'z'.repeat(40), AWS_REGION: 'us-east-1' };
    const run = await slipway(['doctor', '--plain'], env);
    expect(run.stdout).toMatch(/warn: These are the ROOT user’s credentials/);
  });

  it('doctor without credentials fails those checks with a fix, and exits 1', async () => {
    const h = home();
    const run = await slipway(['doctor'], { ...h.env, AWS_REGION: 'us-east-1' });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/x AWS credentials found — .*Could not load credentials/);
    expect(run.stdout).toMatch(/fix: Pass --profile/);
  });

  it('doctor flags ~/.aws files others can read', async () => {
    const h = home();
    mkdirSync(join(h.home, '.aws'), { recursive: true });
    writeFileSync(join(h.home, '.aws', 'config'), '[default]\nregion = us-east-1\n');
    chmodSync(join(h.home, '.aws', 'config'), 0o644);
    const run = await slipway(['doctor', '--json'], h.env);
    const result = JSON.parse(run.stdout) as { failures: { stepId: string; error: { fix: string } }[]; outputs: Record<string, unknown> };
    expect(result.failures.find((f) => f.stepId === 'aws-files')?.error.fix).toBe(`chmod 600 ${join(h.home, '.aws', 'config')} && chmod 700 ${join(h.home, '.aws')}`);
    expect(result.outputs.region).toEqual({ region: 'us-east-1', source: 'profile' });
  });

  it('resume: lists, resumes by number, discards; the JSON listing is machine-readable', async () => {
    const h = home();
    const steps = [{ id: 'node', title: 'Node.js version' }];
    // An unfinished run of a flow this build knows, and one of a flow it does not.
    const known = Journal.open('doctor', { region: 'us-east-1' }, steps, { env: h.env }).journal;
    known.close();
    const list = await slipway(['resume', '--list', '--json'], h.env);
    expect(list.code).toBe(0);
    const { runs } = JSON.parse(list.stdout) as { runs: { flow: string; reached: string }[] };
    expect(runs).toEqual([expect.objectContaining({ flow: 'doctor', reached: 'Node.js version' })]);
    const text = await slipway(['resume', '--list'], h.env);
    expect(text.stdout).toMatch(/^1\. doctor · us-east-1 · 0\/1 done, at "Node.js version"/m);

    const discard = await slipway(['resume', '1', '--discard'], h.env);
    expect(discard.code).toBe(0);
    expect(discard.stdout).toMatch(/Discarded/);
    expect(readdirSync(journalsDir(h.env)).filter((n) => n.endsWith('.json'))).toEqual([]);
    expect((await slipway(['resume'], h.env)).stdout).toMatch(/No unfinished runs/);
  });

  it('home screen in non-interactive mode lists flows and runs', async () => {
    const h = home();
    const run = await slipway(['--json'], h.env);
    expect(run.code).toBe(0);
    const listing = JSON.parse(run.stdout) as { flows: { name: string }[]; runs: unknown[] };
    expect(listing.flows.map((f) => f.name)).toEqual(['bootstrap', 'publish', 'rollout', 'status', 'run', 'teardown', 'doctor']);
    expect(listing.runs).toEqual([]);
  });

  it('a run started in the sandbox is resumed in the sandbox, never against the real account', async () => {
    const h = home();
    const first = await slipway(['bootstrap', '--sandbox-name', 'rehearsal', '--user-name', 'carol', '--profile-name', 'carol', '--console-password', 'no', '--yes'], h.env);
    // Non-interactive: it gets as far as the MFA device, which needs a person.
    expect(first.code).toBe(1);
    expect(first.stdout).toMatch(/needs a person with an authenticator app/);
    const listed = await slipway(['resume', '--list'], h.env);
    expect(listed.stdout).toMatch(/^1\. bootstrap \(sandbox rehearsal\)/m);
    // No --sandbox-name now, and no AWS credentials at all: the resume still talks to the sandbox.
    const resumed = await slipway(['resume', '1'], h.env);
    expect(resumed.stdout).toMatch(/resuming an unfinished run/);
    expect(resumed.stdout).toMatch(/IAM user in both groups — already done, confirmed/);
    expect(resumed.stdout).not.toMatch(/Could not load credentials/);
  });
});
