import { describe, expect, it } from 'vitest';
import { writeEnvironment } from '../../../flows/rollout/environment.js';
import { NonInteractivePrompter } from '../../../src/console/ci-prompter.js';
import type { RolloutScenario } from '../../../src/sandbox/state.js';
import { DEV, publishImage, runRollout, useRolloutWorlds, type RolloutWorld } from './harness.js';

const world = useRolloutWorlds();
const quiet = () => new NonInteractivePrompter();

/** Runs a rollout that must fail, and returns its failure with the log it showed. */
async function failing(w: RolloutWorld, onWatch?: () => void) {
  // Health checks run on the load balancer's own 15 s interval: sandbox time is moved on meanwhile.
  const fastForward = setInterval(() => w.sandbox.clock.advance(15_000), 50);
  const run = await runRollout(w, quiet(), DEV, (e) => {
    if (e.type === 'step-started' && e.stepId === 'watch') onWatch?.();
  }).finally(() => clearInterval(fastForward));
  expect(run.result.status).toBe('failed');
  const failure = run.result.failures[0]!;
  expect(failure.stepId).toBe('watch');
  return { ...failure.error, logs: run.logs };
}

describe('rollout scenarios: each failure ends in its diagnosis', () => {
  const cases: [RolloutScenario, RegExp, RegExp][] = [
    ['crash-loop', /exited with code 1/, /Last log lines:\n {2}│ /],
    ['out-of-memory', /ran out of memory/, /137/],
    ['exec-format', /built for another CPU/, /exec format error/],
    ['health-check-failing', /health check fails/, /answered 404/],
  ];
  for (const [scenario, headline, why] of cases) {
    it(`${scenario}: a first deployment stops at FAILED with the cause`, async () => {
      const w = await world({ scenario });
      const error = await failing(w);
      expect(error.message).toMatch(/^The deployment failed: /);
      expect(error.message).toMatch(headline);
      expect(error.why).toMatch(why);
      expect(error.fix).toContain('slipway rollout --env dev');
      // Stopped tasks were shown as they happened, before the diagnosis.
      expect(error.logs.some((l) => /^task [0-9a-f]{8} stopped: /.test(l))).toBe(true);
    });
  }

  it('circuit breaker: a bad image after a good one rolls back, and the rollout says so', async () => {
    const w = await world();
    const good = await runRollout(w, quiet());
    expect(good.result.status).toBe('done');
    await publishImage(w.sandbox, w.runtime.cwd, 'v2');
    w.sandbox.update((s) => {
      s.scenario = 'crash-loop';
    });
    const error = await failing(w);
    expect(error.message).toMatch(/rolled back to todo-dev:1/);
    expect(error.message).toMatch(/exited with code 1/);
  });

  it('pull error: tasks without a public IP cannot reach ECR', async () => {
    const w = await world();
    writeEnvironment(w.runtime.cwd, 'dev', {
      version: 1, launchType: 'FARGATE', containerPort: 8080, healthCheckPath: '/', healthCheckGracePeriodSeconds: 60, desiredCount: 1, cpu: 256, memory: 512,
      cpuArchitecture: 'X86_64', environment: {}, network: { vpc: 'default', subnets: [], public: false }, logRetentionDays: 30, protected: false,
    });
    const error = await failing(w);
    expect(error.message).toMatch(/cannot reach ECR/);
    expect(error.why).toMatch(/i\/o timeout/);
    expect(error.fix).toMatch(/"network.public": true/);
  });

  it('stuck PENDING: a bounded wait, then the diagnosis and how to re-attach', async () => {
    const w = await world({ scenario: 'stuck-pending' });
    // The watch waits on the account's clock: moving it past the budget stands for 15 quiet minutes.
    const error = await failing(w, () => setTimeout(() => w.sandbox.clock.advance(16 * 60_000), 100));
    expect(error.message).toMatch(/has not finished after 15 min: the tasks never left PENDING/);
    expect(error.fix).toMatch(/watches it again/);
  });

  it('no capacity: the placement events explain it', async () => {
    const w = await world({ scenario: 'no-capacity' });
    const error = await failing(w, () => setTimeout(() => w.sandbox.clock.advance(16 * 60_000), 100));
    expect(error.message).toMatch(/could not place the tasks/);
    expect(error.why).toMatch(/unable to place a task/);
  });

  it('after a reported failure, running again deploys afresh (the person fixed the cause)', async () => {
    const w = await world({ scenario: 'crash-loop' });
    const first = await failing(w);
    expect(first.message).toMatch(/exited/);
    w.sandbox.update((s) => {
      s.scenario = 'success';
    });
    const again = await runRollout(w, quiet());
    expect(again.result.status).toBe('done');
    expect(again.how.service).toBe('applied');
  });
});
