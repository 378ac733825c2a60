import { describe, expect, it } from 'vitest';
import { statusFlow } from '../../../flows/status/index.js';
import { statusReportSchema, type StatusReport } from '../../../flows/status/schema.js';
import { teardownFlow } from '../../../flows/teardown/index.js';
import { NonInteractivePrompter } from '../../../src/console/ci-prompter.js';
import { DEV, runRollout, useRolloutWorlds, type RolloutWorld } from '../rollout/harness.js';
import { runDay2 } from '../run/day2-harness.js';

const world = useRolloutWorlds();
const quiet = () => new NonInteractivePrompter();
const URL = 'https://todo-dev.ecs.us-east-1.on.aws';

async function status(w: RolloutWorld, env?: string) {
  const run = await runDay2(statusFlow(w.runtime), w, { region: 'us-east-1', app: 'todo', ...(env ? { env } : {}) });
  expect(run.result.failures).toEqual([]);
  const report: StatusReport = statusReportSchema.parse(run.result.outputs.report);
  return { ...run, report };
}

describe('slipway status of an Express Mode environment', () => {
  it('the service’s state, its revision and image, and its endpoint as the URL — in the report’s shape', async () => {
    const w = await world();
    const rollout = await runRollout(w, quiet(), { ...DEV, launchType: 'EXPRESS' });
    expect(rollout.result.status).toBe('done');
    const serviceRevisionArn = String(rollout.result.outputs.service?.serviceRevisionArn);
    const { report, result } = await status(w, 'dev');
    const dev = report.environments[0]!;
    expect(dev).toMatchObject({
      env: 'dev',
      deployed: true,
      launchType: 'EXPRESS',
      revision: 'todo-dev:1',
      image: w.published.image,
      imageDigest: w.published.digest,
      rolloutState: 'COMPLETED',
      url: URL,
      lastFailure: null,
      express: { serviceArn: expect.stringMatching(/:service\/todo-dev\/todo-dev$/), status: 'ACTIVE', serviceRevisionArn, endpoint: URL },
    });
    // ECS does not report an Express service's task counts: null, not a made-up number.
    expect(dev.deployed && [dev.desiredCount, dev.runningCount, dev.pendingCount]).toEqual([null, null, null]);
    expect(result.summary[0]).toBe(`dev: todo-dev:1 · ${w.published.digest.slice(0, 19)}… · Express ACTIVE · revision ${serviceRevisionArn.split('/').pop()} · COMPLETED · ${URL}`);
  });

  it('beside a Fargate environment (launchType FARGATE, express null); torn down, it is "nothing deployed"', async () => {
    const w = await world();
    expect((await runRollout(w, quiet(), { ...DEV, launchType: 'EXPRESS' })).result.status).toBe('done');
    expect((await runRollout(w, quiet(), { ...DEV, env: 'staging' })).result.status).toBe('done');
    const { report } = await status(w);
    expect(report.environments.map((e) => [e.env, e.deployed && e.launchType, e.deployed && e.express?.status])).toEqual([
      ['dev', 'EXPRESS', 'ACTIVE'],
      ['staging', 'FARGATE', undefined],
    ]);
    const staging = report.environments[1]!;
    expect(staging.deployed && staging.express).toBeNull();

    expect((await runDay2(teardownFlow(w.runtime), w, { ...DEV, approve: true, deleteLogs: true })).result.status).toBe('done');
    const after = await status(w, 'dev');
    expect(after.report.environments[0]).toMatchObject({ env: 'dev', deployed: false });
  });

  it('the schema still reads a report without the new keys (an older slipway’s), and refuses an unknown Express status', () => {
    const older = {
      app: 'todo',
      region: 'us-east-1',
      account: '123456789012',
      environments: [
        {
          env: 'dev', file: 'slipway/environments/dev.json', protected: false, fileProblem: null, cluster: 'todo-dev', service: 'todo-dev', deployed: true,
          revision: 'todo-dev:1', taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/todo-dev:1', image: null, imageDigest: null,
          desiredCount: 1, runningCount: 1, pendingCount: 0, rolloutState: 'COMPLETED', rolloutStateReason: null, url: null, lastFailure: null,
        },
      ],
    };
    expect(statusReportSchema.safeParse(older).success).toBe(true);
    const express = { serviceArn: 'arn', status: 'ACTIVE', statusReason: null, serviceRevisionArn: 'arn/1', endpoint: URL, deploymentStatus: null };
    const withExpress = structuredClone(older);
    Object.assign(withExpress.environments[0]!, { launchType: 'EXPRESS', express, desiredCount: null, runningCount: null, pendingCount: null });
    expect(statusReportSchema.safeParse(withExpress).success).toBe(true);
    Object.assign(withExpress.environments[0]!, { express: { ...express, status: 'RUNNING' } });
    expect(statusReportSchema.safeParse(withExpress).success).toBe(false);
  });
});
