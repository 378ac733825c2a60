import { describe, expect, it } from 'vitest';
import { NonInteractivePrompter } from '../../../src/console/ci-prompter.js';
import { statusJsonSchema } from '../../../flows/status/schema.js';
import { DEV, runRollout, writeEnvironmentFile } from '../rollout/harness.js';
import { slipway, useBinaryWorlds } from '../run/binary-world.js';

const world = useBinaryWorlds();

describe('slipway status --json, the built binary', () => {
  it('prints one object that holds to the schema: a running, a failed and an undeployed environment', async () => {
    const w = await world();
    expect((await runRollout(w, new NonInteractivePrompter())).result.status).toBe('done');
    w.sandbox.update((s) => {
      s.scenario = 'crash-loop';
    });
    expect((await runRollout(w, new NonInteractivePrompter(), { ...DEV, env: 'staging' })).result.status).toBe('failed');
    writeEnvironmentFile(w, { env: 'prod', protected: true }); // committed, nothing deployed
    const run = await slipway(w, ['status', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const parsed = statusJsonSchema.safeParse(JSON.parse(lines[0]!));
    expect(parsed.error?.issues ?? []).toEqual([]);
    const environments = parsed.data!.outputs.report.environments;
    expect(environments.map((e) => [e.env, e.deployed])).toEqual([
      ['dev', true],
      ['prod', false],
      ['staging', true],
    ]);
    const staging = environments[2]!;
    expect(staging.deployed && staging.rolloutState).toBe('FAILED');
    expect(staging.deployed && staging.lastFailure?.diagnosis.cause).toBe('essential-container-exited');
    // The human summary went to stderr, beside the JSON.
    expect(run.stderr).toMatch(/dev: todo-dev:1 .* COMPLETED/);
  });

  it('one environment with --env; an unknown one is exit 2', async () => {
    const w = await world();
    await runRollout(w, new NonInteractivePrompter());
    const one = await slipway(w, ['status', '--env', 'dev', '--json']);
    expect(one.code, one.stderr).toBe(0);
    expect(statusJsonSchema.parse(JSON.parse(one.stdout)).outputs.report.environments.map((e) => e.env)).toEqual(['dev']);
    const unknown = await slipway(w, ['status', '--env', 'qa']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/There is no environment "qa" here/);
  });
});
