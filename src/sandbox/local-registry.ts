import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, closeSync, constants, existsSync, mkdirSync, openSync, readFileSync, rmSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { writeFileAtomic } from '../engine/atomic-write.js';
import { SlipwayError } from '../engine/errors.js';
import { isAlive } from '../engine/lock.js';
import type { SandboxRegistry } from './state.js';
import type { Sandbox } from './store.js';

/**
 * A Docker registry that slipway starts for a sandbox, so `slipway publish --sandbox` really pushes
 * somewhere: Debian's `docker-registry` or Homebrew's `registry`, on 127.0.0.1 on a free port, with
 * filesystem storage and htpasswd auth (user AWS, as ECR's), detached so it outlives the run and is
 * reused by the next. Everything lives in `<sandbox>.registry/` beside the sandbox file; its pid, port
 * and password in `registry.json` there (0600).
 */
export interface LocalRegistryRecord {
  pid: number;
  port: number;
  endpoint: string;
  username: string;
  /** The registry's basic-auth password (the sandbox hands it out as the ECR login token). Never logged. */
  password: string;
  binary: string;
  startedAt: string;
}

export const REGISTRY_USER = 'AWS';
const READY_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;

/** Where a sandbox's own registry keeps its config, credentials, storage and log. */
export function localRegistryDir(sandboxFile: string): string {
  return `${sandboxFile.replace(/\.json$/, '')}.registry`;
}

function recordFile(dir: string): string {
  return join(dir, 'registry.json');
}

/**
 * The registry binary: `SLIPWAY_SANDBOX_REGISTRY_BINARY` when set (empty or "none": there is none),
 * else Debian's /usr/bin/docker-registry, else `registry` (Homebrew) or `docker-registry` on the PATH.
 */
export function findRegistryBinary(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const override = env.SLIPWAY_SANDBOX_REGISTRY_BINARY;
  if (override !== undefined) return override && override !== 'none' && executable(override) ? override : undefined;
  const dirs = [...(env.PATH ?? '').split(delimiter).filter(Boolean), '/opt/homebrew/bin', '/usr/local/bin'];
  const candidates = ['/usr/bin/docker-registry', ...dirs.flatMap((dir) => [join(dir, 'registry'), join(dir, 'docker-registry')])];
  return candidates.find(executable);
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The record of the registry started for this sandbox, if any (it may have died since). */
export function readLocalRegistry(sandboxFile: string): LocalRegistryRecord | undefined {
  try {
    const parsed = JSON.parse(readFileSync(recordFile(localRegistryDir(sandboxFile)), 'utf8')) as Partial<LocalRegistryRecord>;
    if (typeof parsed.port !== 'number' || typeof parsed.password !== 'string' || typeof parsed.endpoint !== 'string') return undefined;
    return parsed as LocalRegistryRecord;
  } catch {
    return undefined;
  }
}

/** Whether the registry's process is still there (no network: for listings). */
export function localRegistryRunning(record: LocalRegistryRecord, sandboxFile: string): boolean {
  return isAlive(record.pid) && isOurProcess(record.pid, sandboxFile);
}

/** Answers GET /v2/ with 200 for these credentials: it is up, and it is the one we think. */
export function registryAnswers(registry: SandboxRegistry, timeoutMs = 2_000): Promise<boolean> {
  const [host = '127.0.0.1', port = '0'] = splitEndpoint(registry.endpoint);
  return new Promise((resolve) => {
    const req = request(
      { host, port: Number(port), path: '/v2/', method: 'GET', timeout: timeoutMs, headers: { authorization: `Basic ${Buffer.from(`${registry.username}:${registry.password}`).toString('base64')}` } },
      (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

function splitEndpoint(endpoint: string): [string, string] {
  const at = endpoint.lastIndexOf(':');
  return [endpoint.slice(0, at).replace(/^\[|\]$/g, ''), endpoint.slice(at + 1)];
}

const toRegistry = (record: LocalRegistryRecord): SandboxRegistry => ({ endpoint: record.endpoint, username: record.username, password: record.password });

/**
 * Gives the sandbox's ECR somewhere to store images, when a flow needs it (publish). A registry the
 * person configured is left alone; the one slipway started is reused while it answers and restarted
 * (on the same port, so recorded image URIs stay valid) when it does not; without either, one is
 * started if a registry binary is installed. Without a binary nothing happens: the push step then
 * explains (see requireSandboxStorage). Returns the registry the sandbox now uses, if any.
 */
export async function prepareSandboxStorage(sandbox: Sandbox, env: NodeJS.ProcessEnv = process.env): Promise<SandboxRegistry | undefined> {
  const configured = sandbox.snapshot().ecr?.registry;
  if (!sandbox.file) return configured;
  const record = readLocalRegistry(sandbox.file);
  const ours = configured && record && configured.endpoint === record.endpoint && configured.password === record.password;
  if (configured && !ours) return configured;
  const binary = findRegistryBinary(env);
  if (!binary) {
    // Ours, but the binary is gone: still fine while it runs.
    if (ours && record && (await registryAnswers(toRegistry(record)))) return configured;
    return undefined;
  }
  const registry = await ensureLocalRegistry(sandbox.file, { binary, env });
  if (JSON.stringify(registry) !== JSON.stringify(configured)) {
    sandbox.update((state) => {
      state.ecr = { repositories: {}, ...state.ecr, registry };
    });
  }
  return registry;
}

/** The sandbox must have a registry before anything is pushed: else the push would go to a real ECR host. */
export function requireSandboxStorage(sandbox: Sandbox): void {
  if (!sandbox.snapshot().ecr?.registry) throw sandboxStorageMissing();
}

export function sandboxStorageMissing(): SlipwayError {
  return new SlipwayError('The sandbox has no registry to push the image to.', {
    why: 'The sandbox simulates ECR, but images are really pushed — to a Docker registry on this machine, which slipway starts itself when one is installed. None is installed (docker-registry on Debian/Ubuntu, registry on Homebrew), and none is configured.',
    fix: 'Install one: sudo apt-get install docker-registry (Debian/Ubuntu) or brew install registry (macOS), then run this again — or use a registry you run on this machine: SLIPWAY_SANDBOX_REGISTRY=127.0.0.1:5000 SLIPWAY_SANDBOX_REGISTRY_USER=<user> SLIPWAY_SANDBOX_REGISTRY_PASSWORD=<password>.',
  });
}

export interface EnsureOptions {
  binary: string;
  env?: NodeJS.ProcessEnv;
  /** How htpasswd entries are made: apache2-utils' htpasswd when installed, else bcryptjs. */
  hasher?: 'htpasswd' | 'bcryptjs';
}

/**
 * Reuses the sandbox's registry if it answers with its recorded credentials, else (re)starts it.
 * Serialized across processes by a lock file, so two slipways starting at once share one registry.
 */
export async function ensureLocalRegistry(sandboxFile: string, options: EnsureOptions): Promise<SandboxRegistry> {
  const dir = localRegistryDir(sandboxFile);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const release = await lockStart(join(dir, 'start.lock'));
  try {
    const record = readLocalRegistry(sandboxFile);
    if (record && (await registryAnswers(toRegistry(record)))) return toRegistry(record);
    // Up but not answering (hung, or its credentials changed): stopped before its port is taken again.
    if (record && isAlive(record.pid) && isOurProcess(record.pid, sandboxFile)) await stopAndWait(record.pid);
    return toRegistry(await startRegistry(dir, record, options));
  } finally {
    release();
  }
}

async function startRegistry(dir: string, previous: LocalRegistryRecord | undefined, options: EnsureOptions): Promise<LocalRegistryRecord> {
  const password = previous?.password ?? randomBytes(18).toString('base64url');
  const htpasswd = join(dir, 'htpasswd');
  if (!previous || !existsSync(htpasswd)) writeFileSync(htpasswd, `${await htpasswdEntry(REGISTRY_USER, password, options.hasher)}\n`, { mode: 0o600 });
  mkdirSync(join(dir, 'data'), { recursive: true, mode: 0o700 });
  const log = join(dir, 'registry.log');
  let lastProblem = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    // The previous port first: the sandbox's repository URIs (and journals that recorded them) name it.
    const wanted = attempt === 0 ? previous?.port : undefined;
    const port = wanted !== undefined && (await portFree(wanted)) ? wanted : await freePort();
    const config = join(dir, 'config.yml');
    writeFileSync(config, registryConfig(dir, port), { mode: 0o600 });
    const fd = openSync(log, 'a', 0o600);
    const child = spawn(options.binary, ['serve', config], {
      detached: true,
      stdio: ['ignore', fd, fd],
      cwd: dir,
      // Its own small environment: no proxies, no tracing exporters, nothing of the person's AWS.
      env: { PATH: options.env?.PATH ?? process.env.PATH ?? '/usr/bin:/bin', HOME: dir, OTEL_TRACES_EXPORTER: 'none', OTEL_SDK_DISABLED: 'true' },
    });
    closeSync(fd);
    let exited: number | null | undefined;
    let spawnError: Error | undefined;
    child.on('exit', (code) => (exited = code));
    child.on('error', (error) => (spawnError = error));
    child.unref();
    const record: LocalRegistryRecord = { pid: child.pid ?? -1, port, endpoint: `127.0.0.1:${port}`, username: REGISTRY_USER, password, binary: options.binary, startedAt: new Date().toISOString() };
    // Recorded at once: if this process dies now, the next one (or a reset) still finds and stops it.
    if (child.pid) writeFileAtomic(recordFile(dir), `${JSON.stringify(record, null, 2)}\n`, 0o600);
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline && exited === undefined && !spawnError) {
      if (await registryAnswers(toRegistry(record), 1_000)) return record;
      await sleep(100);
    }
    if (exited === undefined && !spawnError) await stopAndWait(record.pid);
    lastProblem = spawnError ? spawnError.message : `${exited === undefined ? 'it did not answer within 20 s' : `it exited (${exited})`}; last lines of ${log}:\n${tail(log)}`;
    // A port taken between choosing it and binding it: try another one.
    if (!/address already in use/i.test(lastProblem)) break;
  }
  throw new SlipwayError(`Could not start the sandbox's registry (${options.binary}).`, {
    why: lastProblem,
    fix: `Check ${log}; or run a registry yourself and give it to the sandbox with SLIPWAY_SANDBOX_REGISTRY=host:port, SLIPWAY_SANDBOX_REGISTRY_USER and SLIPWAY_SANDBOX_REGISTRY_PASSWORD.`,
  });
}

function registryConfig(dir: string, port: number): string {
  return [
    'version: 0.1',
    'log:',
    '  level: warn',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${JSON.stringify(join(dir, 'data'))}`,
    // A forced DeleteRepository deletes the images too, as in ECR.
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    'auth:',
    '  htpasswd:',
    '    realm: slipway-sandbox',
    `    path: ${JSON.stringify(join(dir, 'htpasswd'))}`,
    '',
  ].join('\n');
}

/** A bcrypt htpasswd line (the registry accepts nothing else), the password never on a command line. */
export async function htpasswdEntry(user: string, password: string, hasher?: 'htpasswd' | 'bcryptjs'): Promise<string> {
  if (hasher !== 'bcryptjs') {
    try {
      return execFileSync('htpasswd', ['-niB', user], { input: password, encoding: 'utf8', stdio: ['pipe', 'pipe', 'ignore'] }).trim();
    } catch (error) {
      if (hasher === 'htpasswd') throw error;
    }
  }
  const { default: bcrypt } = await import('bcryptjs');
  return `${user}:${bcrypt.hashSync(password, 10)}`;
}

/** Stops the sandbox's registry, if slipway started one and it still runs; keeps its files. */
export async function stopLocalRegistry(sandboxFile: string): Promise<boolean> {
  const record = readLocalRegistry(sandboxFile);
  if (!record || !isAlive(record.pid) || !isOurProcess(record.pid, sandboxFile)) return false;
  await stopAndWait(record.pid);
  return true;
}

async function stopAndWait(pid: number): Promise<void> {
  stopProcess(pid);
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (isAlive(pid) && !isZombie(pid) && Date.now() < deadline) await sleep(50);
  if (isAlive(pid) && !isZombie(pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone meanwhile.
    }
  }
}

function stopProcess(pid: number): void {
  if (pid <= 0 || !isAlive(pid)) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    // Gone meanwhile.
  }
}

/** The process serves this sandbox's registry config (its command line names the config file). */
function isOurProcess(pid: number, sandboxFile: string): boolean {
  const config = join(localRegistryDir(sandboxFile), 'config.yml');
  let commandLine = '';
  try {
    commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    try {
      commandLine = execFileSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    } catch {
      return false;
    }
  }
  return commandLine.includes(config);
}

/** A child of this very process that has exited but is not reaped yet still answers kill(0). */
function isZombie(pid: number): boolean {
  try {
    return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Deletes the registry's folder (storage, config, credentials, log), stopping it first. */
export async function removeLocalRegistry(sandboxFile: string): Promise<boolean> {
  const stopped = await stopLocalRegistry(sandboxFile);
  const dir = localRegistryDir(sandboxFile);
  const existed = existsSync(dir);
  rmSync(dir, { recursive: true, force: true });
  return stopped || existed;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** One starter at a time: O_EXCL lock file with the owner's pid; a dead owner's lock is taken over. */
async function lockStart(path: string): Promise<() => void> {
  const deadline = Date.now() + READY_TIMEOUT_MS + 5_000;
  for (;;) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number.parseInt(readFileSafe(path), 10);
    if (!Number.isInteger(owner) || owner <= 0 || !isAlive(owner)) {
      try {
        unlinkSync(path);
      } catch {
        // Someone else took it over first.
      }
      continue;
    }
    if (Date.now() > deadline) throw new SlipwayError(`Another slipway (pid ${owner}) is starting the sandbox's registry and has not finished.`, { fix: `Wait for it, or stop it (kill ${owner}) and run this again.` });
    await sleep(100);
  }
}

function readFileSafe(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function tail(path: string, lines = 15): string {
  return readFileSafe(path).trimEnd().split('\n').slice(-lines).join('\n');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
