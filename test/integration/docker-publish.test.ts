import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlipwayError, toErrorReport } from '../../src/engine/errors.js';
import type { LayerProgress } from '../../src/docker/index.js';
import {
  dockerBuild,
  dockerLogin,
  dockerLogout,
  dockerPreflight,
  dockerPush,
  imageDigest,
  RegistryAuthError,
  registryHost,
  registryOf,
  repositoryOf,
  tagImage,
} from '../../src/docker/index.js';
import { redact } from '../../src/docker/redact.js';

// Build → login → push → digest against a real dockerd and a registry with htpasswd auth on
// 127.0.0.1 (CI: `source .ci/docker-env.sh`, which exports the SLIPWAY_TEST_REGISTRY* variables).
// Under CI=true missing pieces fail the run; on a developer machine the tests are skipped.
const registry = process.env.SLIPWAY_TEST_REGISTRY;
const username = process.env.SLIPWAY_TEST_REGISTRY_USER;
const password = process.env.SLIPWAY_TEST_REGISTRY_PASSWORD;
const preflight = await dockerPreflight();
const unavailable = !preflight.daemon.ok
  ? `the Docker daemon is not reachable (${preflight.daemon.problem})`
  : !registry || !username || !password
    ? 'SLIPWAY_TEST_REGISTRY, SLIPWAY_TEST_REGISTRY_USER and SLIPWAY_TEST_REGISTRY_PASSWORD are not set'
    : undefined;

if (unavailable && process.env.CI === 'true') {
  describe('Docker publish integration', () => {
    it('has a Docker daemon and a test registry in CI', () => {
      throw new Error(`CI=true but ${unavailable}. Source .ci/docker-env.sh before the tests.`);
    });
  });
} else if (unavailable) {
  console.warn(`[skipped] Docker publish integration tests: ${unavailable}. Run \`source .ci/docker-env.sh\` to enable them.`);
}

const FIXTURE = new URL('../fixtures/scratch-image', import.meta.url).pathname;
const SHA256 = /^sha256:[0-9a-f]{64}$/;
const runId = randomBytes(6).toString('hex');

describe.runIf(!unavailable)('docker build, login, push and digest', () => {
  const host = registry ?? '';
  const user = username ?? '';
  const secret = password ?? '';
  const ref = `${host}/slipway-test/scratch:${runId}`;
  let context: string;
  let dockerConfig: string;
  let emptyConfig: string;
  let homeConfigBefore: string | undefined;
  let pushedDigest: string;
  let testStageId = '';

  beforeAll(async () => {
    homeConfigBefore = await readFile(join(homedir(), '.docker', 'config.json'), 'utf8').catch(() => undefined);
    dockerConfig = await mkdtemp(join(tmpdir(), 'slipway-docker-config-'));
    emptyConfig = await mkdtemp(join(tmpdir(), 'slipway-docker-noauth-'));
    // Unique content per run, so the first push really uploads a layer instead of finding it.
    context = await mkdtemp(join(tmpdir(), 'slipway-scratch-'));
    await cp(FIXTURE, context, { recursive: true });
    await writeFile(join(context, 'hello.txt'), `hello from slipway test run ${runId}\n`);
  });

  afterAll(async () => {
    const images = [ref, `${ref}-again`, ...(testStageId ? [testStageId] : [])];
    await execa('docker', ['image', 'rm', '--force', ...images], { reject: false });
    await Promise.all([context, dockerConfig, emptyConfig].map((dir) => dir && rm(dir, { recursive: true, force: true })));
  });

  it('builds both stages of the scratch fixture, streaming output lines', async () => {
    const lines: string[] = [];
    const testStage = await dockerBuild({ context, target: 'test', tags: [], onLine: (line) => lines.push(line), dockerConfig });
    expect(testStage.imageId).toMatch(SHA256);
    testStageId = testStage.imageId;

    const releaseLines: string[] = [];
    const release = await dockerBuild({
      context,
      target: 'release',
      tags: [ref],
      labels: { 'slipway.test': runId },
      onLine: (line) => releaseLines.push(line),
      dockerConfig,
    });
    expect(release.imageId).toMatch(SHA256);
    expect(release.imageId).not.toBe(testStage.imageId);
    expect(lines.length).toBeGreaterThan(0);
    // Legacy builder: "Step 2/2 : COPY hello.txt /"; BuildKit plain progress: "#5 [2/2] COPY hello.txt /".
    expect(releaseLines.join('\n')).toMatch(/COPY hello\.txt/);

    const labels = await execa('docker', ['image', 'inspect', '--format', '{{json .Config.Labels}}', ref]);
    expect(JSON.parse(labels.stdout)).toMatchObject({ 'slipway.test': runId });
  });

  it('puts the last output lines into the error of a failed build', async () => {
    const error = await dockerBuild({ context, target: 'no-such-stage', tags: [], onLine: () => {}, dockerConfig }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ name: 'DockerError' });
    expect((error as Error).message).toMatch(/docker build failed \(exit \d+\)/);
    expect((error as Error).message).toMatch(/no-such-stage/);
  });

  it('rejects a wrong password with a clear error that never contains it', async () => {
    const wrong = `wrong-${randomBytes(8).toString('hex')}`;
    const error = await dockerLogin({ registry: host, username: user, password: wrong, dockerConfig }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(RegistryAuthError);
    const { message, stack, fix } = error as RegistryAuthError;
    expect(message).toMatch(/rejected/);
    expect(message).toMatch(/401|unauthorized/i);
    expect(`${message}\n${stack}\n${fix}`).not.toContain(wrong);
    expect(`${message}\n${stack}\n${fix}`).not.toContain(secret);
  });

  it('logs in through stdin into the private DOCKER_CONFIG (https:// is stripped)', async () => {
    await dockerLogin({ registry: `https://${host}`, username: user, password: secret, dockerConfig });
    const config = JSON.parse(await readFile(join(dockerConfig, 'config.json'), 'utf8')) as {
      auths?: Record<string, unknown>;
    };
    expect(Object.keys(config.auths ?? {})).toContain(host);
  });

  it('pushes with per-layer progress and returns the digest', async () => {
    const events: LayerProgress[] = [];
    const result = await dockerPush({ ref, onProgress: (event) => events.push(event), dockerConfig });
    expect(result.digest).toMatch(SHA256);
    expect(result.size).toBeGreaterThan(0);
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) expect(event.layer).toMatch(/^[0-9a-f]{12}$/);
    const statuses = new Set(events.map((event) => event.status));
    expect(statuses).toContain('preparing');
    expect(statuses).toContain('pushed');
    pushedDigest = result.digest;
  });

  it('pushes again: layers already exist, same digest', async () => {
    const events: LayerProgress[] = [];
    const again = await dockerPush({ ref, onProgress: (event) => events.push(event), dockerConfig });
    expect(again.digest).toBe(pushedDigest);
    expect(events.map((event) => event.status)).toContain('exists');
    expect(events.map((event) => event.status)).not.toContain('pushed');
  });

  it('reads the same digest back with imageDigest, also for a second tag', async () => {
    expect(await imageDigest(ref, { dockerConfig })).toBe(pushedDigest);
    const second = `${ref}-again`;
    await tagImage(ref, second, { dockerConfig });
    const pushed = await dockerPush({ ref: second, onProgress: () => {}, dockerConfig });
    expect(pushed.digest).toBe(pushedDigest);
    expect(await imageDigest(second, { dockerConfig })).toBe(pushedDigest);
    expect(await imageDigest(`${host}/slipway-test/never-pushed-${runId}:x`, { dockerConfig })).toBeUndefined();
  });

  it('raises RegistryAuthError when pushing without credentials', async () => {
    const error = await dockerPush({ ref, onProgress: () => {}, dockerConfig: emptyConfig }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(RegistryAuthError);
    expect((error as RegistryAuthError).registry).toBe(host);
    expect((error as RegistryAuthError).message).toMatch(/no basic auth credentials/);
  });

  it('logs out of exactly that registry, after which a push needs a login again', async () => {
    await dockerLogout(host, { dockerConfig });
    const config = JSON.parse(await readFile(join(dockerConfig, 'config.json'), 'utf8')) as {
      auths?: Record<string, unknown>;
    };
    expect(Object.keys(config.auths ?? {})).not.toContain(host);
    await expect(dockerPush({ ref, onProgress: () => {}, dockerConfig })).rejects.toBeInstanceOf(RegistryAuthError);
  });

  it('leaves ~/.docker/config.json untouched', async () => {
    const after = await readFile(join(homedir(), '.docker', 'config.json'), 'utf8').catch(() => undefined);
    expect(after).toBe(homeConfigBefore);
  });
});

describe.runIf(!unavailable)('cancelling a build', () => {
  let server: Server;
  let port = 0;
  const sockets = new Set<Socket>();
  let onConnection: () => void = () => {};

  // A "registry" that accepts connections and never answers: a FROM on it keeps the daemon busy,
  // so the build is genuinely in flight when we abort.
  beforeAll(async () => {
    server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {});
      onConnection();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    port = typeof address === 'object' && address ? address.port : 0;
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('rejects with the abort reason and leaves no docker build process behind', async () => {
    const context = await mkdtemp(join(tmpdir(), 'slipway-cancel-'));
    const tag = `slipway-cancel-test:${runId}`;
    try {
      await writeFile(join(context, 'Dockerfile'), `FROM 127.0.0.1:${port}/slipway-test/never:1\n`);
      const controller = new AbortController();
      let connected = false;
      let buildProcessSeen = false;
      onConnection = () => {
        if (connected) return;
        connected = true;
        // Proves the process check below can see the build before it is cancelled.
        void commandLines().then((lines) => {
          buildProcessSeen = lines.some((line) => line.includes(tag));
          controller.abort();
        });
      };
      // Safety net so a daemon that never dials out cannot hang the test.
      const fallback = setTimeout(() => controller.abort(), 20_000);
      const started = Date.now();
      const build = dockerBuild({ context, tags: [tag], signal: controller.signal, onLine: () => {} });
      await expect(build).rejects.toMatchObject({ name: 'AbortError' });
      clearTimeout(fallback);
      expect(connected).toBe(true);
      expect(buildProcessSeen).toBe(true);
      expect(Date.now() - started).toBeLessThan(15_000);

      // Only the client is ours to kill: dockerd may keep dialling the base image's registry until
      // its own timeout (the legacy builder does not cancel a pull when the client goes away).
      expect((await commandLines()).filter((line) => line.includes(tag))).toEqual([]);
    } finally {
      await rm(context, { recursive: true, force: true });
    }
  });

  it('does not even start when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop before starting'));
    await expect(
      dockerBuild({ context: FIXTURE, tags: [], signal: controller.signal, onLine: () => {} }),
    ).rejects.toThrow('stop before starting');
  });
});

// Pure helpers the publish path relies on; these run without Docker.
describe('login helpers', () => {
  it('scrubs the password in every form docker could echo it', () => {
    const text = 'p@ss:w/rd p%40ss%3Aw%2Frd ' + Buffer.from('AWS:p@ss:w/rd').toString('base64');
    expect(redact(text, 'AWS', 'p@ss:w/rd')).toBe('*** *** ***');
  });

  it('reduces an ECR proxy endpoint to the bare host', () => {
    expect(registryHost('https://123456789012.dkr.ecr.eu-west-1.amazonaws.com/')).toBe(
      '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
    );
    expect(registryHost('127.0.0.1:5000')).toBe('127.0.0.1:5000');
    expect(registryOf('127.0.0.1:5000/slipway-test/scratch:abc')).toBe('127.0.0.1:5000');
    expect(repositoryOf('127.0.0.1:5000/slipway-test/scratch:abc')).toBe('127.0.0.1:5000/slipway-test/scratch');
  });

  it('makes docker errors engine errors, so their fix is shown', () => {
    const error = new RegistryAuthError('refused', 'example.com', { fix: 'log in again' });
    expect(error).toBeInstanceOf(SlipwayError);
    expect(toErrorReport(error)).toMatchObject({ message: 'refused', fix: 'log in again' });
  });
});

/** Every running process's command line. /proc first: CI's minimal Debian image has no `ps`. */
async function commandLines(): Promise<string[]> {
  const pids = await readdir('/proc').catch(() => undefined);
  if (!pids) return (await execa('ps', ['-eo', 'pid,args'])).stdout.split('\n');
  const lines = await Promise.all(
    pids
      .filter((name) => /^\d+$/.test(name))
      .map((pid) => readFile(`/proc/${pid}/cmdline`, 'utf8').then((text) => text.split('\0').join(' '), () => '')),
  );
  return lines.filter((line) => line !== '');
}
