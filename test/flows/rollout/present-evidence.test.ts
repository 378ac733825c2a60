import { describe, expect, it } from 'vitest';
import { NonInteractivePrompter } from '../../../src/console/ci-prompter.js';
import { publishImage, runRollout, useRolloutWorlds } from './harness.js';

const world = useRolloutWorlds();
const quiet = () => new NonInteractivePrompter();
const PROD = { region: 'us-east-1', app: 'todo', env: 'prod' };

describe('the approval plan is computed from the present', () => {
  it('a new image on a running protected environment lists only the task definition change', async () => {
    const w = await world();
    expect((await runRollout(w, quiet(), { ...PROD, approve: true })).result.status).toBe('done');
    const v2 = await publishImage(w.sandbox, w.runtime.cwd, 'v2');
    const { result } = await runRollout(w, quiet(), PROD);
    expect(result.failures[0]?.stepId).toBe('approval');
    const plan = String(result.failures[0]?.error.why ?? '').split('; ');
    // Every resource exists: the security groups, the listener — none of them is "create".
    expect(plan.filter((l) => l.startsWith('create:'))).toEqual([]);
    expect(plan.join('\n')).toContain(v2.digest);
  });

  it('the same on EC2 capacity: the instances’ security group, launch template, group and capacity provider exist', async () => {
    const w = await world();
    expect((await runRollout(w, quiet(), { ...PROD, launchType: 'EC2', approve: true })).result.status).toBe('done');
    await publishImage(w.sandbox, w.runtime.cwd, 'v2');
    const { result } = await runRollout(w, quiet(), PROD);
    expect(result.failures[0]?.stepId).toBe('approval');
    expect(String(result.failures[0]?.error.why ?? '').split('; ').filter((l) => l.startsWith('create:'))).toEqual([]);
  });

  it('a protected environment made from nothing still lists every resource as created', async () => {
    const w = await world();
    const { result } = await runRollout(w, quiet(), PROD);
    const plan = String(result.failures[0]?.error.why ?? '');
    expect(plan).toContain('create: ec2:CreateSecurityGroup todo-prod');
    expect(plan).toMatch(/create: .*CreateListener/);
  });
});
