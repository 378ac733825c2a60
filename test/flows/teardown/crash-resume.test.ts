import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEARDOWN_STEPS } from '../../../flows/teardown/index.js';
import { createSandbox } from '../../../src/sandbox/store.js';
import { buildChild } from '../../support/build-child.js';
import { freezeClock } from '../../support/child-sandbox.js';
import { runTeardownChild } from './child.js';
import { rolloutWorld, type RolloutWorld } from '../rollout/harness.js';
import { lookAlikesLeft, taggedFor, twoEnvironmentsAndLookAlikes, FOREIGN } from './world.js';

const STEPS = TEARDOWN_STEPS.map((s) => s.id);
const scratch = mkdtempSync(join(tmpdir(), 'slipway-teardown-crash-'));
let child: string;
let template: RolloutWorld;
/** Sandbox calls made before each step of an uninterrupted teardown, and in all. */
let callsBefore: Record<string, number> = {};
let callsInAll = 0;

beforeAll(async () => {
  child = await buildChild('test/support/teardown-child.ts');
  // One world with dev and staging rolled out and dev's look-alikes made; each case tears down a copy.
  template = await rolloutWorld();
  await twoEnvironmentsAndLookAlikes(template);
  freezeClock(template.home);
  const full = await runChild(copyOfTemplate());
  expect(full.code, full.stderr).toBe(0);
  callsBefore = full.callsBefore;
  callsInAll = full.calls;
  assertTornDown(full.home);
}, 180_000);
afterAll(() => {
  template?.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

let copies = 0;
function copyOfTemplate(): string {
  const home = join(scratch, `world-${++copies}`);
  cpSync(template.home, home, { recursive: true });
  return home;
}

const runChild = (home: string, kill?: string) => runTeardownChild(child, home, kill);

/** Nothing tagged for dev is left; staging and every look-alike are as they were. */
function assertTornDown(home: string): void {
  const state = createSandbox({ file: join(home, 'sandbox.json') }).snapshot();
  expect(taggedFor(state, 'dev')).toEqual([]);
  expect(taggedFor(state, 'staging').filter((x) => !/^task [0-9a-f]+$/.test(x))).toHaveLength(10);
  expect(lookAlikesLeft(state)).toEqual([FOREIGN.securityGroup, FOREIGN.partlyTaggedGroup, FOREIGN.role, FOREIGN.logGroup]);
}

/**
 * Points inside each step that changes something: half-way through, and right after its last call —
 * AWS changed, the journal not yet told.
 */
function killPointsInside(): number[] {
  const points = new Set<number>();
  STEPS.forEach((id, i) => {
    if (id === 'identity' || id === 'plan') return; // they only read
    const start = callsBefore[id] ?? 0;
    const end = i + 1 < STEPS.length ? (callsBefore[STEPS[i + 1]!] ?? callsInAll) : callsInAll;
    for (const at of [start + Math.ceil((end - start) / 2), end]) if (at > start) points.add(at);
  });
  return [...points].sort((a, b) => a - b);
}

describe('teardown killed with SIGKILL, then resumed', () => {
  it.each(STEPS)('killed as %s starts: the resumed teardown leaves nothing of dev behind', async (step) => {
    const killed = await runChild(copyOfTemplate(), `start:${step}`);
    expect(killed.signal, `the run was not killed (exit ${killed.code}) ${killed.stderr}`).toBe('SIGKILL');
    const resumed = await runChild(killed.home);
    expect(resumed.code, resumed.stderr).toBe(0);
    assertTornDown(resumed.home);
  }, 60_000);

  it('killed inside every step that changes something (half-way, and after its last call): each resume leaves nothing of dev behind', async () => {
    const points = killPointsInside();
    expect(points.length).toBeGreaterThanOrEqual(STEPS.length - 3);
    for (const n of points) {
      const killed = await runChild(copyOfTemplate(), `call:${n}`);
      expect(killed.signal, `call:${n}: the run was not killed (exit ${killed.code}) ${killed.stderr}`).toBe('SIGKILL');
      const resumed = await runChild(killed.home);
      expect(resumed.code, `call:${n}: ${resumed.stderr}`).toBe(0);
      assertTornDown(resumed.home);
    }
  }, 600_000);
});
