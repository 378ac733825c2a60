import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  ensureLocalRegistry,
  findRegistryBinary,
  localRegistryDir,
  prepareSandboxStorage,
  readLocalRegistry,
  registryAnswers,
  removeLocalRegistry,
  requireSandboxStorage,
  stopLocalRegistry,
} from '../../src/sandbox/local-registry.js';
import { createSandbox } from '../../src/sandbox/store.js';
import { isAlive } from '../../src/engine/lock.js';
import { SlipwayError } from '../../src/engine/errors.js';

/**
 * The registry slipway starts for a sandbox, with the real binary (Debian's docker-registry, or
 * Homebrew's registry): started on loopback with htpasswd auth, reused, restarted on the same port
 * with its storage intact, stopped.
 */
const binary = findRegistryBinary({ PATH: process.env.PATH });
const inCi = process.env.CI === 'true';
if (!binary && inCi) {
  it('has a registry binary (required when CI=true)', () => {
    expect.fail('No docker-registry (Debian: apt-get install docker-registry) or registry (Homebrew) found, and CI=true.');
  });
} else if (!binary) {
  console.warn('test/sandbox/local-registry.test.ts: SKIPPED the registry tests — no docker-registry (apt-get install docker-registry) or registry (brew install registry) on this machine.');
}

const work = mkdtempSync(join(tmpdir(), 'slipway-local-registry-'));
const started: string[] = [];
afterAll(async () => {
  for (const file of started) await stopLocalRegistry(file);
  rmSync(work, { recursive: true, force: true });
});

let count = 0;
function sandboxFile(): string {
  const file = join(work, `s${++count}.json`);
  started.push(file);
  return file;
}

describe('finding the registry binary', () => {
  it('honours SLIPWAY_SANDBOX_REGISTRY_BINARY, including "none"', () => {
    expect(findRegistryBinary({ SLIPWAY_SANDBOX_REGISTRY_BINARY: 'none', PATH: process.env.PATH })).toBeUndefined();
    expect(findRegistryBinary({ SLIPWAY_SANDBOX_REGISTRY_BINARY: '/nonexistent/registry' })).toBeUndefined();
    expect(findRegistryBinary({ SLIPWAY_SANDBOX_REGISTRY_BINARY: process.execPath })).toBe(process.execPath);
  });

  it.skipIf(!existsSync('/usr/bin/docker-registry'))("finds Debian's /usr/bin/docker-registry", () => {
    expect(findRegistryBinary({ PATH: '' })).toBe('/usr/bin/docker-registry');
  });
});

describe('without a registry binary', () => {
  it('prepares nothing, and the push is refused with a fix naming both installs and SLIPWAY_SANDBOX_REGISTRY', async () => {
    const sandbox = createSandbox({ file: join(work, 'none.json') });
    expect(await prepareSandboxStorage(sandbox, { SLIPWAY_SANDBOX_REGISTRY_BINARY: 'none' })).toBeUndefined();
    expect(existsSync(localRegistryDir(join(work, 'none.json')))).toBe(false);
    let error: unknown;
    try {
      requireSandboxStorage(sandbox);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SlipwayError);
    expect((error as SlipwayError).fix).toMatch(/apt-get install docker-registry/);
    expect((error as SlipwayError).fix).toMatch(/brew install registry/);
    expect((error as SlipwayError).fix).toMatch(/SLIPWAY_SANDBOX_REGISTRY=/);
  });

  it('leaves a registry the person configured alone', async () => {
    const configured = { endpoint: '127.0.0.1:5999', username: 'AWS', password: 'given' };
    const sandbox = createSandbox({ file: join(work, 'configured.json'), registry: configured });
    expect(await prepareSandboxStorage(sandbox, { SLIPWAY_SANDBOX_REGISTRY_BINARY: binary ?? 'none', PATH: process.env.PATH })).toEqual(configured);
    expect(existsSync(localRegistryDir(join(work, 'configured.json')))).toBe(false);
    expect(() => requireSandboxStorage(sandbox)).not.toThrow();
  });
});

describe.skipIf(!binary)('the sandbox registry, with the real binary', () => {
  afterEach(async () => {
    // Each test stops what it started, so a failure leaves no registry running.
    for (const file of started) await stopLocalRegistry(file);
  });

  it('starts on 127.0.0.1 with htpasswd auth; pid, port and password in a 0600 file; reused while it answers', async () => {
    const file = sandboxFile();
    const registry = await ensureLocalRegistry(file, { binary: binary ?? '' });
    expect(registry.endpoint).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(registry.username).toBe('AWS');
    expect(await registryAnswers(registry)).toBe(true);
    expect(await registryAnswers({ ...registry, password: 'wrong' })).toBe(false);
    expect(await status(registry.endpoint)).toBe(401);

    const dir = localRegistryDir(file);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'registry.json')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'htpasswd')).mode & 0o777).toBe(0o600);
    const record = readLocalRegistry(file);
    expect(record).toMatchObject({ endpoint: registry.endpoint, password: registry.password, binary });
    expect(isAlive(record?.pid ?? -1)).toBe(true);
    expect(readFileSync(join(dir, 'config.yml'), 'utf8')).toContain(`addr: ${registry.endpoint}`);

    const again = await ensureLocalRegistry(file, { binary: binary ?? '' });
    expect(again).toEqual(registry);
    expect(readLocalRegistry(file)?.pid).toBe(record?.pid);
  }, 60_000);

  it('restarts a dead registry on the same port, with the same password and its images still there', async () => {
    const file = sandboxFile();
    const registry = await ensureLocalRegistry(file, { binary: binary ?? '' });
    const blob = Buffer.from(`layer ${Date.now()}`);
    const digest = `sha256:${createHash('sha256').update(blob).digest('hex')}`;
    await uploadBlob(registry, 'app', blob, digest);
    const first = readLocalRegistry(file)?.pid ?? -1;
    process.kill(first, 'SIGKILL');
    await waitUntil(() => !isAlive(first));
    expect(await registryAnswers(registry)).toBe(false);

    const restarted = await ensureLocalRegistry(file, { binary: binary ?? '' });
    expect(restarted).toEqual(registry);
    expect(readLocalRegistry(file)?.pid).not.toBe(first);
    expect(await status(registry.endpoint, `/v2/app/blobs/${digest}`, registry, 'HEAD')).toBe(200);
  }, 60_000);

  it('two starts at once share one registry', async () => {
    const file = sandboxFile();
    const [a, b] = await Promise.all([ensureLocalRegistry(file, { binary: binary ?? '' }), ensureLocalRegistry(file, { binary: binary ?? '' })]);
    expect(a).toEqual(b);
    expect(await registryAnswers(a)).toBe(true);
  }, 60_000);

  it('works with a bcryptjs htpasswd entry too (no apache2-utils)', async () => {
    const file = sandboxFile();
    const registry = await ensureLocalRegistry(file, { binary: binary ?? '', hasher: 'bcryptjs' });
    expect(readFileSync(join(localRegistryDir(file), 'htpasswd'), 'utf8')).toMatch(/^AWS:\$2[aby]\$10\$/);
    expect(await registryAnswers(registry)).toBe(true);
  }, 60_000);

  it('prepareSandboxStorage gives the sandbox its registry (the ECR token is its password); stop and remove end it', async () => {
    const file = sandboxFile();
    const sandbox = createSandbox({ file });
    const env = { PATH: process.env.PATH, SLIPWAY_SANDBOX_REGISTRY_BINARY: binary };
    const registry = await prepareSandboxStorage(sandbox, env);
    expect(registry?.endpoint).toMatch(/^127\.0\.0\.1:\d+$/);
    // Another process opening the same file sees it.
    expect(createSandbox({ file }).snapshot().ecr?.registry).toEqual(registry);
    expect(() => requireSandboxStorage(sandbox)).not.toThrow();
    // Prepared again: the same registry, not a second one.
    const pid = readLocalRegistry(file)?.pid;
    expect(await prepareSandboxStorage(sandbox, env)).toEqual(registry);
    expect(readLocalRegistry(file)?.pid).toBe(pid);

    expect(await stopLocalRegistry(file)).toBe(true);
    await waitUntil(() => !isAlive(pid ?? -1));
    expect(await stopLocalRegistry(file)).toBe(false);
    expect(await removeLocalRegistry(file)).toBe(true);
    expect(existsSync(localRegistryDir(file))).toBe(false);
  }, 60_000);
});

/** The HTTP status the registry answers (no credentials unless given). */
async function status(endpoint: string, path = '/v2/', auth?: { username: string; password: string }, method = 'GET'): Promise<number> {
  const headers: Record<string, string> = auth ? { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` } : {};
  const response = await fetch(`http://${endpoint}${path}`, { method, headers });
  await response.body?.cancel();
  return response.status;
}

/** The registry API's two-request upload: POST opens it, PUT with the digest completes it. */
async function uploadBlob(registry: { endpoint: string; username: string; password: string }, name: string, blob: Buffer, digest: string): Promise<void> {
  const authorization = `Basic ${Buffer.from(`${registry.username}:${registry.password}`).toString('base64')}`;
  const opened = await fetch(`http://${registry.endpoint}/v2/${name}/blobs/uploads/`, { method: 'POST', headers: { authorization } });
  expect(opened.status).toBe(202);
  const location = new URL(opened.headers.get('location') ?? '', `http://${registry.endpoint}`);
  location.searchParams.set('digest', digest);
  const done = await fetch(location, { method: 'PUT', headers: { authorization, 'content-type': 'application/octet-stream' }, body: new Uint8Array(blob) });
  expect(done.status).toBe(201);
}

async function waitUntil(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
