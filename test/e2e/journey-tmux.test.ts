import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox } from '../../src/sandbox/store.js';
import { Terminal } from './terminal.js';

/**
 * The newcomer's journey through the built binary with no AWS account: publish the app (a real
 * `docker build` and `docker push`, into the registry slipway starts for the sandbox), roll it out,
 * rehearse a failure and read its diagnosis, look at `status`, run a one-off task, and tear both
 * environments down. (Bootstrap's own walk through the wizard is bootstrap-tmux.test.ts.)
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const busybox = ['/bin/busybox', '/usr/bin/busybox'].find((p) => existsSync(p));
const registryBinary = ['/usr/bin/docker-registry', '/usr/local/bin/registry', '/opt/homebrew/bin/registry'].some((p) => existsSync(p));
const ready = Terminal.available() && Boolean(busybox) && registryBinary && spawnSync('docker', ['info']).status === 0;
if (!ready && process.env.CI === 'true') throw new Error('CI needs tmux, busybox, docker-registry and a Docker daemon for the journey test (.ci/run installs them).');

describe.skipIf(!ready)('the sandbox journey: publish → rollout → a failure rehearsal → status → run → teardown', () => {
  let home: string;
  let app: string;
  let term: Terminal;
  let session = 0;
  const stateHome = () => join(home, 'state');

  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'slipway-journey-'));
    app = join(home, 'todo');
    cpSync(new URL('../fixtures/publish-app', import.meta.url), app, { recursive: true });
    copyFileSync(busybox ?? '', join(app, 'busybox'));
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: app });
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'todo');
    // Quick tasks: a third of a second of sandbox time per task phase.
    createSandbox({ name: 'journey', env: { XDG_STATE_HOME: stateHome() } }).update((s) => {
      s.ecs = { ...(s.ecs ?? {}), taskPhaseSeconds: 0.3 };
    });
  });
  afterEach(() => term?.stop());
  afterAll(() => {
    spawnSync(process.execPath, [join(ROOT, 'dist', 'slipway.js'), 'sandbox', 'reset', '--sandbox-name', 'journey', '--yes'], { env: { PATH: process.env.PATH, HOME: home, XDG_STATE_HOME: stateHome() } });
    rmSync(home, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  });

  /** Runs slipway in the app's folder with nothing of this machine's AWS setup; resolves with the screen at exit. */
  async function slipway(args: string, ms = 120_000): Promise<{ code: number; text: string }> {
    term = new Terminal(`slipway-journey-${process.pid}-${++session}`);
    term.start(120, 45);
    const env = ['env', '-i', `PATH=${process.env.PATH}`, 'LANG=C.UTF-8', 'TERM=xterm-256color', `HOME=${home}`, `XDG_STATE_HOME=${stateHome()}`];
    // The sandbox flag goes before any `--`, after which everything is the one-off task's command.
    const [own, command] = args.split(' -- ');
    const line = `${own} --sandbox-name journey${command !== undefined ? ` -- ${command}` : ''}`;
    term.type(`cd ${app} && ${env.join(' ')} node ${join(ROOT, 'dist', 'slipway.js')} ${line}; echo EXIT=$?`);
    const screen = await term.waitFor(`slipway ${args}`, (s) => /EXIT=\d+/.test(s), ms);
    const text = term.history();
    term.stop();
    return { code: Number(/EXIT=(\d+)/.exec(screen)?.[1]), text };
  }

  it('goes all the way, and leaves nothing behind', async () => {
    const published = await slipway('publish --plain --yes --app todo --namespace apps');
    expect(published.code, published.text).toBe(0);
    expect(published.text).toMatch(/Published 127\.0\.0\.1:\d+\/apps\/todo:[0-9a-f]{7}/);

    const dev = await slipway('rollout --plain --yes --env dev');
    expect(dev.code, dev.text).toBe(0);
    expect(dev.text).toMatch(/Running at http:\/\/todo-dev-\d+\.us-east-1\.elb\.amazonaws\.com\//);

    const scenario = await slipway('sandbox scenario crash-loop');
    expect(scenario.code).toBe(0);
    const staging = await slipway('rollout --plain --yes --env staging');
    expect(staging.code).toBe(1);
    expect(staging.text).toContain('The deployment failed: the app exited with code 1');
    expect(staging.text).toContain('Last log lines:');
    await slipway('sandbox scenario success');

    const status = await slipway('status --json');
    expect(status.code, status.text).not.toBe(2);
    expect(status.text).toContain('"dev"');

    const job = await slipway("run --plain --yes --env dev -- sh -c 'echo migrating; exit 3'");
    expect(job.code, job.text).toBe(3);

    for (const env of ['staging', 'dev']) {
      const gone = await slipway(`teardown --plain --yes --approve --env ${env}`);
      expect(gone.code, gone.text).toBe(0);
    }
    const state = createSandbox({ name: 'journey', env: { XDG_STATE_HOME: stateHome() } }).snapshot();
    const region = 'us-east-1';
    expect(Object.values(state.ecs?.services?.[region] ?? {}).filter((s) => s.status === 'ACTIVE')).toEqual([]);
    expect(Object.keys(state.elbv2?.loadBalancers[region] ?? {})).toEqual([]);
    expect(Object.values(state.ec2.securityGroups?.[region] ?? {}).filter((g) => g.name !== 'default')).toEqual([]);
    expect(Object.keys(state.iam.roles).filter((r) => r.startsWith('todo-'))).toEqual([]);
  }, 600_000);
});
