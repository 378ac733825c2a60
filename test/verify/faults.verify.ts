import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSandbox } from '../../src/sandbox/store.js';
import { runFlowChild, type ChildRun } from './children.js';
import { addToTally, recordFigure } from './figures.js';
import { sandboxState } from './inventory.js';
import { personSecrets, sandboxSecrets, scanForSecrets, worldSources } from './secrets.js';
import { spawnSync } from 'node:child_process';
import { privateDockerdUnavailable, startPrivateDockerd } from '../support/private-dockerd.js';
import { BUSYBOX, publishApp, verifyRegistry } from './publish-app.js';
import { verifySeed } from './seed.js';
import { plainWorld, publishWorld, rolloutWorld } from './worlds.js';

/**
 * Figure 2: the flows under injected faults. Every request (retries included) that reaches the sandbox
 * fails at RATE with throttling, a 429, a 5xx, a connection reset or a timeout — beneath the SDK's
 * adaptive retries, which must absorb them; IAM takes PROPAGATION seconds to show new identities; and a
 * rollout started from the bootstrap's role profile (MFA) has its role session expired in mid-flow;
 * publish's Docker daemon (one of its own) is restarted in the middle of the release build.
 * Every flow must still finish.
 */
const RATE = 0.25;
const PROPAGATION = 3;
const seed = verifySeed();
const root = mkdtempSync(join(tmpdir(), 'slipway-verify-faults-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const totals = { calls: 0, injected: 0, sessionsExpired: 0, byKind: {} as Record<string, number> };
const finished: string[] = [];
const unfinished: string[] = [];
let dockerRestart = 'not run';

function count(label: string, run: ChildRun): void {
  const f = run.summary?.faults;
  if (f) {
    totals.calls += f.calls;
    totals.injected += f.injected;
    totals.sessionsExpired += f.sessionsExpired;
    for (const [kind, n] of Object.entries(f.byKind)) totals.byKind[kind] = (totals.byKind[kind] ?? 0) + n;
  }
  const line = `${label}: ${run.summary?.status ?? `killed/crashed (${run.signal ?? run.code})`}, ${f?.calls ?? 0} requests, ${f?.injected ?? 0} faults${f?.sessionsExpired ? `, ${f.sessionsExpired} session expired` : ''}`;
  (run.code === 0 ? finished : unfinished).push(run.code === 0 ? line : `${line} — ${JSON.stringify(run.summary?.failures ?? run.stderr.slice(0, 300))}`);
}

function scan(work: string, runs: ChildRun[]): void {
  const result = scanForSecrets([...sandboxSecrets(sandboxState(work)), ...personSecrets(work)], [...worldSources(work), ...runs.flatMap((r, i) => [{ name: `out ${i}`, content: r.stdout + r.stderr }])]);
  addToTally('secrets', { hits: result.hits.length, bytes: result.bytes, scans: 1 });
  expect(result.hits).toEqual([]);
}

describe('faults', () => {
  const work = join(root, 'account');

  it(`bootstrap finishes with ${RATE * 100} % of requests failing and IAM taking ${PROPAGATION} s to propagate`, async () => {
    plainWorld(work, { propagationSeconds: PROPAGATION });
    const run = await runFlowChild('bootstrap', work, { SLIPWAY_VERIFY_FAULTS: `${seed}:${RATE}` });
    count('bootstrap', run);
    scan(work, [run]);
    expect(run.code, JSON.stringify(run.summary?.failures) + run.stderr).toBe(0);
  });

  it('rollout finishes under the same faults (new roles propagating), as the admin', async () => {
    const rollout = join(root, 'rollout');
    await rolloutWorld(rollout, { propagationSeconds: PROPAGATION });
    const run = await runFlowChild('rollout', rollout, { SLIPWAY_VERIFY_FAULTS: `${seed + 1}:${RATE}` });
    count('rollout', run);
    scan(rollout, [run]);
    expect(run.code, JSON.stringify(run.summary?.failures) + run.stderr).toBe(0);
  });

  it('rollout from the role profile (MFA): its session expires mid-flow, it asks for a code again and carries on', async () => {
    // The account bootstrapped above: profile acme assumes the admin role with MFA; add what publish leaves.
    await rolloutWorld(work);
    createSandbox({ file: join(work, 'sandbox.json') }).clock.advance(90_000);
    const run = await runFlowChild('rollout', work, { SLIPWAY_VERIFY_FAULTS: `${seed + 2}:${RATE}:expire=12`, SLIPWAY_VERIFY_PROFILE: 'acme' });
    scan(work, [run]);
    expect(run.summary?.faults?.sessionsExpired).toBe(1);
    count('rollout as acme, session expired', run);
    expect(run.code, JSON.stringify(run.summary?.failures) + run.stderr).toBe(0);
    // The session bootstrap left is still cached, so the one code asked for is the renewal's.
    expect(run.asked.filter((id) => id.startsWith('mfa:'))).toHaveLength(1);
  });

  it('publish finishes under the same faults, its Docker daemon restarted in the middle of the release build', async () => {
    const unavailable = privateDockerdUnavailable() ?? (BUSYBOX ? undefined : 'no static busybox');
    const storage = unavailable ? undefined : await verifyRegistry(join(root, 'registry-owner.json'));
    const why = unavailable ?? (storage ? undefined : 'no registry (docker-registry or SLIPWAY_TEST_REGISTRY*)');
    if (why) {
      if (process.env.CI === 'true') throw new Error(`the Docker restart cannot be verified: ${why}`);
      dockerRestart = `skipped: ${why}`;
      return;
    }
    const daemon = await startPrivateDockerd();
    try {
      const work = join(root, 'publish');
      // A RUN step longer than the daemon's 10 s stop timeout: a restart cannot wait for it to finish,
      // so it cuts the build (a shorter one may finish while the daemon shuts down).
      publishApp(join(work, 'home', 'app'), { dockerfile: (text) => text.replace(/(FROM base AS release\n)/, '$1RUN ["/bin/busybox", "sleep", "12"]\n') });
      publishWorld(work, { app: join(work, 'home', 'app'), name: `restart-${seed}-${Date.now().toString(36)}`, registry: storage!.registry });
      // The build's RUN container showing up on the daemon is the middle of the build.
      let restarted = 0;
      const watching = (async () => {
        const deadline = Date.now() + 100_000;
        while (Date.now() < deadline) {
          const ps = spawnSync('docker', ['ps', '-q'], { encoding: 'utf8', env: { ...process.env, ...daemon.env } });
          if (ps.status === 0 && ps.stdout.trim()) {
            await daemon.restart(1_000);
            restarted++;
            return;
          }
          await new Promise((r) => setTimeout(r, 200));
        }
      })();
      const run = await runFlowChild('publish', work, { SLIPWAY_VERIFY_FAULTS: `${seed + 3}:${RATE}`, ...daemon.env });
      await watching;
      count('publish, Docker daemon restarted mid-build', run);
      scan(work, [run]);
      expect(restarted, 'the daemon was restarted during the build').toBe(1);
      expect(run.code, JSON.stringify(run.summary?.failures) + run.stderr).toBe(0);
      // The build was cut (its RUN outlasts the daemon's stop timeout): the release build said so,
      // waited and built again; a later step may meet the restarting daemon too, and does the same.
      const lost = run.lines.filter((l) => l.type === 'step-log' && String(l.line).startsWith('The Docker daemon went away during'));
      expect(lost.map((l) => l.stepId), run.stdout.slice(-2000)).toContain('release-build');
      dockerRestart = `a private dockerd restarted (SIGTERM, as systemctl does) while the release build’s RUN step was up: ${lost.map((l) => `step ${String(l.stepId)}`).join(', ')} waited for it and ran again`;
    } finally {
      await daemon.dispose();
      await storage?.stop();
    }
  }, 240_000);

  afterAll(() => {
    const rate = totals.calls ? totals.injected / totals.calls : 0;
    recordFigure({
      name: '2 faults',
      value: `${totals.calls} requests, ${totals.injected} faults injected (${(rate * 100).toFixed(1)} %), ${totals.sessionsExpired} role session expired mid-flow; ${finished.length}/${finished.length + unfinished.length} flows finished`,
      floor: '≥ 20 % of requests faulted, every flow finishes',
      ok: rate >= 0.2 && unfinished.length === 0 && finished.length >= (dockerRestart.startsWith('skipped') ? 3 : 4) && totals.sessionsExpired >= 1,
      details: [
        `by kind: ${Object.entries(totals.byKind).map(([k, n]) => `${k} ${n}`).join(', ')}; IAM propagation ${PROPAGATION} s; at most 3 faults in a row per request (the SDK makes 6 attempts)`,
        ...finished,
        ...unfinished.map((u) => `DID NOT FINISH ${u}`.slice(0, 700)),
        `Docker daemon restart mid-build: ${dockerRestart}`,
      ],
    });
  });
});
