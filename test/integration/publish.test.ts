import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../../src/sandbox/store.js';
import { readProjectSettings } from '../../src/local/project-settings.js';
import { runPublish } from './publish-run.js';
import type { Runtime } from '../../flows/shared/runtime.js';

/**
 * `slipway publish` for real: the docker CLI against a real daemon, pushing to a real registry with
 * htpasswd user AWS that plays ECR (the sandbox's ECR hands out its endpoint and password).
 */
const registry = process.env.SLIPWAY_TEST_REGISTRY;
const user = process.env.SLIPWAY_TEST_REGISTRY_USER;
const password = process.env.SLIPWAY_TEST_REGISTRY_PASSWORD;
const daemon = spawnSync('docker', ['info'], { encoding: 'utf8' }).status === 0;
const busybox = ['/bin/busybox', '/usr/bin/busybox'].find((p) => existsSync(p));
const ready = Boolean(registry && user && password && daemon && busybox);
if (!ready && process.env.CI === 'true') {
  it('has a Docker daemon, a test registry and busybox (required when CI=true)', () => {
    expect.fail(`daemon ${daemon}, registry ${registry ?? 'unset'}, busybox ${busybox ?? 'missing'}: run \`source .ci/docker-env.sh\` and install busybox-static`);
  });
} else if (!ready) {
  console.warn('test/integration/publish.test.ts: SKIPPED — needs a Docker daemon, SLIPWAY_TEST_REGISTRY* (source .ci/docker-env.sh) and busybox-static.');
}

describe.skipIf(!ready)('slipway publish against a real daemon and registry', () => {
  let work: string;
  let app: string;
  let sandbox: Sandbox;
  let runtime: Runtime;
  const name = `pub${Date.now().toString(36)}`;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'slipway-publish-'));
    app = join(work, name);
    cpSync(new URL('../fixtures/publish-app', import.meta.url), app, { recursive: true });
    copyFileSync(busybox ?? '', join(app, 'busybox'));
    git(app, 'init', '-q');
    git(app, 'add', '.');
    git(app, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'fixture');
    const env = { PATH: process.env.PATH, HOME: join(work, 'home'), XDG_STATE_HOME: join(work, 'state') };
    sandbox = createSandbox({ file: join(work, 'sandbox.json'), env, registry: { endpoint: registry ?? '', username: user ?? '', password: password ?? '' } });
    runtime = { aws: { region: 'us-east-1' }, env, platform: 'linux', sandbox, cwd: app, dockerConfig: join(work, 'docker') };
  });
  afterAll(() => {
    spawnSync('docker', ['image', 'prune', '--force', '--filter', `label=slipway.app=${name}`]);
    for (const ref of spawnSync('docker', ['images', '--format', '{{.Repository}}:{{.Tag}}', '--filter', `label=slipway.app=${name}`], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean)) {
      spawnSync('docker', ['rmi', '--force', ref]);
    }
    rmSync(work, { recursive: true, force: true });
  });

  const publish = (given: Record<string, string | number | boolean> = {}) => runPublish(runtime, name, given);

  it('tests, builds, tags, logs in, pushes, and records the digest the registry holds', async () => {
    const { result, logs } = await publish();
    expect(result.failures).toEqual([]);
    expect(result.status).toBe('done');
    expect(logs.some((l) => l.includes('all 3 tests passed'))).toBe(true);
    // Whether buildx is there is asked quietly: its absence is not an error line in the log.
    expect(logs.join('\n')).not.toContain('unknown command');
    const sha = git(app, 'rev-parse', '--short', 'HEAD');
    const digest = String(result.outputs.push?.digest);
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(result.outputs.push?.uri).toBe(`${registry}/slipway-it/${name}`);
    expect(result.outputs.version?.tag).toBe(sha);
    // The registry itself serves that digest for the version tag.
    const manifest = execFileSync('curl', ['-sf', '-u', `${user}:${password}`, '-I', '-H', 'Accept: application/vnd.docker.distribution.manifest.v2+json', '-H', 'Accept: application/vnd.oci.image.manifest.v1+json', `http://${registry}/v2/slipway-it/${name}/manifests/${sha}`], { encoding: 'utf8' });
    expect(manifest.toLowerCase()).toContain(`docker-content-digest: ${digest}`);
    expect(readProjectSettings(app)?.lastPublished).toMatchObject({ uri: `${registry}/slipway-it/${name}`, tag: sha, digest });
    // The ECR password went to docker on stdin only: it is in no log line and not in the journal.
    expect(logs.join('\n')).not.toContain(password);
    expect(readFileSync(result.journalPath, 'utf8')).not.toContain(password);
  }, 180_000);

  it('publishing the same commit again pushes nothing: "already published"', async () => {
    const { result, how, logs } = await publish();
    expect(result.status).toBe('done');
    expect(how.push).not.toBe('applied');
    expect(how['release-build']).not.toBe('applied');
    expect(logs.some((l) => l.includes('already published'))).toBe(true);
  }, 180_000);

  it('failing tests stop the flow before anything is pushed, with the log’s path', async () => {
    writeFileSync(join(app, 'test.sh'), 'echo "1 test failed"; exit 1\n');
    git(app, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qam', 'break the tests');
    const { result } = await publish();
    expect(result.status).toBe('failed');
    expect(result.failures[0]).toMatchObject({ stepId: 'test-stage', error: { message: expect.stringContaining('tests failed'), fix: expect.stringContaining('.log') } });
    expect(result.outputs.push).toBeUndefined();
  }, 180_000);
});

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim();
}
