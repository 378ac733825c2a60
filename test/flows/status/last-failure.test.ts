import { describe, expect, it } from 'vitest';
import { NonInteractivePrompter } from '../../../src/console/ci-prompter.js';
import type { RolloutScenario } from '../../../src/sandbox/state.js';
import { statusFlow } from '../../../flows/status/index.js';
import { statusReportSchema } from '../../../flows/status/schema.js';
import { DEV, publishImage, runRollout, useRolloutWorlds, type RolloutWorld } from '../rollout/harness.js';
import { runDay2 } from '../run/day2-harness.js';

const world = useRolloutWorlds();
const quiet = () => new NonInteractivePrompter();

function scenario(w: RolloutWorld, name: RolloutScenario): void {
  w.sandbox.update((s) => {
    s.scenario = name;
  });
}

/** A rollout that ends as given; the load balancer's 15 s health-check interval is moved on meanwhile. */
async function rollout(w: RolloutWorld, expected: 'done' | 'failed', extra = {}, onWatch?: () => void) {
  const fastForward = setInterval(() => w.sandbox.clock.advance(15_000), 50);
  const run = await runRollout(w, quiet(), { ...DEV, ...extra }, (e) => {
    if (onWatch && e.type === 'step-started' && e.stepId === 'watch') setTimeout(onWatch, 100);
  }).finally(() => clearInterval(fastForward));
  expect(run.result.status, run.result.failures[0]?.error.message).toBe(expected);
  return run.result.outputs;
}

async function devStatus(w: RolloutWorld) {
  const run = await runDay2(statusFlow(w.runtime), w, { region: 'us-east-1', app: 'todo', env: 'dev' });
  expect(run.result.failures).toEqual([]);
  const dev = statusReportSchema.parse(run.result.outputs.report).environments[0]!;
  if (!dev.deployed) throw new Error('dev is not deployed');
  return { dev, summary: run.result.summary };
}

describe('slipway status: the last failure names the deployment it is from', () => {
  it('a failed deployment: its id, revision and start, as the current one', async () => {
    const w = await world({ scenario: 'crash-loop' });
    const outputs = await rollout(w, 'failed');
    const { dev, summary } = await devStatus(w);
    expect(dev.lastFailure).toMatchObject({ deploymentId: outputs.service?.deploymentId, revision: 'todo-dev:1', current: true, stopCode: 'EssentialContainerExited' });
    expect(dev.lastFailure?.deploymentCreatedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(summary.join('\n')).toContain(`last failure (deployment ${String(outputs.service?.deploymentId)} · todo-dev:1 · started `);
  });

  it('a deployment stuck pending after one that failed its health check: the old failure is named as an earlier deployment’s', async () => {
    const w = await world({ scenario: 'health-check-failing' });
    const first = await rollout(w, 'failed');
    await publishImage(w.sandbox, w.runtime.cwd, 'v2');
    scenario(w, 'stuck-pending');
    const second = await rollout(w, 'done', { detach: true });
    const { dev, summary } = await devStatus(w);
    expect(dev).toMatchObject({ revision: 'todo-dev:2', rolloutState: 'IN_PROGRESS', pendingCount: 1 });
    expect(dev.lastFailure).toMatchObject({ deploymentId: first.service?.deploymentId, revision: 'todo-dev:1', current: false });
    expect(dev.lastFailure?.deploymentId).not.toBe(second.service?.deploymentId);
    expect(dev.lastFailure?.diagnosis.cause).toBe('health-check-failing');
    expect(summary.join('\n')).toMatch(/last failure, of an earlier deployment \(not the one running now\) \(deployment ecs-svc\/\d+ · todo-dev:1/);
  });

  it('a rolled-back deployment: its failure, named, while the restored revision runs', async () => {
    const w = await world();
    await rollout(w, 'done');
    await publishImage(w.sandbox, w.runtime.cwd, 'v2');
    scenario(w, 'crash-loop');
    const bad = await rollout(w, 'failed');
    const { dev } = await devStatus(w);
    expect(dev).toMatchObject({ revision: 'todo-dev:1', rolloutState: 'COMPLETED' });
    expect(dev.lastFailure).toMatchObject({ deploymentId: bad.service?.deploymentId, revision: 'todo-dev:2', current: false });
    expect(dev.lastFailure?.diagnosis.cause).toBe('essential-container-exited');
  });

  it('the same revision deployed again and stuck: the crash is the earlier deployment’s, not this one’s', async () => {
    const w = await world({ scenario: 'crash-loop' });
    const first = await rollout(w, 'failed');
    scenario(w, 'stuck-pending');
    // Run again after the reported failure (a new deployment of the same revision), watched past its budget.
    const second = await rollout(w, 'failed', {}, () => w.sandbox.clock.advance(16 * 60_000));
    expect(second.service?.deploymentId).not.toBe(first.service?.deploymentId);
    const { dev } = await devStatus(w);
    expect(dev).toMatchObject({ revision: 'todo-dev:1', rolloutState: 'IN_PROGRESS' });
    expect(dev.lastFailure).toMatchObject({ deploymentId: first.service?.deploymentId, current: false });
  });

  it('reports from before these fields still parse', () => {
    const old = { taskArn: null, revision: 'todo-dev:1', stoppedAt: null, stopCode: null, stoppedReason: null, exitCode: null, diagnosis: { cause: 'unknown', title: 't', why: 'w', fix: 'f', evidence: [], logLines: [] } };
    const report = { app: 'todo', region: 'us-east-1', account: '1', environments: [{ env: 'dev', file: 'f', protected: false, fileProblem: null, cluster: 'c', service: 's', deployed: true, revision: 'todo-dev:1', taskDefinitionArn: 'a', image: null, imageDigest: null, desiredCount: 1, runningCount: 1, pendingCount: 0, rolloutState: 'FAILED', rolloutStateReason: null, url: null, lastFailure: old }] };
    expect(() => statusReportSchema.parse(report)).not.toThrow();
  });
});
