import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startCorrectionProxy, type CorrectionProxy } from './moto-corrections.js';
import { tempHome } from './temp-home.js';

/**
 * slipway's flows against an AWS slipway did not write: moto 4.1.4 (../shared/tools/moto) with aws-sim
 * in front of it (ECS deployments that progress, one-off tasks that run, ECR answered from the real
 * registry that `docker push` fills), and this project's correction proxy (moto-corrections.ts) in
 * front of both. One trio per test file, on free ports; `reset()` between tests.
 *
 *   test file ──HTTP──▶ correction proxy ──▶ aws-sim ──▶ moto
 *   node dist/slipway.js (AWS_ENDPOINT_URL = the proxy)
 *
 * `.ci/moto-env.sh` prepares the machine (ECR host in /etc/hosts, the registry on :80, moto's python
 * packages). Missing pieces skip these tests locally with the reason, and fail them under CI=true.
 */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
export const ECR_HOST = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com`;
const ECR_AUTH = `AWS:${ACCOUNT}-auth-token`;
const BINARY = join(ROOT, 'dist', 'slipway.js');
/** moto-server installs moto's packages for Debian's python3; a python3 earlier on PATH (pyenv) may lack them. */
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

function sharedTools(): string | undefined {
  const candidates = [process.env.SLIPWAY_SHARED_TOOLS, resolve(ROOT, '..', 'shared', 'tools'), '/work/shared/tools'];
  return candidates.find((dir): dir is string => Boolean(dir) && existsSync(join(dir as string, 'moto', 'moto-server')) && existsSync(join(dir as string, 'aws-sim', 'aws_sim.py')));
}

/** What is missing for these tests on this machine, or an empty list. */
export function motoAwsMissing(needs: { docker?: boolean; tmux?: boolean } = {}): string[] {
  const missing: string[] = [];
  if (!sharedTools()) missing.push('../shared/tools/moto and aws-sim (or SLIPWAY_SHARED_TOOLS)');
  const py = spawnSync(PYTHON, ['-c', 'import boto3, werkzeug, flask, flask_cors, responses, jinja2, jose, sshpubkeys, xmltodict, yaml, dateutil, jsondiff'], { encoding: 'utf8' });
  if (py.status !== 0) missing.push("moto's python packages (`../shared/tools/moto/moto-server start` installs them)");
  if (needs.docker) {
    if (spawnSync('docker', ['version', '--format', '{{.Server.Version}}'], { encoding: 'utf8' }).status !== 0) missing.push('a Docker daemon');
    const reg = spawnSync('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '--max-time', '3', '-u', ECR_AUTH, `http://${ECR_HOST}/v2/`], { encoding: 'utf8' });
    if (reg.stdout !== '200') missing.push(`the ECR stand-in registry at http://${ECR_HOST} (source .ci/moto-env.sh)`);
    if (!['/bin/busybox', '/usr/bin/busybox'].some((p) => existsSync(p))) missing.push('busybox-static');
  }
  if (needs.tmux && spawnSync('tmux', ['-V']).status !== 0) missing.push('tmux');
  return missing;
}

/**
 * `describe` for a file of moto tests: skipped locally with a clear message when something is missing,
 * and a failing test instead under CI=true (like the Docker tests).
 */
export function describeMoto(name: string, needs: { docker?: boolean; tmux?: boolean }, body: () => void): void {
  const missing = motoAwsMissing(needs);
  if (missing.length && (process.env.CI === 'true' || process.env.CI === '1')) {
    it(`${name}: has moto, aws-sim and what they need (required when CI=true)`, () => {
      expect.fail(`missing: ${missing.join('; ')}. Run \`source .ci/docker-env.sh && source .ci/moto-env.sh\`.`);
    });
    return;
  }
  if (missing.length) console.warn(`${name}: SKIPPED against moto + aws-sim — missing: ${missing.join('; ')}. Run \`source .ci/docker-env.sh && source .ci/moto-env.sh\`.`);
  describe.skipIf(missing.length > 0)(name, body);
}

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const server = createServer();
    server.on('error', rej);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => res(port));
    });
  });
}

async function waitForHttp(url: string, ms: number, what: string, log?: () => string): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`${what} did not answer at ${url} within ${ms} ms${log ? `:\n${log()}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export interface CallLogEntry {
  t: number;
  service: string;
  operation: string;
  status: number;
  error?: string;
  corrected?: string;
}

export type Scenario = { service?: string; outcome: 'ok' | 'pull-error' | 'crash' | 'unhealthy' | 'stuck-pending'; after?: number; linger?: number; failedTasks?: number };

export interface MotoAws {
  /** What slipway and the test's SDK clients talk to (the correction proxy). */
  endpoint: string;
  sim: string;
  moto: string;
  proxy: CorrectionProxy;
  reset(): Promise<void>;
  callLog(): Promise<CallLogEntry[]>;
  scenario(s: Scenario): Promise<void>;
  stop(): Promise<void>;
}

/** moto + aws-sim (+ the correction proxy) on free ports. */
export async function startMotoAws(options: { runTasks?: 'sim' | 'docker'; after?: number } = {}): Promise<MotoAws> {
  const tools = sharedTools();
  if (!tools) throw new Error('moto and aws-sim not found');
  const motoPort = await freePort();
  const start = spawnSync(join(tools, 'moto', 'moto-server'), ['start', String(motoPort)], { encoding: 'utf8', timeout: 600_000 });
  if (start.status !== 0) throw new Error(`moto-server start ${motoPort}: ${start.stderr}`);
  const moto = `http://127.0.0.1:${motoPort}`;
  const simPort = await freePort();
  const sim = `http://127.0.0.1:${simPort}`;
  const args = [join(tools, 'aws-sim', 'aws_sim.py'), '--port', String(simPort), '--upstream', moto, '--registry', `http://${ECR_HOST}`, '--registry-auth', ECR_AUTH, '--run-tasks', options.runTasks ?? 'sim', '--after', String(options.after ?? 2)];
  if (process.env.SLIPWAY_ECR_REGISTRY_DATA) args.push('--registry-data', process.env.SLIPWAY_ECR_REGISTRY_DATA);
  let simOutput = '';
  const simProc: ChildProcess = spawn(PYTHON, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  simProc.stdout?.on('data', (d: Buffer) => (simOutput += d.toString()));
  simProc.stderr?.on('data', (d: Buffer) => (simOutput += d.toString()));
  await waitForHttp(`${sim}/_sim/health`, 20_000, 'aws-sim', () => simOutput);
  const proxy = await startCorrectionProxy(sim);
  const post = async (path: string, body?: unknown, method = 'POST') => {
    const res = await fetch(`${sim}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  };
  return {
    endpoint: proxy.endpoint,
    sim,
    moto,
    proxy,
    async reset() {
      await post('/moto-api/reset'); // through aws-sim: clears moto and the simulated ECS state
      await post('/_sim/reset');
      await post('/_sim/calls/reset');
      proxy.reset();
    },
    async callLog() {
      const res = await fetch(`${sim}/_sim/calls/log`);
      return ((await res.json()) as { entries: CallLogEntry[] }).entries;
    },
    scenario: (s) => post('/_sim/scenario', { service: '*', ...s }),
    async stop() {
      await proxy.close();
      simProc.kill('SIGTERM');
      spawnSync(join(tools, 'moto', 'moto-server'), ['stop', String(motoPort)]);
    },
  };
}

/** One moto + aws-sim for the test file, reset before each test (unless `resetEach: false`: the tests build on each other). */
export function useMotoAws(options: Parameters<typeof startMotoAws>[0] & { resetEach?: boolean } = {}): () => MotoAws {
  let aws: MotoAws | undefined;
  beforeAll(async () => {
    aws = await startMotoAws(options);
  }, 600_000);
  beforeEach(async () => {
    if (options.resetEach !== false) await aws?.reset();
  });
  afterAll(async () => {
    await aws?.stop();
  });
  return () => {
    if (!aws) throw new Error('moto + aws-sim did not start');
    return aws;
  };
}

// ---- credential sources ------------------------------------------------------------------------

export type CredentialSource = 'env-keys' | 'default-profile' | 'named-profile' | 'role-mfa-profile';
export const CREDENTIAL_SOURCES: CredentialSource[] = ['env-keys', 'default-profile', 'named-profile', 'role-mfa-profile'];

/** The starting user's keys. moto accepts any key; the account is always 123456789012. */
/** The keys tests read moto's state with (moto takes any), apart from the starting credentials slipway runs with. */
const READER = { accessKeyId: 'AKIATESTREADER000001', secretAccessKey: 'x' };

/** An SDK client that reads what slipway made, at `endpoint`: `motoClient(endpoint, ECSClient)`. */
export function motoClient<T>(endpoint: string, make: new (config: { endpoint: string; region: string; credentials: typeof READER }) => T): T {
  return new make({ endpoint, region: REGION, credentials: READER });
}

const KEY_ID = 'AKIAMOTOSTARTER00001';
const SECRET = 'moto-starter-secret-key-000000000000000';

export interface MotoHome {
  home: string;
  env: NodeJS.ProcessEnv;
  /** Flags that select the credential source (`--profile …`). */
  flags: string[];
  source: CredentialSource;
  cleanup(): void;
}

/**
 * A temporary HOME whose ~/.aws files (0600) or environment give slipway `source` as its starting
 * credentials, and the environment of a non-interactive child pointed at `endpoint`.
 *
 * - env-keys: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, no files;
 * - default-profile: `[default]` in ~/.aws/credentials, region in ~/.aws/config;
 * - named-profile: `[ops]` only, chosen with `--profile ops`;
 * - role-mfa-profile: `[profile admin]` with role_arn + mfa_serial + source_profile = base, chosen
 *   with `--profile admin`; the code comes from SLIPWAY_MFA_CODE (moto accepts any code).
 */
export function motoHome(endpoint: string, source: CredentialSource): MotoHome {
  const made = tempHome();
  const aws = join(made.home, '.aws');
  mkdirSync(aws, { recursive: true, mode: 0o700 });
  const write = (file: string, text: string) => {
    writeFileSync(join(aws, file), text, { mode: 0o600 });
    chmodSync(join(aws, file), 0o600);
  };
  const keys = `aws_access_key_id = ${KEY_ID}\naws_secret_access_key = ${SECRET}\n`;
  const env: NodeJS.ProcessEnv = {
    ...made.env,
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: REGION,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    DOCKER_CONFIG: join(made.home, '.docker'),
    NO_COLOR: '1',
    CI: 'true',
    SLIPWAY_DEBUG: '1', // a failure's stack trace, for the assertion message
  };
  delete env.SLIPWAY_MFA_CODE;
  let flags: string[] = [];
  switch (source) {
    case 'env-keys':
      env.AWS_ACCESS_KEY_ID = KEY_ID;
      env.AWS_SECRET_ACCESS_KEY = SECRET;
      break;
    case 'default-profile':
      write('credentials', `[default]\n${keys}`);
      write('config', `[default]\nregion = ${REGION}\n`);
      break;
    case 'named-profile':
      write('credentials', `[ops]\n${keys}`);
      write('config', `[profile ops]\nregion = ${REGION}\n`);
      flags = ['--profile', 'ops'];
      break;
    case 'role-mfa-profile':
      write('credentials', `[base]\n${keys}`);
      write('config', `[profile base]\nregion = ${REGION}\n\n[profile admin]\nrole_arn = arn:aws:iam::${ACCOUNT}:role/starter-admin\nmfa_serial = arn:aws:iam::${ACCOUNT}:mfa/starter\nsource_profile = base\nregion = ${REGION}\n`);
      env.SLIPWAY_MFA_CODE = '123456';
      flags = ['--profile', 'admin'];
      break;
  }
  return { home: made.home, env, flags, source, cleanup: made.cleanup };
}

// ---- the built binary --------------------------------------------------------------------------

export interface SlipwayRun {
  args: string[];
  code: number | null;
  stdout: string;
  stderr: string;
  /** The `--json` result object, when one was printed. */
  json?: SlipwayResult;
}
export interface SlipwayResult {
  flow: string;
  status: string;
  exitCode: number;
  resumed: boolean;
  outputs: Record<string, Record<string, unknown>>;
  failures: { stepId: string; title: string; error: { message: string; why?: string; fix?: string } }[];
  summary: string[];
}

/** `node dist/slipway.js ARGS` in `cwd`; resolves when it exits (killed after `timeoutMs`). */
export async function runSlipway(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<SlipwayRun> {
  const child = spawn(process.execPath, [BINARY, ...args], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 240_000);
  const code = await new Promise<number | null>((res) => child.on('close', (c) => res(c)));
  clearTimeout(timer);
  let json: SlipwayResult | undefined;
  const line = stdout.trim().split('\n').pop();
  if (args.includes('--json') && line?.startsWith('{')) {
    try {
      json = JSON.parse(line) as SlipwayResult;
    } catch {
      /* not a result line */
    }
  }
  return { args, code, stdout, stderr, json };
}

/** For assertion messages: the run's output, shortened. */
export function explain(run: SlipwayRun): string {
  return `slipway ${run.args.join(' ')} → exit ${run.code}\n--- stderr (tail) ---\n${run.stderr.slice(-4000)}\n--- stdout (tail) ---\n${run.stdout.slice(-2000)}`;
}

// ---- the count .ci/run prints --------------------------------------------------------------------

/**
 * Records flows that ran against moto + aws-sim and whose assertions passed, one JSON line each, in
 * SLIPWAY_MOTO_SUMMARY (set by .ci/run, which counts them). Call it at the end of a test.
 */
export function recordFlows(file: string, flows: { flow: string; source: CredentialSource | 'sandbox'; note?: string }[]): void {
  const summary = process.env.SLIPWAY_MOTO_SUMMARY;
  if (!summary) return;
  for (const f of flows) appendFileSync(summary, `${JSON.stringify({ file, ...f, passed: true })}\n`);
}
