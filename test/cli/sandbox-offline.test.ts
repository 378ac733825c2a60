import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRegistryBinary, readLocalRegistry, registryAnswers, stopLocalRegistry } from '../../src/sandbox/local-registry.js';
import { createSandbox, sandboxFile } from '../../src/sandbox/store.js';
import { nodeSupport } from '../../src/cli/node-support.js';
import { enableMfaAsAPerson } from '../support/sandbox-mfa.js';

/**
 * "Nothing leaves this machine": the built binary rehearses in the sandbox with every real endpoint out
 * of reach. A preload (NODE_OPTIONS=--import) wraps net/tls connect and dns.lookup, records every
 * destination that is not loopback and refuses it; the proxy variables point at a closed port; the
 * EC2 metadata service is off. Each run must succeed with nothing recorded.
 */
const BIN = join(process.cwd(), 'dist', 'slipway.js');
const PRELOAD = fileURLToPath(new URL('./offline-preload.mjs', import.meta.url));
const CLOSED = 'http://127.0.0.1:9';

let work: string;
let log: string;
let env: NodeJS.ProcessEnv;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'slipway-offline-'));
  log = join(work, 'network.log');
  writeFileSync(log, '');
  env = {
    PATH: process.env.PATH,
    LANG: 'C.UTF-8',
    HOME: join(work, 'home'),
    XDG_STATE_HOME: join(work, 'state'),
    NODE_OPTIONS: `--import ${PRELOAD}`,
    SLIPWAY_OFFLINE_LOG: log,
    HTTPS_PROXY: CLOSED,
    HTTP_PROXY: CLOSED,
    https_proxy: CLOSED,
    http_proxy: CLOSED,
    ALL_PROXY: CLOSED,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
});
afterAll(async () => {
  if (!work) return;
  await stopLocalRegistry(sandboxFile('offline', { XDG_STATE_HOME: join(work, 'state') }));
  rmSync(work, { recursive: true, force: true });
});

async function slipway(args: string[], extra: NodeJS.ProcessEnv = {}, cwd?: string) {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...env, ...extra }, cwd: cwd ?? work, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr, output: `${stdout}\n${stderr}` };
}

/** What the preload recorded: every attempt to reach something that is not this machine. */
function attempts(): { via: string; destination: string; argv: string; stack: string[] }[] {
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { via: string; destination: string; argv: string; stack: string[] });
}

describe('the guard itself', () => {
  it('records and refuses a connection to the outside, and lets loopback through', () => {
    const probe = join(work, 'probe.log');
    const script = `
      const net = require('node:net');
      require('node:https').get('https://sts.amazonaws.com/', () => console.log('reached')).on('error', (e) => console.log('https', e.code));
      const server = net.createServer((c) => c.end('local')).listen(0, '127.0.0.1', () => {
        net.connect(server.address().port, '127.0.0.1').on('data', (d) => { console.log(String(d)); server.close(); });
      });`;
    const run = spawnSync(process.execPath, ['-e', script], { env: { ...env, SLIPWAY_OFFLINE_LOG: probe }, encoding: 'utf8' });
    expect(run.stdout).toContain('https ECONNREFUSED');
    expect(run.stdout).toContain('local');
    expect(readFileSync(probe, 'utf8')).toContain('sts.amazonaws.com:443');
  });
});

describe('slipway in the sandbox, offline', () => {
  it('bootstrap: the whole flow (the MFA device set up by a scripted person between two runs), no request leaves the machine', async () => {
    const answers = ['--sandbox-name', 'offline', '--region', 'eu-west-1', '--user-name', 'carol', '--profile-name', 'carol', '--console-password', 'no', '--yes'];
    const first = await slipway(['bootstrap', ...answers]);
    // Non-interactive: everything up to the MFA device, which needs a person with an authenticator app.
    expect(first.output).toMatch(/needs a person with an authenticator app/);
    expect(first.code).toBe(1);

    // The person: scans the device's seed into an app and enables it with two consecutive codes.
    const sandbox = createSandbox({ name: 'offline', env: { XDG_STATE_HOME: join(work, 'state') } });
    const { nextCode } = await enableMfaAsAPerson(sandbox, 'carol', 'eu-west-1');

    // The rest, with a fresh code for the role (the one code a non-interactive run may be given).
    const second = await slipway(['bootstrap', ...answers], { SLIPWAY_MFA_CODE: nextCode });
    expect(second.output).toMatch(/Virtual MFA device — .*adopted/);
    expect(second.output).toMatch(/Assume the admin role with MFA/);
    expect(second.code, second.output).toBe(0);
    expect(readFileSync(join(work, 'state', 'slipway', 'sandbox', 'offline.home', '.aws', 'config'), 'utf8')).toContain('[profile carol]');
    expect(attempts()).toEqual([]);
  }, 120_000);

  it('doctor in the sandbox: its checks run (the credential chain included) and no request leaves the machine', async () => {
    const run = await slipway(['doctor', '--sandbox-name', 'offline', '--json']);
    const result = JSON.parse(run.stdout) as { outputs: Record<string, Record<string, unknown>>; failures: { stepId: string }[] };
    // Docker may be down here and doctor reads the person's credential chain (not the sandbox's
    // admin): whatever fails, it fails locally.
    // The Node.js check passes on a supported Node and fails (with its fix) on an older one.
    if (nodeSupport(process.versions.node).supported) expect(result.outputs.node?.version).toBe(process.versions.node);
    else expect(result.failures.map((f) => f.stepId)).toContain('node');
    expect(result.outputs['aws-files']?.files).toContain('offline.home');
    expect(attempts()).toEqual([]);
  }, 60_000);

  it('the sandbox commands, offline too', async () => {
    expect((await slipway(['sandbox', 'scenario', 'crash-loop', '--sandbox-name', 'offline'])).code).toBe(0);
    expect((await slipway(['sandbox', 'list'])).stdout).toMatch(/^offline\s+\d{12}/m);
    expect(attempts()).toEqual([]);
  });
});

// Publish needs a Docker daemon (CI starts one), busybox for the fixture's test stage, and a registry
// binary for the sandbox to start.
const daemon = spawnSync('docker', ['version', '--format', '{{.Server.Version}}'], { encoding: 'utf8' }).stdout?.trim();
const busybox = ['/bin/busybox', '/usr/bin/busybox'].find((p) => existsSync(p));
const registryBinary = findRegistryBinary({ PATH: process.env.PATH });
const publishReady = Boolean(daemon && busybox && registryBinary);
if (!publishReady && process.env.CI === 'true') {
  it('has a Docker daemon, busybox and a registry binary (required when CI=true)', () => {
    expect.fail(`daemon ${daemon || 'down'}, busybox ${busybox ?? 'missing'}, registry ${registryBinary ?? 'missing'}: source .ci/docker-env.sh`);
  });
} else if (!publishReady) {
  console.warn(`test/cli/sandbox-offline.test.ts: SKIPPED the publish rehearsal — needs a Docker daemon (${daemon ? 'up' : 'down'}), busybox-static (${busybox ? 'found' : 'missing'}) and docker-registry (${registryBinary ? 'found' : 'missing'}).`);
}

describe.skipIf(!publishReady)('publish in the sandbox, offline', () => {
  const name = `offline${Date.now().toString(36)}`;
  let app: string;
  beforeAll(() => {
    app = join(work, name);
    cpSync(new URL('../fixtures/publish-app', import.meta.url), app, { recursive: true });
    copyFileSync(busybox ?? '', join(app, 'busybox'));
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: app });
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'fixture');
  });
  afterAll(() => {
    for (const ref of spawnSync('docker', ['images', '--format', '{{.Repository}}:{{.Tag}}', '--filter', `label=slipway.app=${name}`], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean)) {
      spawnSync('docker', ['rmi', '--force', ref]);
    }
  });

  it('without a registry binary it stops after the build, saying how to get one; nothing was pushed', async () => {
    const run = await slipway(['publish', '--sandbox-name', 'no-registry', '--app', name, '--namespace', 'rehearsal', '--cleanup', 'no', '--yes'], { SLIPWAY_SANDBOX_REGISTRY_BINARY: 'none' }, app);
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/Release image|release/i);
    expect(run.output).toMatch(/The sandbox has no registry to push the image to/);
    expect(run.output).toMatch(/apt-get install docker-registry/);
    expect(run.output).toMatch(/brew install registry/);
    expect(run.output).toMatch(/SLIPWAY_SANDBOX_REGISTRY=/);
    expect(run.output).not.toMatch(/Push to ECR — /);
    expect(attempts()).toEqual([]);
  }, 300_000);

  it('starts its own registry, pushes there, and reuses it for the next publish; reset stops it', async () => {
    const args = ['publish', '--sandbox-name', 'offline', '--app', name, '--namespace', 'rehearsal', '--cleanup', 'no', '--yes', '--json'];
    const first = await slipway(args, {}, app);
    expect(first.code, first.output).toBe(0);
    const result = JSON.parse(first.stdout) as { outputs: { push: { uri: string; digest: string } } };
    const file = sandboxFile('offline', { XDG_STATE_HOME: join(work, 'state') });
    const record = readLocalRegistry(file);
    expect(record?.endpoint).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(result.outputs.push.uri).toBe(`${record?.endpoint}/rehearsal/${name}`);
    expect(result.outputs.push.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await registryAnswers({ endpoint: record?.endpoint ?? '', username: record?.username ?? '', password: record?.password ?? '' })).toBe(true);

    const again = await slipway(args, {}, app);
    expect(again.code, again.output).toBe(0);
    expect(readLocalRegistry(file)?.pid).toBe(record?.pid);
    expect(JSON.parse(again.stdout).outputs.push.digest).toBe(result.outputs.push.digest);

    const reset = await slipway(['sandbox', 'reset', '--sandbox-name', 'offline', '--yes']);
    expect(reset.code).toBe(0);
    expect(await registryAnswers({ endpoint: record?.endpoint ?? '', username: record?.username ?? '', password: record?.password ?? '' })).toBe(false);
    expect(attempts()).toEqual([]);
  }, 300_000);
});
