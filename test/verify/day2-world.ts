import { join } from 'node:path';
import { createSandbox } from '../../src/sandbox/store.js';
import { makeLookAlikes } from '../flows/teardown/world.js';
import { runFlowChild } from './children.js';
import { rolloutWorld } from './worlds.js';

// The world the day-2 flows (teardown, run, status) start from. Verify files only: the look-alikes
// come from test/flows/teardown/world.ts, which reaches the rollout test harness (a vitest import).

/** The environments rolled out: teardown takes dev away and must leave staging exactly as it was. */
export const DAY2_ENVS = ['dev', 'staging'];

/**
 * dev and staging rolled out by the flow child itself (a real, uninterrupted rollout each), plus
 * resources named like dev's that slipway did not make. Built once per verify run: every kill point
 * starts from a copy of it, which costs a folder copy instead of two rollouts.
 */
export async function rolledOutWorld(work: string): Promise<void> {
  await rolloutWorld(work);
  for (const env of DAY2_ENVS) {
    const run = await runFlowChild('rollout', work, { SLIPWAY_VERIFY_ENV: env });
    if (run.code !== 0) throw new Error(`rolling out ${env} for the day-2 world: exit ${run.code} ${run.stderr.slice(0, 400)} ${JSON.stringify(run.summary?.failures)}`);
  }
  await makeLookAlikes(createSandbox({ file: join(work, 'sandbox.json') }));
}
