import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureLocalRegistry, findRegistryBinary, stopLocalRegistry } from '../../src/sandbox/local-registry.js';
import { createSandbox } from '../../src/sandbox/store.js';
import type { SandboxRegistry } from '../../src/sandbox/state.js';
import { readJournal } from '../../src/engine/journal.js';
import { journalsDir } from '../../src/engine/paths.js';
import { RUN_EXIT_CODE } from '../support/day2-answers.js';
import { pool, runFlowChild, type ChildRun } from './children.js';
import { runProblems, stagingResources, statusReport, teardownProblems } from './day2-checks.js';
import { rolledOutWorld } from './day2-world.js';
import { addToTally, recordFigure } from './figures.js';
import { differences, inventory, sandboxState } from './inventory.js';
import { personSecrets, sandboxSecrets, scanForSecrets, worldSources, type Source } from './secrets.js';
import { random, verifySeed } from './seed.js';
import { plainWorld, publishWorld, rolloutWorld, worldEnv } from './worlds.js';

/**
 * Figure 1: every flow (the day-2 teardown, run and status too), in a child process on a file-backed
 * sandbox, SIGKILLed at every step boundary, after journal writes, around sandbox calls, and at seeded
 * random moments; resumed in a new child; its final state compared with an uninterrupted run's.
 * Figure 5 gets every world's scan.
 */
const FLOOR = 200;
const seed = verifySeed();
const rng = random(seed);
const root = mkdtempSync(join(tmpdir(), 'slipway-verify-kill-'));
const RUN = Date.now().toString(36);
afterAll(() => rmSync(root, { recursive: true, force: true }));

type FlowName = 'bootstrap' | 'rollout' | 'doctor' | 'publish' | 'teardown' | 'run' | 'status';
const DAY2: FlowName[] = ['teardown', 'run', 'status'];
interface Outcome {
  flow: FlowName;
  point: string;
  reached: boolean;
  converged: boolean;
  problems: string[];
  ms: number;
}
const outcomes: Outcome[] = [];
const skipped: string[] = [];
const elapsed: Partial<Record<FlowName, number>> = {};
let worlds = 0;

// Publish builds and pushes for real: it needs the Docker daemon and a registry (ECR's storage).
const busybox = ['/bin/busybox', '/usr/bin/busybox'].find((p) => existsSync(p));
const dockerUp = spawnSync('docker', ['version', '--format', '{{.Server.Version}}'], { encoding: 'utf8' }).stdout?.trim() !== '';
let registry: SandboxRegistry | undefined;
let ownRegistry: string | undefined;
beforeAll(async () => {
  if (!dockerUp || !busybox) return;
  if (process.env.SLIPWAY_TEST_REGISTRY && process.env.SLIPWAY_TEST_REGISTRY_USER && process.env.SLIPWAY_TEST_REGISTRY_PASSWORD) {
    registry = { endpoint: process.env.SLIPWAY_TEST_REGISTRY, username: process.env.SLIPWAY_TEST_REGISTRY_USER, password: process.env.SLIPWAY_TEST_REGISTRY_PASSWORD };
  } else if (findRegistryBinary()) {
    ownRegistry = join(root, 'registry-owner.json');
    registry = await ensureLocalRegistry(ownRegistry, { binary: findRegistryBinary() ?? '', env: process.env });
  }
}, 120_000);
afterAll(async () => {
  if (ownRegistry) await stopLocalRegistry(ownRegistry);
  // The release images the publish worlds built, by their names (never a prune).
  const ours = new RegExp(`(^|/)(slipway|verify)/verify-\\d+-${seed}-${RUN}:`);
  const images = (spawnSync('docker', ['images', '--format', '{{.Repository}}:{{.Tag}}'], { encoding: 'utf8' }).stdout ?? '').split('\n').filter((name) => ours.test(name));
  if (images.length) spawnSync('docker', ['rmi', '--force', ...images]);
}, 120_000);

// Rolled out once (dev, staging, look-alikes) for every day-2 world; each is a copy of it.
const day2Template = join(root, 'day2-template');
let day2Built: Promise<void> | undefined;
let stagingBefore: string[] = [];
async function rolledOut(): Promise<string> {
  await (day2Built ??= rolledOutWorld(day2Template).then(() => void (stagingBefore = stagingResources(sandboxState(day2Template)))));
  return day2Template;
}

async function newWorld(flow: FlowName): Promise<string> {
  const work = join(root, `${flow}-${++worlds}`);
  if (DAY2.includes(flow)) cpSync(await rolledOut(), work, { recursive: true });
  else if (flow === 'rollout') await rolloutWorld(work);
  else if (flow === 'publish') {
    // Unique to this run too: a registry that outlives it (CI's) must not already hold the image.
    const name = `verify-${worlds}-${seed}-${RUN}`;
    const app = join(work, 'home', 'app');
    cpSync(new URL('../fixtures/publish-app', import.meta.url), app, { recursive: true });
    copyFileSync(busybox ?? '', join(app, 'busybox'));
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: app, env: { ...process.env, GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z' } });
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'fixture');
    publishWorld(work, { app, name, registry: registry as SandboxRegistry });
  } else plainWorld(work);
  return work;
}

function journals(work: string): string[] {
  const dir = journalsDir(worldEnv(work));
  return existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith('.json') && !n.startsWith('.')).map((n) => join(dir, n)) : [];
}

/** What every run must leave: journals that parse, and for flows that change things, a finished one. */
function journalProblems(work: string, finished: boolean): string[] {
  const problems: string[] = [];
  for (const path of journals(work)) {
    try {
      const data = readJournal(path);
      if (finished && data.resumable && data.status !== 'done') problems.push(`journal ${data.flow} ended "${data.status}"`);
    } catch (error) {
      problems.push(`journal unreadable: ${(error as Error).message}`);
    }
  }
  return problems;
}

/** Whether a journal of `flow` in the world says its run finished. */
function finishedRun(work: string, flow: FlowName): boolean {
  return journals(work).some((path) => {
    try {
      const data = readJournal(path);
      return data.flow === flow && data.status === 'done';
    } catch {
      return false;
    }
  });
}

function journaledAnswers(work: string): string[] {
  return journals(work).flatMap((path) => {
    try {
      const data = readJournal(path);
      // A finished run is not resumed: the next run is a new one and asks afresh.
      return data.status === 'done' ? [] : Object.keys(data.answers);
    } catch {
      return [];
    }
  });
}

/**
 * Resource counts a duplicate would break, per flow (the inventory comparison catches the rest), held by
 * the uninterrupted run too. `runs`: how many runs started afresh (a `slipway run` after a finished one
 * is a new task).
 */
function invariants(flow: FlowName, work: string, runs = 1): string[] {
  const state = sandboxState(work);
  if (flow === 'teardown') return teardownProblems(state, stagingBefore);
  if (flow === 'run') return runProblems(state, runs);
  const problems: string[] = [];
  const expectCount = (what: string, n: number, wanted: number) => n !== wanted && problems.push(`${what}: ${n}, expected ${wanted}`);
  if (flow === 'bootstrap') {
    expectCount('users', Object.keys(state.iam.users).length, 2);
    expectCount('access keys of alice', state.iam.users.alice?.accessKeys.length ?? 0, 1);
    expectCount('MFA devices', Object.keys(state.iam.mfaDevices).length, 1);
    expectCount('roles', Object.keys(state.iam.roles).length, 1);
    expectCount('key pairs', Object.keys(state.ec2.keyPairs['us-east-1'] ?? {}).length, 1);
  }
  if (flow === 'rollout') {
    const ecs = state.ecs;
    const services = Object.values(ecs?.services ?? {}).flatMap((byName) => Object.values(byName));
    expectCount('ECS services', services.length, 1);
    const revisions = Object.values(ecs?.taskDefinitions ?? {}).flatMap((byFamily) => Object.values(byFamily)).flat();
    expectCount('task definition revisions', revisions.length, 1);
    const deployments = services.flatMap((s) => s.deployments);
    expectCount('deployments COMPLETED', deployments.filter((d) => d.rolloutState === 'COMPLETED').length, 1);
  }
  return problems;
}

function scan(work: string, runs: ChildRun[]): void {
  const secrets = [...sandboxSecrets(sandboxState(work)), ...personSecrets(work)];
  const sources: Source[] = [...worldSources(work), ...runs.flatMap((r, i) => [{ name: `stdout of run ${i}`, content: r.stdout }, { name: `stderr of run ${i}`, content: r.stderr }])];
  const result = scanForSecrets(secrets, sources);
  addToTally('secrets', { hits: result.hits.length, bytes: result.bytes, scans: 1 });
  if (result.hits.length > 0) addToTally('secret-hits', Object.fromEntries(result.hits.map((h) => [`${h.kind} in ${h.source.replace(root, '<work>')}`, 1])));
}

interface Reference {
  work: string;
  run: ChildRun;
  inventory: ReturnType<typeof inventory>;
  steps: string[];
}

async function reference(flow: FlowName): Promise<Reference> {
  const work = await newWorld(flow);
  const run = await runFlowChild(flow, work);
  if (flow !== 'doctor') expect(run.code, `${flow} reference run: ${run.stderr}${JSON.stringify(run.summary)}`).toBe(flow === 'run' ? RUN_EXIT_CODE : 0);
  expect(invariants(flow, work), `${flow} reference run`).toEqual([]);
  // Status only reads: its uninterrupted run leaves the account and files as it found them.
  if (flow === 'status') expect(differences(inventory(await rolledOut()), inventory(work)), 'status reference run changed the world').toEqual([]);
  scan(work, [run]);
  const steps = run.lines.filter((l) => l.type === 'step-started').map((l) => String(l.stepId));
  return { work, run, inventory: inventory(work), steps };
}

function pick<T>(items: T[], n: number): T[] {
  const pool = [...items];
  const out: T[] = [];
  while (out.length < n && pool.length > 0) out.push(...pool.splice(Math.floor(rng() * pool.length), 1));
  return out;
}

/** Every step start; journal writes and sandbox calls (all, or a seeded sample); seeded random moments. */
function killPoints(ref: Reference, sizes: { calls: number; random: number; writes?: number | undefined }): string[] {
  const s = ref.run.summary;
  const calls = s?.calls ?? 0;
  const writes = s?.journalWrites ?? 0;
  const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
  const logging = [...new Set(ref.run.lines.filter((l) => l.type === 'step-log').map((l) => String(l.stepId)))];
  const points = [...ref.steps.map((id) => `start:${id}`), ...logging.map((id) => `log:${id}`), ...(sizes.writes === undefined ? range(writes) : pick(range(writes), sizes.writes)).map((n) => `journal:${n}`), ...pick(range(calls), sizes.calls).map((n) => `call:${n}`)];
  for (let i = 0; i < sizes.random; i++) {
    const which = i % 3;
    if (which === 0 && calls > 0) points.push(`precall:${1 + Math.floor(rng() * calls)}`);
    else if (which === 1 && writes > 0) points.push(`prejournal:${1 + Math.floor(rng() * writes)}`);
    else points.push(`delay:${Math.floor(200 + rng() * Math.max(1, ref.run.ms - 200))}`);
  }
  const unique = [...new Set(points)];
  // VERIFY_POINTS_MAX samples fewer points per flow while working on the harness (the floor then fails).
  const max = Number(process.env.VERIFY_POINTS_MAX ?? Infinity);
  return unique.length > max ? pick(unique, max) : unique;
}

async function tryPoint(flow: FlowName, ref: Reference, point: string): Promise<Outcome> {
  const started = Date.now();
  const work = await newWorld(flow);
  const problems: string[] = [];
  const killed = await runFlowChild(flow, work, { SLIPWAY_VERIFY_KILL: point });
  const reached = killed.signal === 'SIGKILL';
  // The uninterrupted run's exit code is every run's: 0, or the code `slipway run` hands on.
  if (!reached && killed.code !== ref.run.code && flow !== 'doctor') problems.push(`the run to be killed failed on its own: ${killed.stderr.slice(0, 400)} ${JSON.stringify(killed.summary?.failures)}`);
  problems.push(...journalProblems(work, false));
  const journaled = new Set(journaledAnswers(work));
  // Killed after its journal said done (or not killed at all), a run is over: the next is a new one.
  const runs = flow === 'run' && finishedRun(work, 'run') ? 2 : 1;
  // A minute and a half later (fresh MFA codes), the person runs it again.
  createSandbox({ file: join(work, 'sandbox.json') }).clock.advance(90_000);
  const resumed = await runFlowChild(flow, work);
  if (flow === 'doctor') {
    const failed = (r: ChildRun) => JSON.stringify((r.summary?.failures ?? []).map((f) => f.stepId));
    if (failed(resumed) !== failed(ref.run)) problems.push(`doctor rerun: failures ${failed(resumed)}, uninterrupted ${failed(ref.run)}`);
  } else if (resumed.code !== ref.run.code) problems.push(`resume exited ${resumed.code}, uninterrupted ${ref.run.code}: ${resumed.stderr.slice(0, 400)} ${JSON.stringify(resumed.summary?.failures)}`);
  if (flow === 'status') {
    const [got, wanted] = [statusReport(resumed, work), statusReport(ref.run, ref.work)];
    if (JSON.stringify(got) !== JSON.stringify(wanted)) problems.push(...differences(wanted, got).map((d) => `status reports otherwise than uninterrupted: ${d}`));
  }
  problems.push(...journalProblems(work, flow !== 'doctor'));
  const askedAgain = resumed.asked.filter((id) => journaled.has(id));
  if (askedAgain.length) problems.push(`asked again though journaled: ${askedAgain.join(', ')}`);
  problems.push(...invariants(flow, work, runs));
  const diff = differences(ref.inventory, inventory(work));
  if (diff.length) problems.push(...diff.map((d) => `differs from the uninterrupted run: ${d}`));
  scan(work, [killed, resumed]);
  rmSync(work, { recursive: true, force: true });
  return { flow, point, reached, converged: problems.length === 0, problems, ms: Date.now() - started };
}

// Bootstrap is the dearest world (each run makes an RSA key pair), doctor and publish the cheapest: the
// sampled and random points are spread so the run stays near ten minutes on two cores. The day-2 flows
// add about two and a half minutes. Teardown has a dozen steps that each log and write twice: its
// step starts and log lines stop it between and inside every step, so its journal writes are sampled
// (a kill after a step's "done" write leaves what one at the next step's start does). Status only reads
// (two steps): a few sampled calls and moments are enough to show a kill never breaks anything.
const PLAN: { flow: FlowName; calls: number; random: number; writes?: number }[] = [
  { flow: 'bootstrap', calls: 12, random: 4 },
  { flow: 'rollout', calls: 24, random: 6 },
  { flow: 'doctor', calls: 0, random: 12 },
  { flow: 'publish', calls: 8, random: 6 },
  { flow: 'teardown', calls: 6, random: 3, writes: 12 },
  { flow: 'run', calls: 6, random: 4 },
  { flow: 'status', calls: 2, random: 3 },
];

describe('kill and resume', () => {
  // VERIFY_FLOWS=bootstrap,rollout narrows a run while working on one flow (the figure then fails its floor).
  const only = process.env.VERIFY_FLOWS?.split(',');
  for (const { flow, calls, random: randomPoints, writes } of PLAN.filter((p) => !only || only.includes(p.flow))) {
    it(`${flow}: killed anywhere, resumed, converges to the uninterrupted run`, async () => {
      if (flow === 'publish' && !registry) {
        const why = !dockerUp ? 'no Docker daemon' : !busybox ? 'no busybox for the test stage' : 'no registry (docker-registry or SLIPWAY_TEST_REGISTRY*)';
        if (process.env.CI === 'true') throw new Error(`publish cannot be verified: ${why}`);
        skipped.push(`publish skipped: ${why}`);
        return;
      }
      const started = Date.now();
      const ref = await reference(flow);
      const points = killPoints(ref, { calls, random: randomPoints, writes });
      const results = await pool(points, 2, (point) => tryPoint(flow, ref, point));
      outcomes.push(...results);
      elapsed[flow] = Date.now() - started;
      const failed = results.filter((r) => !r.converged);
      expect(failed.map((f) => `${f.point}: ${f.problems.join(' | ')}`)).toEqual([]);
    });
  }

  afterAll(() => {
    const tried = outcomes.length;
    const converged = outcomes.filter((o) => o.converged).length;
    const byFlow = (['bootstrap', 'publish', 'rollout', 'doctor', ...DAY2] as FlowName[]).map((flow) => {
      const mine = outcomes.filter((o) => o.flow === flow);
      const kinds = [...new Set(mine.map((o) => o.point.split(':')[0]))].map((k) => `${k} ${mine.filter((o) => o.point.startsWith(`${k}:`)).length}`).join(', ');
      const seconds = Math.round((elapsed[flow] ?? 0) / 1000);
      return `${flow}: ${mine.filter((o) => o.converged).length}/${mine.length} converged (${mine.filter((o) => o.reached).length} killed before the end; ${kinds}) in ${seconds} s`;
    });
    const failures = outcomes.filter((o) => !o.converged).slice(0, 10).map((o) => `DIVERGED ${o.flow} ${o.point}: ${o.problems.join(' | ').slice(0, 600)}`);
    recordFigure({
      name: '1 kill and resume',
      value: `${tried} kill points tried / ${converged} converged`,
      floor: `≥ ${FLOOR} tried, all converged`,
      ok: tried >= FLOOR && converged === tried,
      details: [...byFlow, ...skipped, ...failures],
    });
  });
});
