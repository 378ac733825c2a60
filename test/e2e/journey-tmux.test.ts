import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSandbox } from '../../src/sandbox/store.js';
import { journeyReady, ROOT, useSandboxApp } from './sandbox-app.js';
import { Terminal } from './terminal.js';

/**
 * The newcomer's journey through the built binary with no AWS account: publish the app (a real
 * `docker build` and `docker push`, into the registry slipway starts for the sandbox), roll it out,
 * rehearse a failure and read its diagnosis, look at `status`, run a one-off task, and tear both
 * environments down. (Bootstrap's own walk through the wizard is bootstrap-tmux.test.ts.)
 */
const ready = journeyReady('the journey test');

describe.skipIf(!ready)('the sandbox journey: publish → rollout → a failure rehearsal → status → run → teardown', () => {
  const fixture = useSandboxApp('journey', 'slipway-journey-');
  let term: Terminal;
  let session = 0;
  afterEach(() => term?.stop());

  /** Runs slipway in the app's folder with nothing of this machine's AWS setup; resolves with the screen at exit. */
  async function slipway(args: string, ms = 120_000): Promise<{ code: number; text: string }> {
    term = new Terminal(`slipway-journey-${process.pid}-${++session}`);
    term.start(120, 45);
    const env = ['env', '-i', `PATH=${process.env.PATH}`, 'LANG=C.UTF-8', 'TERM=xterm-256color', `HOME=${fixture.home}`, `XDG_STATE_HOME=${fixture.stateHome}`];
    // The sandbox flag goes before any `--`, after which everything is the one-off task's command.
    const [own, command] = args.split(' -- ');
    const line = `${own} --sandbox-name journey${command !== undefined ? ` -- ${command}` : ''}`;
    term.type(`cd ${fixture.app} && ${env.join(' ')} node ${join(ROOT, 'dist', 'slipway.js')} ${line}; echo EXIT=$?`);
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
    const state = createSandbox({ name: 'journey', env: { XDG_STATE_HOME: fixture.stateHome } }).snapshot();
    const region = 'us-east-1';
    expect(Object.values(state.ecs?.services?.[region] ?? {}).filter((s) => s.status === 'ACTIVE')).toEqual([]);
    expect(Object.keys(state.elbv2?.loadBalancers[region] ?? {})).toEqual([]);
    expect(Object.values(state.ec2.securityGroups?.[region] ?? {}).filter((g) => g.name !== 'default')).toEqual([]);
    expect(Object.keys(state.iam.roles).filter((r) => r.startsWith('todo-'))).toEqual([]);
  }, 600_000);
});
