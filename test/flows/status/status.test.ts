import { describe, expect, it } from 'vitest';
import { NonInteractivePrompter } from '../../../src/console/ci-prompter.js';
import { listUnfinishedRuns } from '../../../src/engine/journal.js';
import { statusFlow } from '../../../flows/status/index.js';
import { statusReportSchema, type StatusReport } from '../../../flows/status/schema.js';
import { DEV, runRollout, useRolloutWorlds, writeEnvironmentFile, type RolloutWorld } from '../rollout/harness.js';
import { runDay2 } from '../run/day2-harness.js';

const world = useRolloutWorlds();
const quiet = () => new NonInteractivePrompter();

async function status(w: RolloutWorld, env?: string) {
  const run = await runDay2(statusFlow(w.runtime), w, { region: 'us-east-1', app: 'todo', ...(env ? { env } : {}) });
  expect(run.result.failures).toEqual([]);
  // The report a script reads from `slipway status --json` (outputs.report) holds to its schema.
  const report: StatusReport = statusReportSchema.parse(run.result.outputs.report);
  return { ...run, report };
}

/** dev runs, staging's first deployment crash-loops (FAILED), prod has a file and nothing deployed. */
async function threeEnvironments(w: RolloutWorld) {
  expect((await runRollout(w, quiet())).result.status).toBe('done');
  w.sandbox.update((s) => {
    s.scenario = 'crash-loop';
  });
  expect((await runRollout(w, quiet(), { ...DEV, env: 'staging' })).result.status).toBe('failed');
  // A protected environment whose file is committed, and nothing deployed yet.
  writeEnvironmentFile(w, { env: 'prod', protected: true });
}

describe('slipway status', () => {
  it('a running environment: revision, image digest, counts, COMPLETED, URL, no failure', async () => {
    const w = await world();
    const rollout = await runRollout(w, quiet());
    const { report, result } = await status(w, 'dev');
    expect(report).toMatchObject({ app: 'todo', region: 'us-east-1', account: w.sandbox.accountId });
    expect(report.environments).toHaveLength(1);
    const dev = report.environments[0]!;
    expect(dev).toMatchObject({
      env: 'dev',
      deployed: true,
      revision: 'todo-dev:1',
      taskDefinitionArn: rollout.result.outputs['task-definition']?.arn,
      image: w.published.image,
      imageDigest: w.published.digest,
      desiredCount: 1,
      runningCount: 1,
      pendingCount: 0,
      rolloutState: 'COMPLETED',
      url: `http://${String(rollout.result.outputs['load-balancer']?.dnsName)}/`,
      lastFailure: null,
      protected: false,
      fileProblem: null,
    });
    expect(result.summary[0]).toMatch(/^dev: todo-dev:1 · sha256:[0-9a-f]{12}… · running 1\/1 · COMPLETED · http:\/\//);
  });

  it('a failed environment: FAILED with the last failure and its diagnosis (the crash, its log lines)', async () => {
    const w = await world({ scenario: 'crash-loop' });
    expect((await runRollout(w, quiet())).result.status).toBe('failed');
    const { report, logs } = await status(w, 'dev');
    const dev = report.environments[0]!;
    expect(dev.deployed).toBe(true);
    if (!dev.deployed) return;
    expect(dev.rolloutState).toBe('FAILED');
    expect(dev.lastFailure).not.toBeNull();
    expect(dev.lastFailure).toMatchObject({ revision: 'todo-dev:1', stopCode: 'EssentialContainerExited', exitCode: 1 });
    expect(dev.lastFailure?.stoppedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(dev.lastFailure?.diagnosis.cause).toBe('essential-container-exited');
    expect(dev.lastFailure?.diagnosis.title).toMatch(/exited with code 1/);
    expect(dev.lastFailure?.diagnosis.logLines).toContain('Error: connect ECONNREFUSED 127.0.0.1:5432');
    // The diagnosis is shown too, not only returned.
    expect(logs.some((l) => /Error: connect ECONNREFUSED/.test(l))).toBe(true);
  });

  it('an environment with nothing deployed says so, and how to deploy it', async () => {
    const w = await world();
    writeEnvironmentFile(w, { env: 'prod', protected: true });
    const { report, result } = await status(w, 'prod');
    expect(report.environments).toEqual([
      expect.objectContaining({ env: 'prod', deployed: false, protected: true, message: expect.stringContaining('`slipway rollout --env prod` deploys it') }),
    ]);
    expect(result.summary).toEqual(['prod: nothing deployed — `slipway rollout --env prod`']);
  });

  it('without --env: every environment file, in order, each as it is', async () => {
    const w = await world();
    await threeEnvironments(w);
    const { report, result } = await status(w);
    expect(report.environments.map((e) => [e.env, e.deployed, e.deployed ? e.rolloutState : null])).toEqual([
      ['dev', true, 'COMPLETED'],
      ['prod', false, null],
      ['staging', true, 'FAILED'],
    ]);
    const staging = report.environments[2]!;
    expect(staging.deployed && staging.lastFailure?.diagnosis.cause).toBe('essential-container-exited');
    const dev = report.environments[0]!;
    expect(dev.deployed && dev.lastFailure).toBeNull();
    expect(result.summary.join('\n')).toMatch(/^staging: todo-staging:1 .* FAILED/m);
    expect(result.summary.join('\n')).toMatch(/^ {2}last failure \(.*\): The app exited with code 1/m);
  });

  it('a folder without environments says how to make the first', async () => {
    const w = await world();
    const { report, result } = await status(w);
    expect(report.environments).toEqual([]);
    expect(result.summary).toEqual(['No environments yet: `slipway rollout --env dev` makes the first.']);
  });

  it('changes nothing and leaves no run to resume', async () => {
    const w = await world();
    await runRollout(w, quiet());
    const before = JSON.stringify(w.sandbox.snapshot().elbv2);
    const { result } = await status(w);
    expect(result.kind).toBe('checks');
    expect(listUnfinishedRuns(w.env)).toEqual([]);
    expect(JSON.stringify(w.sandbox.snapshot().elbv2)).toBe(before);
  });
});
