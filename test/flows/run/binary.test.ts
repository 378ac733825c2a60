import { describe, expect, it } from 'vitest';
import { NonInteractivePrompter } from '../../../src/console/ci-prompter.js';
import { runRollout } from '../rollout/harness.js';
import { slipway, useBinaryWorlds } from './binary-world.js';

const world = useBinaryWorlds();

describe('slipway run, the built binary', () => {
  it('exits with the container’s exit code (3, then 0), its log on the way', async () => {
    const w = await world();
    expect((await runRollout(w, new NonInteractivePrompter())).result.status).toBe('done');
    const failing = await slipway(w, ['run', '--env', 'dev', '--', 'sh', '-c', 'echo migrating; exit 3']);
    expect(failing.code, failing.stderr).toBe(3);
    expect(failing.stdout).toContain('│ sh -c echo migrating; exit 3');
    expect(failing.stdout).toMatch(/exited with code 3; slipway exits with the same code/);
    const passing = await slipway(w, ['run', '--env', 'dev', '--', 'sh', '-c', 'exit 0']);
    expect(passing.code, passing.stderr).toBe(0);
  });

  it('--json: one result object whose exitCode is the container’s', async () => {
    const w = await world();
    await runRollout(w, new NonInteractivePrompter());
    const run = await slipway(w, ['run', '--env', 'dev', '--json', '--', './migrate', '--fail-with', 'exit 7']);
    expect(run.code).toBe(7);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const result = JSON.parse(lines[0]!) as { flow: string; status: string; exitCode: number; outputs: { wait: { exitCode: number } } };
    expect(result).toMatchObject({ flow: 'run', status: 'done', exitCode: 7, outputs: { wait: { exitCode: 7 } } });
    expect(run.stderr).toContain('│ ./migrate --fail-with exit 7');
  });

  it('a task ECS will not start is exit 1 with the reason; bad input is exit 2', async () => {
    const w = await world();
    await runRollout(w, new NonInteractivePrompter());
    const noCommand = await slipway(w, ['run', '--env', 'dev']);
    expect(noCommand.code).toBe(2);
    expect(noCommand.stderr).toMatch(/Pass -- <value>/);
    w.sandbox.update((s) => {
      s.scenario = 'no-capacity';
    });
    const refused = await slipway(w, ['run', '--env', 'dev', '--', 'migrate']);
    expect(refused.code).toBe(1);
    expect(refused.stdout + refused.stderr).toMatch(/ECS did not start the task: Capacity is unavailable/);
    const unknown = await slipway(w, ['run', '--env', 'qa', '--', 'migrate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/There is no environment "qa" here/);
  });
});
