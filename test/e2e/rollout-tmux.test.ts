import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../../src/sandbox/store.js';
import { publishImage } from '../flows/rollout/harness.js';
import { Terminal, processesGoneFrom } from './terminal.js';

/**
 * `slipway rollout` through the built binary in a real terminal, against a sandbox whose ECR holds a
 * published image: the questions for a new environment, the approval of a protected one (typed, in the
 * wizard and in plain mode; refused without --approve when nobody can be asked), the live deployment,
 * the URL — and a failure rehearsal (`slipway sandbox scenario crash-loop`) ending in its diagnosis.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe.skipIf(!Terminal.available())('rollout through the binary (tmux, sandbox)', () => {
  let home: string;
  let app: string;
  let sandbox: Sandbox;
  let term: Terminal;
  let session = 0;

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'slipway-rollout-e2e-'));
    app = join(home, 'app');
    sandbox = createSandbox({ name: 'e2e', env: { XDG_STATE_HOME: join(home, 'state') } });
    // Tasks start in a fraction of a second of sandbox time per phase, so the rollout takes seconds.
    sandbox.update((state) => {
      state.ecs = { ...(state.ecs ?? {}), taskPhaseSeconds: 0.3 };
    });
    await publishImage(sandbox, app, 'v1');
  });
  afterEach(() => term?.stop());
  afterAll(async () => {
    await processesGoneFrom(home);
    rmSync(home, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  });

  function slipway(args: string, [width, height] = [110, 40]): void {
    term = new Terminal(`slipway-rollout-${process.pid}-${++session}`);
    term.start(width, height);
    const env = ['env', '-i', `PATH=${process.env.PATH}`, 'LANG=C.UTF-8', 'TERM=xterm-256color', `HOME=${home}`, `XDG_STATE_HOME=${join(home, 'state')}`];
    term.type(`cd ${app} && ${env.join(' ')} node ${join(ROOT, 'dist', 'slipway.js')} ${args}; echo EXIT=$?`);
  }

  async function answerNewEnvironment(): Promise<void> {
    for (const question of ['Where should the app run?', 'Port your app listens on', 'Health check path', 'How many copies', 'Task size', 'Keep logs for how many days', 'Protect it']) {
      await term.waitFor(question, (s) => s.includes(question));
      term.keys('Enter');
    }
  }

  it('the wizard: a protected environment is created after its name is typed, and the deployment is watched to the URL', async () => {
    slipway('rollout --sandbox-name e2e --env prod --region us-east-1 --app todo');
    await answerNewEnvironment();
    const approval = await term.waitFor('the approval', (s) => s.includes('Type "prod" to approve'));
    expect(approval).toContain('SANDBOX e2e');
    expect(approval).toContain('create: ecs:CreateCluster todo-prod');
    term.type('nope');
    await term.waitFor('a second chance', (s) => s.includes('Type prod exactly to approve'));
    term.keys('C-u');
    term.type('prod');
    const done = await term.waitFor('the end', (s) => s.includes('Done in') || s.includes('✖'), 60_000);
    expect(done).toContain('Running at http://todo-prod-');
    term.keys('q');
    expect(await term.waitFor('the exit code', (s) => /EXIT=\d+/.test(s))).toContain('EXIT=0');
    const service = Object.values(sandbox.snapshot().ecs?.services?.['us-east-1'] ?? {}).find((s) => s.name === 'todo-prod');
    expect(service?.status).toBe('ACTIVE');
  }, 120_000);

  it('the wizard at 80×24: the approval gives its plan the screen (scrolled), a burst of Backspaces corrects the name, and teardown lists what it deletes before it asks', async () => {
    const small: [number, number] = [80, 24];
    const fits = (screen: string) => screen.split('\n').every((line) => [...line].length <= 80);
    slipway('rollout --sandbox-name e2e --env prod-eu --region us-east-1 --app todo', small);
    await answerNewEnvironment();
    let approval = await term.waitFor('the approval', (s) => s.includes('Type "prod-eu" to approve'));
    expect(approval).toContain('Changes to prod-eu (protected):');
    expect(approval).toContain('create: ecs:CreateCluster todo-prod-eu');
    expect(fits(approval)).toBe(true);
    // Every line can be reached: paged down, when the plan is longer than the screen, to its last (the service).
    for (let i = 0; i < 5 && !approval.includes('create: ECS service todo-prod-eu'); i++) {
      term.keys('NPage');
      approval = await term.waitFor('the plan to scroll', (s) => s !== approval || s.includes('create: ECS service todo-prod-eu'), 5_000).catch(() => term.screen());
    }
    expect(approval).toContain('create: ECS service todo-prod-eu with 2 tasks');
    // A fast typist: "prod-xyz", three Backspaces in one burst, then the rest.
    term.tmux('send-keys', '-t', 'main', '-l', 'prod-xyz');
    term.keys('BSpace', 'BSpace', 'BSpace');
    term.type('eu');
    const done = await term.waitFor('the end', (s) => s.includes('Done in') || s.includes('✖') || s.includes('Type prod-eu exactly'), 60_000);
    expect(done).toContain('Done in');
    term.keys('q');
    expect(await term.waitFor('the exit code', (s) => /EXIT=\d+/.test(s))).toContain('EXIT=0');
    term.stop();

    slipway('teardown --sandbox-name e2e --env prod-eu --region us-east-1 --app todo', small);
    await term.waitFor('the log question', (s) => s.includes('Delete its log group too'));
    term.keys('Enter');
    const confirm = await term.waitFor('the confirmation', (s) => s.includes('Type "prod-eu" to delete'));
    expect(confirm).toContain('What will be deleted in prod-eu:');
    expect(confirm).toMatch(/ECS service todo-prod-eu \(\d+ running\): scaled to 0, then deleted/);
    expect(fits(confirm)).toBe(true);
    term.type('prod-eu');
    expect(await term.waitFor('the end', (s) => s.includes('Done in') || s.includes('✖'), 60_000)).toContain('Done in');
    term.keys('q');
    expect(await term.waitFor('the exit code', (s) => /EXIT=\d+/.test(s))).toContain('EXIT=0');
  }, 180_000);

  it('plain mode: the same approval, typed at a line prompt', async () => {
    slipway('rollout --plain --sandbox-name e2e --env live --region us-east-1 --app todo');
    await answerNewEnvironment();
    await term.waitFor('the approval', (s) => s.includes('Type "live" to approve'));
    term.type('live');
    const done = await term.waitFor('the exit code', (s) => /EXIT=\d+/.test(s), 60_000);
    expect(done).toContain('Running at http://todo-live-');
    expect(done).toContain('EXIT=0');
  }, 120_000);

  it('non-interactive: a protected environment is refused without --approve, and nothing is deployed', async () => {
    slipway('rollout --yes --sandbox-name e2e --env production --region us-east-1 --app todo');
    const done = await term.waitFor('the exit code', (s) => /EXIT=\d+/.test(s), 60_000);
    expect(done).toMatch(/EXIT=[1-9]/);
    expect(term.history()).toContain('pass --approve');
    const services = Object.values(sandbox.snapshot().ecs?.services?.['us-east-1'] ?? {}).map((s) => s.name);
    expect(services).not.toContain('todo-production');
  }, 60_000);

  it('a failure rehearsal ends in its diagnosis, with the container’s last log lines', async () => {
    slipway('sandbox scenario crash-loop --sandbox-name e2e');
    await term.waitFor('the scenario', (s) => /EXIT=0/.test(s));
    term.stop();
    slipway('rollout --sandbox-name e2e --env dev --region us-east-1 --app todo --yes');
    const done = await term.waitFor('the exit code', (s) => /EXIT=\d+/.test(s), 90_000);
    const text = term.history();
    expect(done).toContain('EXIT=1');
    expect(text).toContain('The deployment failed: the app exited with code 1');
    expect(text).toContain('Error: connect ECONNREFUSED');
  }, 120_000);
});
