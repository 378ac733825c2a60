import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/engine/errors.js';
import { readProjectSettings } from '../../src/local/project-settings.js';
import { createSandbox } from '../../src/sandbox/store.js';
import { runPublish } from './publish-run.js';
import type { Runtime } from '../../flows/shared/runtime.js';
import { BUSYBOX, publishApp } from '../verify/publish-app.js';

/**
 * Publish follows the present: what an earlier (interrupted or failed) run did counts only for the same
 * content. Real daemon, real registry standing in for ECR (the sandbox's ECR reads it back).
 */
const registry = process.env.SLIPWAY_TEST_REGISTRY;
const user = process.env.SLIPWAY_TEST_REGISTRY_USER;
const password = process.env.SLIPWAY_TEST_REGISTRY_PASSWORD;
const daemon = spawnSync('docker', ['info'], { encoding: 'utf8' }).status === 0;
const ready = Boolean(registry && user && password && daemon && BUSYBOX);
if (!ready && process.env.CI === 'true') {
  it('has a Docker daemon, a test registry and busybox (required when CI=true)', () => {
    expect.fail(`daemon ${daemon}, registry ${registry ?? 'unset'}, busybox ${BUSYBOX ?? 'missing'}: run \`source .ci/docker-env.sh\``);
  });
}

describe.skipIf(!ready)('publish after something changed between runs', () => {
  const work = mkdtempSync(join(tmpdir(), 'slipway-publish-changes-'));
  let app: string;
  let runtime: Runtime;
  let name: string;
  let count = 0;

  beforeEach(() => {
    name = `chg${Date.now().toString(36)}${count++}`;
    app = join(work, name);
    const env = { PATH: process.env.PATH, HOME: join(work, name, '.home'), XDG_STATE_HOME: join(work, `${name}-state`) };
    publishApp(app);
    writeFileSync(join(app, '.gitignore'), '.home\n');
    commit('ignore the home');
    const sandbox = createSandbox({ file: join(work, `${name}.sandbox.json`), env, registry: { endpoint: registry ?? '', username: user ?? '', password: password ?? '' } });
    runtime = { aws: { region: 'us-east-1' }, env, platform: 'linux', sandbox, cwd: app, dockerConfig: join(work, `${name}-docker`) };
  });
  afterAll(() => {
    for (const ref of spawnSync('docker', ['images', '--format', '{{.Repository}}:{{.Tag}}', '--filter', 'label=slipway.app'], { encoding: 'utf8' }).stdout.split('\n')) {
      if (ref.includes('/chg')) spawnSync('docker', ['rmi', '--force', ref]);
    }
    rmSync(work, { recursive: true, force: true });
  });

  const publish = (given: Record<string, string | number | boolean> = {}) => runPublish(runtime, name, given);

  function commit(message: string): string {
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'add', '-A'], { cwd: app });
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', message], { cwd: app });
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: app, encoding: 'utf8' }).trim();
  }

  /** What the registry serves for a tag. */
  function registryDigest(tag: string): string | undefined {
    const headers = execFileSync('curl', ['-s', '-u', `${user}:${password}`, '-I', '-H', 'Accept: application/vnd.docker.distribution.manifest.v2+json', '-H', 'Accept: application/vnd.oci.image.manifest.v1+json', `http://${registry}/v2/slipway-it/${name}/manifests/${tag}`], { encoding: 'utf8' });
    return /docker-content-digest: (\S+)/i.exec(headers)?.[1];
  }

  it('a new commit after a run whose tests passed (and which then failed) is tested again — and its failing tests stop it', async () => {
    // Commit A: tests pass, the release stage cannot build (a file it copies is missing).
    writeFileSync(join(app, 'Dockerfile'), `${readFileSync(join(app, 'Dockerfile'), 'utf8')}COPY missing-file /app/\n`);
    commit('release stage broken');
    const first = await publish();
    expect(first.result.status).toBe('failed');
    expect(first.result.failures[0]?.stepId).toBe('release-build');
    expect(first.how['test-stage']).toBe('applied');

    // Commit B: the release stage fixed, the tests broken. The earlier "passed" was for A.
    writeFileSync(join(app, 'Dockerfile'), readFileSync(join(app, 'Dockerfile'), 'utf8').replace('COPY missing-file /app/\n', ''));
    writeFileSync(join(app, 'test.sh'), 'echo "1 test failed"; exit 1\n');
    const b = commit('tests broken');
    const second = await publish();
    expect(second.result.resumed).toBe(true);
    expect(second.logs.some((l) => /Changed since an earlier run did this step \(.*version: \w+ → \w+/.test(l))).toBe(true);
    expect(second.result.status).toBe('failed');
    expect(second.result.failures[0]?.stepId).toBe('test-stage');
    expect(registryDigest(b)).toBeUndefined();
  }, 240_000);

  it('an edited dirty tree is tested, built and pushed again, and its new digest recorded', async () => {
    writeFileSync(join(app, 'app.sh'), 'echo "version one"\n');
    const first = await publish({ allowDirty: true });
    expect(first.result.status).toBe('done');
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: app, encoding: 'utf8' }).trim();
    const firstDigest = String(first.result.outputs.push?.digest);
    expect(registryDigest(`${sha}-dirty`)).toBe(firstDigest);

    writeFileSync(join(app, 'app.sh'), 'echo "version two"\n');
    const second = await publish({ allowDirty: true });
    expect(second.result.status).toBe('done');
    expect(second.how['test-stage']).toBe('applied');
    expect(second.how.push).toBe('applied');
    const secondDigest = String(second.result.outputs.push?.digest);
    expect(secondDigest).not.toBe(firstDigest);
    expect(registryDigest(`${sha}-dirty`)).toBe(secondDigest);
    expect(registryDigest('latest')).toBe(secondDigest);
    expect(readProjectSettings(app)?.lastPublished).toMatchObject({ tag: `${sha}-dirty`, digest: secondDigest });
  }, 240_000);

  it('latest left on an older image (a push cut between the two tags) is pushed on the next run', async () => {
    const a = await publish();
    const older = String(a.result.outputs.push?.digest);
    writeFileSync(join(app, 'app.sh'), 'echo "newer"\n');
    commit('newer');
    const b = await publish();
    const newer = String(b.result.outputs.push?.digest);
    expect(registryDigest('latest')).toBe(newer);

    // As if the push of :latest had been cut: the registry's latest is still the older image.
    const uri = String(a.result.outputs.push?.uri);
    const tag = String(a.result.outputs.push?.tag);
    execFileSync('docker', ['tag', `${uri}:${tag}`, `${uri}:latest`]);
    execFileSync('docker', ['--config', runtime.dockerConfig ?? '', 'push', '-q', `${uri}:latest`]);
    expect(registryDigest('latest')).toBe(older);

    const again = await publish();
    expect(again.result.status).toBe('done');
    expect(again.how.push).toBe('applied');
    expect(registryDigest('latest')).toBe(newer);
  }, 240_000);

  it('a dirty tree under --yes, or no Dockerfile, is bad input: exit 2 and no journal', async () => {
    writeFileSync(join(app, 'app.sh'), 'echo "uncommitted"\n');
    await expect(publish()).rejects.toBeInstanceOf(UsageError);
    rmSync(join(app, 'Dockerfile'));
    commit('no Dockerfile');
    await expect(publish()).rejects.toBeInstanceOf(UsageError);
    expect(spawnSync('find', [join(work, `${name}-state`), '-name', '*.json'], { encoding: 'utf8' }).stdout).toBe('');
  }, 120_000);
});
