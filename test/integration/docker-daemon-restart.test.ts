import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { surviveDaemonRestart } from '../../src/docker/daemon-restart.js';
import { dockerBuild, DockerError } from '../../src/docker/index.js';
import { privateDockerdUnavailable, startPrivateDockerd, type PrivateDockerd } from '../support/private-dockerd.js';

// A daemon of the test's own, restarted in the middle of a real `docker build`: the build waits for it
// and runs again; a build that fails on its own is not repeated; a daemon that stays away is reported.
const busybox = ['/bin/busybox', '/usr/bin/busybox'].find((p) => existsSync(p));
const unavailable = privateDockerdUnavailable() ?? (busybox ? undefined : 'no static busybox (busybox-static)');
if (unavailable && process.env.CI === 'true') {
  describe('Docker daemon restart mid-build', () => {
    it('can run a private Docker daemon in CI', () => {
      throw new Error(`CI=true but ${unavailable}.`);
    });
  });
}

describe.runIf(!unavailable)('a Docker daemon restarted in the middle of a build', () => {
  let daemon: PrivateDockerd;
  const dirs: string[] = [];
  beforeAll(async () => {
    daemon = await startPrivateDockerd();
  }, 60_000);
  afterAll(async () => {
    await daemon?.dispose();
    dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
  }, 60_000);

  /** A build context whose last step runs `busybox <args>` (no base image can be pulled here). */
  function context(...run: string[]): string {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-restart-ctx-'));
    dirs.push(dir);
    copyFileSync(busybox!, join(dir, 'busybox'));
    writeFileSync(join(dir, 'Dockerfile'), `FROM scratch\nCOPY busybox /bin/busybox\nRUN ${JSON.stringify(['/bin/busybox', ...run])}\n`);
    return dir;
  }

  function said() {
    const lost: string[] = [];
    const back: string[] = [];
    return { lost, back, onLost: (m: string) => lost.push(m), onBack: (m: string) => back.push(m) };
  }

  it('waits for the daemon to answer again, says so, and builds again: the image is made', async () => {
    const dir = context('sleep', '4');
    const messages = said();
    let restarting: Promise<void> | undefined;
    const build = () =>
      dockerBuild({
        env: daemon.env,
        context: dir,
        tags: ['slipway-restart/app:1'],
        onLine: (line) => {
          // The RUN step's container is up: restart the daemon under it, once.
          if (/Running in|RUN \[/.test(line)) restarting ??= daemon.restart(1_000);
        },
      });
    const built = await surviveDaemonRestart(build, { env: daemon.env, what: 'docker build', ...messages });
    await restarting;
    expect(built.imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(messages.lost).toEqual(['The Docker daemon went away during docker build; waiting for it to come back…']);
    expect(messages.back).toHaveLength(1);
    expect(messages.back[0]).toMatch(/^Docker answers again after \d+ s; running docker build again\.$/);
  }, 90_000);

  it('a build that fails by itself, with the daemon up, fails at once and is not repeated', async () => {
    const dir = context('false');
    const messages = said();
    let builds = 0;
    const build = () => {
      builds++;
      return dockerBuild({ env: daemon.env, context: dir, tags: ['slipway-restart/failing:1'], onLine: () => {} });
    };
    await expect(surviveDaemonRestart(build, { env: daemon.env, what: 'docker build', ...messages })).rejects.toThrow(DockerError);
    expect(builds).toBe(1);
    expect(messages.lost).toEqual([]);
  }, 60_000);

  it('a daemon that stays away is reported after the bounded wait, with how to start it; one that was never there is the build’s own error', async () => {
    const dir = context('sleep', '5'); // not the first test's step, which the cache now holds
    const messages = said();
    let stopping: Promise<void> | undefined;
    const build = () =>
      dockerBuild({
        env: daemon.env,
        context: dir,
        tags: ['slipway-restart/gone:1'],
        onLine: (line) => {
          if (/Running in|RUN \[/.test(line)) stopping ??= daemon.stop();
        },
      });
    const error = await surviveDaemonRestart(build, { env: daemon.env, what: 'docker build', waitMs: 3_000, pollMs: 500, ...messages }).catch((e: unknown) => e);
    await stopping;
    expect(error).toBeInstanceOf(DockerError);
    expect((error as DockerError).message).toBe('docker build was interrupted: the Docker daemon went away and did not answer again within 3 s.');
    expect((error as DockerError).problem).toBe('daemon-down');
    expect((error as DockerError).fix).toMatch(/dockerd|Docker/);
    expect(messages.lost).toHaveLength(1);

    // Down before the build started: nothing to wait for, the build's own "cannot connect".
    const down = said();
    const started = Date.now();
    const direct = await surviveDaemonRestart(build, { env: daemon.env, what: 'docker build', ...down }).catch((e: unknown) => e);
    expect((direct as DockerError).problem).toBe('daemon-down');
    expect(down.lost).toEqual([]);
    expect(Date.now() - started).toBeLessThan(10_000);
    await daemon.start();
  }, 90_000);
});
