import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { recordImage } from '../../src/sandbox/ecr.js';
import { RegistryClient } from '../../src/sandbox/registry-client.js';
import { createSandbox } from '../../src/sandbox/store.js';
import type { SandboxRegistry, SandboxState } from '../../src/sandbox/state.js';
import { readProjectSettings, writeProjectSettings } from '../../src/local/project-settings.js';
import { writeEnvironment } from '../../flows/rollout/environment.js';
import { typedRolloutAnswers } from '../../flows/rollout/questions.js';
import { settingsFromAnswers } from '../../flows/rollout/targets/environment.js';
import { STARTED_BY } from '../../flows/run/steps/task.js';
import type { Answers } from '../../src/engine/types.js';
import { runFlowChild, type ChildRun } from './children.js';
import { rolledOutWorld } from './day2-world.js';
import { differences, localFiles, normalise, sandboxState } from './inventory.js';
import { publishApp } from './publish-app.js';
import { statusReport } from './day2-checks.js';
import { plainWorld, publishWorld, REPOSITORY, rolloutWorld } from './worlds.js';

// The changed-input harness (verify's figure 7, and the fast subset in test/flows/changed-input.test.ts):
// a flow is stopped (SIGKILL at a step start or inside a step, a step that fails, or a finished run),
// ONE input changes, and it runs again. Its end state must be what a fresh run with the new inputs makes
// from the same initial state (a second world), and no step may say done for work not done for these
// inputs. No vitest imports: the verify file and the normal test share it.

export type ChangeKind = 'new commit' | 'dirty tree edited' | 'new --image' | 'environment file' | 'another flag value' | 'deleted by hand' | 'new publish';
export type FlowName = 'bootstrap' | 'publish' | 'rollout' | 'teardown' | 'run' | 'status' | 'doctor';
export type WorldKind = 'plain' | 'publish' | 'publish-dirty' | 'publish-failing-tests' | 'publish-published' | 'fargate' | 'ec2' | 'express' | 'day2';

/** How the first run ends: a kill point of the flow child (start:…, log:…, logmatch:…, call:…), a failed step, or done. */
export type Stop = string;

export interface ChangeCase {
  /** What is tried, in words (the figure's failure lines start with it). */
  name: string;
  flow: FlowName;
  change: ChangeKind;
  world: WorldKind;
  /** Answers of the first run (over the child's own). */
  before?: Answers;
  /** Answers of the run after the change, and of the fresh run. */
  after?: Answers;
  /** The change, made on the interrupted world between its runs and on the fresh world before its run. */
  apply(work: string): void | Promise<void>;
  /** Where the first run stops; `fail` makes it fail (see `failing`), `done` lets it finish. */
  stops: Stop[];
  /** `fail`: what makes the first run's step fail, and what puts the world right again (before the change). */
  failing?: { make(work: string): void; undo(work: string): void };
  /** The change comes before the first run: the kill interrupts a run that already has the new inputs. */
  changeFirst?: boolean;
  /** Steps that must really run (applied) in the run after the change, whenever the fresh run reached them. */
  mustApply?: string[];
  /** What the first run legitimately made for the old inputs and no run undoes (an IAM user of the old name). */
  leftovers?(state: SandboxState): void;
}

export interface Context {
  /** Folder the worlds are made in. */
  root: string;
  /** ECR's storage for publish worlds (undefined: publish cases cannot run). */
  registry?: SandboxRegistry;
  /** Unique to this harness run: a registry that outlives it must not already hold an image. */
  runId: string;
  seed: number;
}

const GIT_DATE = '2026-01-02T00:00:00Z';
export const FAILING_TEST = '. /app/app.sh\necho "1 of 3 tests failed"\nexit 1\n';
const PASSING_TEST = '. /app/app.sh\necho "all 3 tests passed"\n';

export function git(app: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: app, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_DATE: GIT_DATE, GIT_COMMITTER_DATE: GIT_DATE } });
}

/** A commit with these files (fixed dates: the same change makes the same commit in every world). */
export function commit(work: string, files: Record<string, string>, message: string): void {
  const app = join(work, 'home', 'app');
  for (const [name, content] of Object.entries(files)) writeFileSync(join(app, name), content);
  // Only these files: slipway/project.json, written by a run, differs between worlds (and is not the change).
  git(app, 'add', '--', ...Object.keys(files));
  git(app, 'commit', '-qm', message);
}

export function editApp(work: string, text: string): void {
  writeFileSync(join(work, 'home', 'app', 'app.sh'), `echo "${text}"\n`);
}

let worlds = 0;
const templates = new Map<WorldKind, Promise<string>>();

/** Images the rollout worlds' ECR holds besides v1 (fixed push times: the same digests in every world). */
export const EXTRA_IMAGES = ['v2', 'v3'];

/** A new world of `kind` in a folder of its own: a copy of a template, or (publish) made afresh with an app name of its own. */
export async function newWorld(kind: WorldKind, ctx: Context): Promise<string> {
  const n = ++worlds;
  const work = join(ctx.root, `changed-${kind}-${n}`);
  if (kind.startsWith('publish')) {
    if (!ctx.registry) throw new Error('publish worlds need a registry');
    const app = join(work, 'home', 'app');
    mkdirSync(join(work, 'home'), { recursive: true });
    publishApp(app);
    publishWorld(work, { app, name: `verify-${9000 + n}-${ctx.seed}-${ctx.runId}`, registry: ctx.registry });
    if (kind === 'publish-failing-tests') commit(work, { 'test.sh': FAILING_TEST }, 'a failing test');
    if (kind === 'publish-dirty') editApp(work, 'uncommitted 1');
    if (kind === 'publish-published') {
      const first = await runFlowChild('publish', work);
      if (first.code !== 0) throw new Error(`publishing the first commit: exit ${first.code} ${first.stderr.slice(0, 300)} ${JSON.stringify(first.summary?.failures)}`);
    }
    return work;
  }
  let made = templates.get(kind);
  if (!made) templates.set(kind, (made = template(kind, join(ctx.root, `template-${kind}`))));
  cpSync(await made, work, { recursive: true });
  return work;
}

async function template(kind: WorldKind, work: string): Promise<string> {
  if (kind === 'plain') plainWorld(work);
  else if (kind === 'day2') await rolledOutWorld(work);
  else {
    await rolloutWorld(work);
    const sandbox = createSandbox({ file: join(work, 'sandbox.json') });
    EXTRA_IMAGES.forEach((tag, i) => recordImage(sandbox, { repositoryName: REPOSITORY, tags: [tag], pushedAt: Date.UTC(2026, 0, 2 + i) }));
    // The environment file is committed with the code: it is the initial state of both worlds.
    const launchType = kind === 'ec2' ? 'EC2' : kind === 'express' ? 'EXPRESS' : 'FARGATE';
    writeEnvironment(join(work, 'home', 'app'), 'dev', settingsFromAnswers({ settings: typedRolloutAnswers({ region: 'us-east-1', app: 'todo', env: 'dev', launchType }) }));
  }
  return work;
}

/** `<uri>@<digest>` of an image the rollout worlds' ECR holds. */
export function imageRef(work: string, tag: string): string {
  const state = sandboxState(work);
  const image = state.ecr?.repositories['us-east-1']?.[REPOSITORY]?.images.find((i) => i.tags.includes(tag));
  if (!image) throw new Error(`no image ${tag} in the world's ECR`);
  return `${state.accountId}.dkr.ecr.us-east-1.amazonaws.com/${REPOSITORY}@${image.digest}`;
}

/** `<uri>@<digest>` of v2 and v3 in each rollout world's ECR: each template is an account of its own. */
export type WorldImages = Record<'fargate' | 'ec2' | 'express', { v2: string; v3: string }>;

/** The images of every rollout world, read from one copy of each template. */
export async function worldImages(ctx: Context): Promise<WorldImages> {
  const images = {} as WorldImages;
  for (const kind of ['fargate', 'ec2', 'express'] as const) {
    const work = await newWorld(kind, ctx);
    images[kind] = { v2: imageRef(work, 'v2'), v3: imageRef(work, 'v3') };
    rmSync(work, { recursive: true, force: true });
  }
  return images;
}

/** What `slipway publish` of `tag` records (its image is already in the world's ECR). */
export function publishRecorded(work: string, tag: string): void {
  const dir = join(work, 'home', 'app');
  const [uri, digest] = imageRef(work, tag).split('@') as [string, string];
  const current = readProjectSettings(dir);
  writeProjectSettings(dir, { ...(current ?? { version: 1, app: 'todo', ecr: { namespace: 'apps', keepImages: 30 } }), lastPublished: { uri, tag, digest, at: '2026-01-02T00:00:00.000Z' } });
}

export function editEnvironment(work: string, edit: (settings: Record<string, unknown>) => void): void {
  const file = join(work, 'home', 'app', 'slipway', 'environments', 'dev.json');
  const settings = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  edit(settings);
  writeFileSync(file, `${JSON.stringify(settings, null, 2)}\n`);
}

export function changeAccount(work: string, change: (state: SandboxState) => void): void {
  createSandbox({ file: join(work, 'sandbox.json') }).update(change);
}

/** Sets the rehearsed ECS scenario (a failing deployment) of a world. */
export function scenario(work: string, name: SandboxState['scenario']): void {
  changeAccount(work, (state) => {
    state.scenario = name;
  });
}

// ── What a world holds at the end ──────────────────────────────────────────────────────────────────

/**
 * The account as it is now, without its history: task-definition revisions no service uses, deployments
 * that are no longer the service's primary, and what the case says the first run left for the old inputs.
 * Revision numbers go too (a run after a change registers one more); what the revision holds stays.
 */
export function liveAccount(state: SandboxState, leftovers?: (state: SandboxState) => void): unknown {
  const s = structuredClone(state);
  leftovers?.(s);
  delete s.scenario;
  const ecs = s.ecs;
  if (ecs) {
    const inUse = new Set<string>();
    for (const byName of Object.values(ecs.services ?? {}))
      for (const service of Object.values(byName)) {
        inUse.add(service.taskDefinition);
        service.deployments = service.deployments.filter((d) => d.status === 'PRIMARY');
        for (const d of service.deployments) for (const k of ['failedTasks', 'consecutiveFailures', 'placementFailures', 'nextLaunchAt'] as const) delete (d as unknown as Record<string, unknown>)[k];
        const loose = service as unknown as Record<string, unknown>;
        for (const key of ['lastCompleted', 'requestHash', 'clientToken', 'steady', 'wakeAt']) delete loose[key];
      }
    for (const byArn of Object.values(ecs.express ?? {}))
      for (const service of Object.values(byArn)) {
        service.configurations = service.configurations.slice(-1);
        for (const c of service.configurations) if (c.taskDefinitionArn) inUse.add(c.taskDefinitionArn);
      }
    for (const families of Object.values(ecs.taskDefinitions ?? {}))
      for (const [family, revisions] of Object.entries(families)) {
        const kept = revisions.filter((r) => inUse.has(r.arn)).map((r) => ({ ...r, revision: 0 }));
        if (kept.length) families[family] = kept;
        else delete families[family];
      }
  }
  // Scaling activities are the group's history, as deployments are the service's; its instances and desired
  // capacity belong to ECS managed scaling, which grows them for a rolling update's extra tasks.
  for (const groups of Object.values((s as { autoscaling?: { groups?: Record<string, Record<string, Record<string, unknown>>> } }).autoscaling?.groups ?? {}))
    for (const group of Object.values(groups)) for (const key of ['activities', 'instances', 'desiredCapacity']) delete group[key];
  return comparable(s);
}

/** Normalised as the kill-resume figure does, plus what a run after a change names anew (revisions, launch templates). */
function comparable(value: unknown): unknown {
  return normalise(JSON.parse(JSON.stringify(value).replace(/(task-definition\/[A-Za-z0-9_-]+):\d+/g, '$1:<rev>').replace(/\blt-[0-9a-f]{8,17}\b/g, 'lt-<id>')));
}

/** The images the app's dev environment runs: its ECS service's task definition, or its Express service's. */
export function deployedImages(state: SandboxState, env = 'dev'): string[] {
  const ecs = state.ecs;
  const images: string[] = [];
  const revisions = Object.values(ecs?.taskDefinitions?.['us-east-1'] ?? {}).flat();
  for (const service of Object.values(ecs?.services?.['us-east-1'] ?? {})) {
    if (service.name !== `todo-${env}` || service.status !== 'ACTIVE') continue;
    const def = revisions.find((r) => r.arn === service.taskDefinition);
    images.push(...(def?.containerDefinitions.map((c) => String(c.image)) ?? [`(no task definition ${service.taskDefinition})`]));
  }
  for (const service of Object.values(ecs?.express?.['us-east-1'] ?? {})) {
    if (service.name !== `todo-${env}` || service.inactiveAt !== undefined) continue;
    const current = service.configurations.at(-1);
    const def = revisions.find((r) => r.arn === current?.taskDefinitionArn);
    images.push(String(current?.primaryContainer?.image ?? def?.containerDefinitions[0]?.image ?? '(no image)'));
  }
  return images;
}

/** A registry repository's tags, each with its digest and the /app/app.sh its image holds. */
export async function registryImages(registry: SandboxRegistry, repository: string): Promise<Record<string, { digest: string; app: string }>> {
  const client = new RegistryClient(registry);
  const out: Record<string, { digest: string; app: string }> = {};
  for (const tag of await client.tags(repository)) {
    const digest = (await client.digestOf(repository, tag)) ?? '(none)';
    out[tag] = { digest, app: await fileInImage(registry, repository, tag, 'app/app.sh') };
  }
  return out;
}

async function fileInImage(registry: SandboxRegistry, repository: string, tag: string, path: string): Promise<string> {
  const base = `http://${registry.endpoint}/v2/${repository}`;
  const headers = {
    authorization: `Basic ${Buffer.from(`${registry.username}:${registry.password}`).toString('base64')}`,
    accept: 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json',
  };
  const manifest = (await (await fetch(`${base}/manifests/${tag}`, { headers })).json()) as { layers?: { digest: string }[] };
  let found = '(not in the image)';
  for (const layer of manifest.layers ?? []) {
    const blob = Buffer.from(await (await fetch(`${base}/blobs/${layer.digest}`, { headers })).arrayBuffer());
    const file = tarEntry(blob[0] === 0x1f && blob[1] === 0x8b ? gunzipSync(blob) : blob, path);
    if (file !== undefined) found = file;
  }
  return found;
}

/** One file of a tar archive (ustar: short names are all the fixture has). */
function tarEntry(tar: Buffer, path: string): string | undefined {
  let at = 0;
  let found: string | undefined;
  while (at + 512 <= tar.length) {
    const header = tar.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const field = (from: number, to: number) => header.subarray(from, to).toString('utf8').replace(/\0.*$/s, '');
    const name = [field(345, 500), field(0, 100)].filter(Boolean).join('/').replace(/^\.?\//, '');
    const size = parseInt(field(124, 136).trim() || '0', 8);
    if (name === path) found = tar.subarray(at + 512, at + 512 + size).toString('utf8');
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return found;
}

// ── Running a case ─────────────────────────────────────────────────────────────────────────────────

export interface Outcome {
  case: ChangeCase;
  stop: Stop;
  /** Whether the first run ended as meant (killed, failed, or done). */
  reached: boolean;
  converged: boolean;
  problems: string[];
  ms: number;
}

export interface Fresh {
  work: string;
  run: ChildRun;
  account: unknown;
  files: Record<string, string>;
  registry?: Record<string, { digest: string; app: string }>;
}

function child(c: ChangeCase, work: string, answers: Answers | undefined, extra: NodeJS.ProcessEnv = {}): Promise<ChildRun> {
  return runFlowChild(c.flow, work, { ...(answers ? { SLIPWAY_VERIFY_ANSWERS: JSON.stringify(answers) } : {}), ...extra }, 240_000);
}

function repositoryOf(work: string): string {
  const answers = JSON.parse(readFileSync(join(work, 'publish-answers.json'), 'utf8')) as { app: string; namespace: string };
  return `${answers.namespace}/${answers.app}`;
}

/** The fresh run: the initial state, the change, one run with the new inputs. */
export async function freshRun(c: ChangeCase, ctx: Context): Promise<Fresh> {
  const work = await newWorld(c.world, ctx);
  await c.apply(work);
  const run = await child(c, work, c.after);
  return {
    work,
    run,
    account: liveAccount(sandboxState(work)),
    files: localFiles(work),
    ...(c.flow === 'publish' && ctx.registry ? { registry: await registryImages(ctx.registry, repositoryOf(work)) } : {}),
  };
}

const SAID_DONE = new Set(['confirmed', 'found', 'adopted']);
/** Outputs that say how a step got there, not what it made (a login not needed, a service found rather than created). */
const HOW_KEYS = new Set(['via', 'created', 'updated', 'scaledDown']);

/** Stops the first run at `stop`, changes the input, runs again, and compares with the fresh run. */
export async function tryCase(c: ChangeCase, stop: Stop, fresh: Fresh, ctx: Context): Promise<Outcome> {
  const started = Date.now();
  const problems: string[] = [];
  const work = await newWorld(c.world, ctx);
  if (c.changeFirst) await c.apply(work);
  if (stop === 'fail') c.failing?.make(work);
  const first = await child(c, work, c.changeFirst ? c.after : c.before, stop === 'fail' || stop === 'done' ? {} : { SLIPWAY_VERIFY_KILL: stop });
  const reached = stop === 'fail' ? first.code === 1 : stop === 'done' ? first.code === 0 : first.signal === 'SIGKILL';
  if (stop === 'fail') c.failing?.undo(work);
  const registryBefore = c.flow === 'publish' && ctx.registry ? await registryImages(ctx.registry, repositoryOf(work)) : {};
  // A minute and a half later (fresh MFA codes), the person changes one thing and runs it again.
  createSandbox({ file: join(work, 'sandbox.json') }).clock.advance(90_000);
  if (!c.changeFirst) await c.apply(work);
  const again = await child(c, work, c.after);

  // The same ending as the fresh run: exit code, failed steps, and for status and doctor the same report.
  const failed = (r: ChildRun) => JSON.stringify((r.summary?.failures ?? []).map((f) => f.stepId));
  if (again.code !== fresh.run.code) problems.push(`exit ${again.code}${again.signal ? ` (${again.signal})` : ''}, fresh run ${fresh.run.code}: ${again.stderr.slice(0, 300)} ${JSON.stringify(again.summary?.failures)?.slice(0, 400)}`);
  else if (failed(again) !== failed(fresh.run)) problems.push(`failed steps ${failed(again)}, fresh run ${failed(fresh.run)}`);
  if (c.flow === 'status') problems.push(...differences(statusReport(fresh.run, fresh.work), statusReport(again, work)).map((d) => `status reports otherwise than the fresh run: ${d}`));

  // No step says done for work not done for these inputs.
  const doneIn = (r: ChildRun) => new Map(r.lines.filter((l) => l.type === 'step-done').map((l) => [String(l.stepId), l]));
  const freshDone = doneIn(fresh.run);
  for (const [id, line] of doneIn(again)) {
    const how = String(line.how);
    if (c.mustApply?.includes(id) && freshDone.get(id)?.how === 'applied' && how !== 'applied') problems.push(`step ${id} said "${how}" instead of doing it for the new inputs`);
    // Compared on the keys both have: a step that found its work done says less than one that did it ("created").
    const theirs = freshDone.get(id)?.outputs as Record<string, unknown> | undefined;
    const ours = (line.outputs ?? {}) as Record<string, unknown>;
    const shared = (from: Record<string, unknown>, other: Record<string, unknown>) => Object.fromEntries(Object.entries(from).filter(([k]) => k in other && !HOW_KEYS.has(k)));
    const mine = JSON.stringify(comparable(JSON.parse(JSON.stringify(shared(ours, theirs ?? {})).replaceAll(work, '<work>'))));
    const wanted = theirs && JSON.stringify(comparable(JSON.parse(JSON.stringify(shared(theirs, ours)).replaceAll(fresh.work, '<work>'))));
    if (SAID_DONE.has(how) && wanted !== undefined && mine !== wanted) problems.push(`step ${id} said "${how}" with ${mine.slice(0, 200)}, the fresh run made ${wanted.slice(0, 200)}`);
  }

  // The same account (as it is now), the same local files.
  problems.push(...differences(fresh.account, liveAccount(sandboxState(work), c.leftovers)).map((d) => `account differs from the fresh run: ${d}`));
  problems.push(...differences(fresh.files, localFiles(work)).map((d) => `local files differ from the fresh run: ${d}`));

  // The image the environment runs is the one asked for (digests are placeholders in the comparisons above).
  if (c.flow === 'rollout' && again.code === 0) {
    const wanted = String(c.after?.image || '') || (() => {
      const last = readProjectSettings(join(work, 'home', 'app'))?.lastPublished;
      return last ? `${last.uri}@${last.digest}` : '(nothing published)';
    })();
    const running = deployedImages(sandboxState(work));
    if (running.length === 0 || running.some((i) => i !== wanted)) problems.push(`dev runs ${JSON.stringify(running)}, wanted ${wanted}`);
  }
  if (c.flow === 'run') problems.push(...oneOffProblems(sandboxState(work), sandboxState(fresh.work)));
  if (c.flow === 'publish' && ctx.registry) problems.push(...(await registryProblems(ctx.registry, work, fresh, registryBefore)));
  rmSync(work, { recursive: true, force: true });
  return { case: c, stop, reached, converged: problems.length === 0, problems, ms: Date.now() - started };
}

/** The registry: every tag the fresh run made, holding the same app; `latest` and the version agree with project.json. */
async function registryProblems(registry: SandboxRegistry, work: string, fresh: Fresh, before: Record<string, { digest: string; app: string }>): Promise<string[]> {
  const problems: string[] = [];
  const mine = await registryImages(registry, repositoryOf(work));
  for (const [tag, image] of Object.entries(fresh.registry ?? {})) {
    const got = mine[tag];
    if (!got) problems.push(`registry has no :${tag} (the fresh run pushed it)`);
    else if (got.app !== image.app) problems.push(`registry's :${tag} holds app.sh ${JSON.stringify(got.app)}, the fresh run's ${JSON.stringify(image.app)}`);
  }
  for (const tag of Object.keys(mine)) if (!fresh.registry?.[tag] && !before[tag]) problems.push(`registry has :${tag}, which neither the fresh run nor the first run pushed`);
  const last = readProjectSettings(join(work, 'home', 'app'))?.lastPublished;
  const freshLast = readProjectSettings(join(fresh.work, 'home', 'app'))?.lastPublished;
  if (freshLast && last) {
    if (mine[last.tag]?.digest !== last.digest) problems.push(`project.json records ${last.tag} ${last.digest}, the registry's :${last.tag} is ${mine[last.tag]?.digest}`);
    if (mine.latest?.digest !== last.digest) problems.push(`registry's :latest is ${mine.latest?.digest}, project.json records ${last.digest} (${last.tag})`);
  }
  return problems;
}

/** `slipway run`: exactly one task with the new command (as the fresh run), whatever the first run left. */
function oneOffProblems(state: SandboxState, fresh: SandboxState): string[] {
  const commands = (s: SandboxState) => Object.values(s.ecs?.tasks?.['us-east-1'] ?? {}).filter((t) => t.startedBy === STARTED_BY).map((t) => JSON.stringify(t.overrides?.containerOverrides?.[0]?.command));
  const wanted = commands(fresh);
  const got = commands(state);
  return wanted.filter((cmd) => got.filter((g) => g === cmd).length !== 1).map((cmd) => `one-off tasks running ${cmd}: ${got.filter((g) => g === cmd).length}, expected 1 (all: ${got.join(', ')})`);
}

/** `n` of `items`, picked by `rng`, keeping the ones listed in `always`. */
export function sample<T>(items: T[], n: number, rng: () => number, always: T[] = []): T[] {
  const pool = items.filter((i) => !always.includes(i));
  const out = [...always.filter((i) => items.includes(i))];
  while (out.length < n && pool.length > 0) out.push(...pool.splice(Math.floor(rng() * pool.length), 1));
  return out;
}
