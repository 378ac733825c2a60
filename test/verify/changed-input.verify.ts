import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeCases } from './changed-input-cases.js';
import { freshRun, sample, tryCase, worldImages, type ChangeKind, type Context, type FlowName, type Outcome } from './changed-input.js';
import { pool } from './children.js';
import { recordFigure } from './figures.js';
import { BUSYBOX, verifyRegistry } from './publish-app.js';
import { random, verifySeed } from './seed.js';

/**
 * Figure 7: each flow stopped (SIGKILL at a step start or inside a step, a failed step, or a finished
 * run), ONE input changed, run again: the end state must be a fresh run's with the new inputs (account,
 * registry tags and what their images hold, local files) and no step may say done for work not done for
 * these inputs. Each case's stops are sampled (seeded), two children at a time.
 */
const seed = verifySeed();
const rng = random(seed);
const root = mkdtempSync(join(tmpdir(), 'slipway-verify-changed-'));
const ctx: Context = { root, runId: Date.now().toString(36), seed };
const STOPS_PER_CASE = Number(process.env.VERIFY_CHANGED_STOPS ?? 2);
const outcomes: Outcome[] = [];
const skipped: string[] = [];
let stopRegistry = async () => {};
/** Tries at a case's point (its first stop) where the first run did not stop as meant. */
const missedPoints = () => outcomes.filter((o) => !o.reached && o.stop === o.case.stops[0]);
const started = Date.now();

const dockerUp = spawnSync('docker', ['version', '--format', '{{.Server.Version}}'], { encoding: 'utf8' }).stdout?.trim() !== '';
beforeAll(async () => {
  if (!dockerUp || !BUSYBOX) return;
  const found = await verifyRegistry(join(root, 'registry-owner.json'));
  if (found) [ctx.registry, stopRegistry] = [found.registry, found.stop];
}, 120_000);
afterAll(async () => {
  await stopRegistry();
  const ours = new RegExp(`(^|/)(slipway|verify|slipway-test)/verify-\\d+-${seed}-${ctx.runId}:`);
  const images = (spawnSync('docker', ['images', '--format', '{{.Repository}}:{{.Tag}}'], { encoding: 'utf8' }).stdout ?? '').split('\n').filter((n) => ours.test(n));
  if (images.length) spawnSync('docker', ['rmi', '--force', ...images]);
  rmSync(root, { recursive: true, force: true });
}, 120_000);

describe('changed-input resume', () => {
  it('every flow, stopped, one input changed, run again: the fresh run’s end state', async () => {
    const cases = changeCases(await worldImages(ctx));
    // VERIFY_FLOWS=publish,rollout narrows a run while working on one flow (the figure then says so).
    const only = process.env.VERIFY_FLOWS?.split(',');
    const chosen = cases.filter((c) => !only || only.includes(c.flow));
    if (!ctx.registry) {
      const why = !dockerUp ? 'no Docker daemon' : !BUSYBOX ? 'no busybox for the test stage' : 'no registry (docker-registry or SLIPWAY_TEST_REGISTRY*)';
      if (process.env.CI === 'true') throw new Error(`publish cannot be verified: ${why}`);
      skipped.push(`publish skipped: ${why}`);
    }
    const runnable = chosen.filter((c) => c.flow !== 'publish' || ctx.registry);
    // A fresh run per case, then its sampled stops; the first stop listed (the case's point) is always tried.
    const fresh = await pool(runnable, 2, (c) => freshRun(c, ctx));
    const tries = runnable.flatMap((c, i) => sample(c.stops, STOPS_PER_CASE, rng, c.stops.slice(0, 1)).map((stop) => ({ c, stop, fresh: fresh[i]! })));
    outcomes.push(...(await pool(tries, 2, ({ c, stop, fresh: f }) => tryCase(c, stop, f, ctx))));
    for (const f of fresh) rmSync(f.work, { recursive: true, force: true });
    const failed = outcomes.filter((o) => !o.converged);
    // A case whose first run never stops at its point (listed first) compares two runs of the new inputs: it proves nothing.
    expect([
      ...failed.map((o) => `${o.case.name} [stopped at ${o.stop}]: ${o.problems.join(' | ')}`),
      ...missedPoints().map((o) => `${o.case.name}: the first run did not stop at ${o.stop}, the case's point`),
    ]).toEqual([]);
  });

  afterAll(() => {
    const converged = outcomes.filter((o) => o.converged).length;
    const kinds = [...new Set(outcomes.map((o) => o.case.change))] as ChangeKind[];
    const flows = [...new Set(outcomes.map((o) => o.case.flow))] as FlowName[];
    const byFlow = flows.map((flow) => {
      const mine = outcomes.filter((o) => o.case.flow === flow);
      return `${flow}: ${mine.filter((o) => o.converged).length}/${mine.length} (${[...new Set(mine.map((o) => o.case.change))].join(', ')}; first run stopped as meant in ${mine.filter((o) => o.reached).length})`;
    });
    const failures = outcomes.filter((o) => !o.converged).slice(0, 12).map((o) => `DIVERGED ${o.case.name} [stopped at ${o.stop}]: ${o.problems.join(' | ').slice(0, 700)}`);
    recordFigure({
      name: '7 changed-input resume',
      value: `changed-input resume: ${converged}/${outcomes.length} converged over ${kinds.length} kinds of change (${kinds.join(', ')})`,
      floor: '100 %, every case stopped at its point, ≥ 6 kinds of change',
      ok: outcomes.length > 0 && converged === outcomes.length && missedPoints().length === 0 && kinds.length >= 6,
      details: [...byFlow, `${Math.round((Date.now() - started) / 1000)} s`, ...skipped, ...failures, ...missedPoints().map((o) => `MISSED ${o.case.name}: the first run did not stop at ${o.stop}`)],
    });
  });
});
