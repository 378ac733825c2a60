import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EC2_TEARDOWN_STEPS, EXPRESS_TEARDOWN_STEPS } from '../../../flows/teardown/index.js';
import { createSandbox } from '../../../src/sandbox/store.js';
import { buildChild } from '../../support/build-child.js';
import { freezeClock } from '../../support/child-sandbox.js';
import { runTeardownChild } from './child.js';
import { rolloutWorld, type RolloutWorld } from '../rollout/harness.js';
import { FOREIGN, lookAlikesLeft, taggedFor, twoEnvironmentsOn } from './world.js';

/**
 * The EC2 and Express Mode teardowns killed (SIGKILL, in a child process) as each of their steps starts,
 * and the EC2 one inside the steps that wait (the Auto Scaling group's instances leaving the cluster),
 * then run again: nothing of dev is left, and staging and every look-alike are untouched.
 */
const withoutTasks = (found: string[]) => found.filter((x) => !/^task [0-9a-f]+$/.test(x));
const scratch = mkdtempSync(join(tmpdir(), 'slipway-teardown-targets-crash-'));
let child: string;
beforeAll(async () => {
  child = await buildChild('test/support/teardown-child.ts');
}, 60_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const runChild = (home: string, kill?: string) => runTeardownChild(child, home, kill);

describe.each([
  ['EC2', EC2_TEARDOWN_STEPS.map((s) => s.id)],
  ['EXPRESS', EXPRESS_TEARDOWN_STEPS.map((s) => s.id)],
] as const)('%s teardown killed with SIGKILL, then resumed', (launchType, STEPS) => {
  let template: RolloutWorld;
  let callsBefore: Record<string, number> = {};
  let callsInAll = 0;
  let stagingBefore: string[] = [];
  let copies = 0;
  const copyOfTemplate = (): string => {
    const home = join(scratch, `${launchType}-${++copies}`);
    cpSync(template.home, home, { recursive: true });
    return home;
  };

  /** Nothing tagged for dev is left; staging, the shared ecsInstanceRole and every look-alike are as they were. */
  function assertTornDown(home: string): void {
    const state = createSandbox({ file: join(home, 'sandbox.json') }).snapshot();
    expect(taggedFor(state, 'dev')).toEqual([]);
    expect(withoutTasks(taggedFor(state, 'staging'))).toEqual(stagingBefore);
    if (launchType === 'EC2') {
      expect(state.iam.roles.ecsInstanceRole).toBeDefined();
      expect(Object.keys(state.iam.instanceProfiles ?? {})).toEqual(['ecsInstanceRole']);
    }
    expect(lookAlikesLeft(state)).toEqual([FOREIGN.securityGroup, FOREIGN.partlyTaggedGroup, FOREIGN.role, FOREIGN.logGroup]);
  }

  beforeAll(async () => {
    template = await rolloutWorld();
    await twoEnvironmentsOn(template, launchType);
    stagingBefore = withoutTasks(taggedFor(template.sandbox.snapshot(), 'staging'));
    freezeClock(template.home);
    const full = await runChild(copyOfTemplate());
    expect(full.code, full.stderr).toBe(0);
    expect(Object.keys(full.callsBefore)).toEqual(STEPS);
    callsBefore = full.callsBefore;
    callsInAll = full.calls;
    assertTornDown(full.home);
  }, 240_000);
  afterAll(() => template?.cleanup());

  it.each(STEPS)('killed as %s starts: the resumed teardown leaves nothing of dev behind', async (step) => {
    const killed = await runChild(copyOfTemplate(), `start:${step}`);
    expect(killed.signal, `the run was not killed (exit ${killed.code}) ${killed.stderr}`).toBe('SIGKILL');
    const resumed = await runChild(killed.home);
    expect(resumed.code, resumed.stderr).toBe(0);
    assertTornDown(resumed.home);
  }, 60_000);

  it.runIf(launchType === 'EC2')('killed inside each EC2 capacity step (right after its first call, half-way, and after its last): each resume leaves nothing of dev behind', async () => {
    const points = new Set<number>();
    for (const id of ['auto-scaling-group', 'capacity-provider', 'launch-template', 'instance-security-group']) {
      const i = STEPS.indexOf(id);
      const start = callsBefore[id]!;
      const end = callsBefore[STEPS[i + 1]!] ?? callsInAll;
      for (const at of [start + 1, start + Math.ceil((end - start) / 2), end]) if (at > start) points.add(at);
    }
    expect(points.size).toBeGreaterThanOrEqual(6);
    for (const n of [...points].sort((a, b) => a - b)) {
      const killed = await runChild(copyOfTemplate(), `call:${n}`);
      expect(killed.signal, `call:${n}: the run was not killed (exit ${killed.code}) ${killed.stderr}`).toBe('SIGKILL');
      const resumed = await runChild(killed.home);
      expect(resumed.code, `call:${n}: ${resumed.stderr}`).toBe(0);
      assertTornDown(resumed.home);
    }
  }, 600_000);
});
