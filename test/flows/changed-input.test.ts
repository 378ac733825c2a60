import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeCases } from '../verify/changed-input-cases.js';
import { freshRun, tryCase, worldImages, type Context } from '../verify/changed-input.js';
import { BUSYBOX, verifyRegistry } from '../verify/publish-app.js';

// The fast subset of verify's changed-input figure (test/verify/changed-input.verify.ts): the cases
// marked `fast`, each stopped where it matters most, one input changed, compared with a fresh run.
const root = mkdtempSync(join(tmpdir(), 'slipway-changed-'));
const ctx: Context = { root, runId: Date.now().toString(36), seed: 1 };
let stopRegistry = async () => {};
let why = '';
beforeAll(async () => {
  const dockerUp = spawnSync('docker', ['version', '--format', '{{.Server.Version}}'], { encoding: 'utf8' }).stdout?.trim() !== '';
  const found = dockerUp && BUSYBOX ? await verifyRegistry(join(root, 'registry-owner.json')) : undefined;
  if (found) [ctx.registry, stopRegistry] = [found.registry, found.stop];
  else why = !dockerUp ? 'no Docker daemon' : !BUSYBOX ? 'no busybox-static' : 'no registry (docker-registry or SLIPWAY_TEST_REGISTRY*)';
}, 120_000);
afterAll(async () => {
  await stopRegistry();
  const ours = new RegExp(`(^|/)(slipway|verify|slipway-test)/verify-\\d+-1-${ctx.runId}:`);
  const images = (spawnSync('docker', ['images', '--format', '{{.Repository}}:{{.Tag}}'], { encoding: 'utf8' }).stdout ?? '').split('\n').filter((n) => ours.test(n));
  if (images.length) spawnSync('docker', ['rmi', '--force', ...images]);
  rmSync(root, { recursive: true, force: true });
}, 120_000);

// Images v2 and v3 of each rollout world are the same in every copy of its template; their refs are read once.
const images = worldImages(ctx);
const none = { v2: 'x/y@sha256:0', v3: 'x/y@sha256:0' };
const placeholder = { fargate: none, ec2: none, express: none };

describe('changed input between a stopped run and the next: the fresh run’s end state', () => {
  for (const named of changeCases(placeholder).filter((c) => c.fast)) {
    for (const stop of named.fast ?? []) {
      it(`${named.name} (stopped at ${stop})`, async (t) => {
        if (named.flow === 'publish' && !ctx.registry) {
          if (process.env.CI === 'true') throw new Error(`publish cannot run: ${why}`);
          t.skip(`skipped: ${why}`);
        }
        const c = changeCases(await images).find((k) => k.name === named.name)!;
        const fresh = await freshRun(c, ctx);
        const outcome = await tryCase(c, stop, fresh, ctx);
        rmSync(fresh.work, { recursive: true, force: true });
        expect(outcome.reached, `the first run did not stop at ${stop}`).toBe(true);
        expect(outcome.problems).toEqual([]);
      }, 240_000);
    }
  }
});
