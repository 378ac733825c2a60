import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readProjectSettings } from '../../src/local/project-settings.js';
import { buildChild } from '../support/build-child.js';

const registry = process.env.SLIPWAY_TEST_REGISTRY;
const user = process.env.SLIPWAY_TEST_REGISTRY_USER;
const password = process.env.SLIPWAY_TEST_REGISTRY_PASSWORD;
const busybox = ['/bin/busybox', '/usr/bin/busybox'].find((p) => existsSync(p));
const ready = Boolean(registry && user && password && busybox && spawnSync('docker', ['info']).status === 0);
// publish.test.ts reports (and under CI=true fails) a missing daemon or registry; this file only skips.

describe.skipIf(!ready)('publish killed with SIGKILL in the middle of docker build / docker push, then resumed', () => {
  let child: string;
  const work = mkdtempSync(join(tmpdir(), 'slipway-publish-crash-'));
  beforeAll(async () => {
    child = await buildChild('test/support/publish-child.ts');
  }, 60_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  function appFolder(name: string): string {
    const app = join(work, name);
    cpSync(new URL('../fixtures/publish-app', import.meta.url), app, { recursive: true });
    copyFileSync(busybox ?? '', join(app, 'busybox'));
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: app, env: { ...process.env, GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z' } });
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'fixture');
    return app;
  }

  function run(app: string, state: string, appName: string, kill?: string): Promise<{ signal: NodeJS.Signals | null; code: number | null; result?: { status: string; digest?: string } }> {
    return new Promise((resolve) => {
      const proc = spawn(process.execPath, [child, app, state], { env: { ...process.env, SLIPWAY_TEST_APP: appName, ...(kill ? { SLIPWAY_TEST_KILL: kill } : {}) }, stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
      proc.on('close', (code, signal) => resolve({ code, signal, result: out.trim() ? (JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as { status: string; digest?: string }) : undefined }));
    });
  }

  function registryDigest(appName: string, tag: string): string {
    const head = execFileSync('curl', ['-sf', '-I', '-u', `${user}:${password}`, '-H', 'Accept: application/vnd.docker.distribution.manifest.v2+json', '-H', 'Accept: application/vnd.oci.image.manifest.v1+json', `http://${registry}/v2/slipway-crash/${appName}/manifests/${tag}`], { encoding: 'utf8' });
    return /docker-content-digest: (\S+)/i.exec(head)?.[1] ?? '';
  }

  it.each(['release-build', 'push'])('killed during %s: the resumed run publishes, and records the digest the registry holds', async (step) => {
    const appName = `crash-${step}-${Date.now().toString(36)}`;
    const app = appFolder(appName);
    const state = join(work, `${appName}-state`);
    const killed = await run(app, state, appName, step);
    expect(killed.signal).toBe('SIGKILL');
    const resumed = await run(app, state, appName);
    expect(resumed.code).toBe(0);
    const digest = resumed.result?.digest ?? '';
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const tag = readProjectSettings(app)?.lastPublished?.tag ?? '';
    expect(readProjectSettings(app)?.lastPublished?.digest).toBe(digest);
    expect(registryDigest(appName, tag)).toBe(digest);
    // Publishing again finds it: same digest, nothing pushed.
    const again = await run(app, state, appName);
    expect(again.result).toMatchObject({ status: 'done', digest });
  }, 240_000);
});
