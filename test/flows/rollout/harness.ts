import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { CreateRepositoryCommand, ECRClient } from '@aws-sdk/client-ecr';
import { attachSandbox } from '../../../src/sandbox/attach.js';
import { recordImage } from '../../../src/sandbox/ecr.js';
import { createSandbox, type Sandbox } from '../../../src/sandbox/store.js';
import type { RolloutScenario } from '../../../src/sandbox/state.js';
import { UsageError } from '../../../src/engine/errors.js';
import type { RunEvent, RunResult } from '../../../src/engine/events.js';
import { journalsDir } from '../../../src/engine/paths.js';
import type { Prompter } from '../../../src/engine/prompter.js';
import { runFlow } from '../../../src/engine/runner.js';
import type { Answers } from '../../../src/engine/types.js';
import { writeProjectSettings } from '../../../src/local/project-settings.js';
import { writeEnvironment } from '../../../flows/rollout/environment.js';
import { rolloutFlow } from '../../../flows/rollout/index.js';
import { typedRolloutAnswers } from '../../../flows/rollout/questions.js';
import { settingsFromAnswers } from '../../../flows/rollout/targets/environment.js';
import type { Runtime } from '../../../flows/shared/runtime.js';
import { homeEnv } from '../../support/home-env.js';

export const REPOSITORY = 'apps/todo';

/** How fast the sandbox's ECS moves in tests: each task phase takes this many seconds of sandbox time. */
export const FAST_PHASE_SECONDS = 0.05;

/**
 * A temporary HOME and app folder, a sandbox account whose ECR holds a published image of `todo`, and
 * slipway/project.json saying so — what `slipway publish` leaves behind.
 */
export async function rolloutWorld(options: { scenario?: RolloutScenario; sandboxFile?: string } = {}) {
  const home = mkdtempSync(join(tmpdir(), 'slipway-rollout-'));
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, ...homeEnv(home), SLIPWAY_WATCH_POLL_MS: '20' };
  const sandbox = createSandbox({ file: options.sandboxFile ?? join(home, 'sandbox.json'), env });
  speedUp(sandbox, options.scenario);
  const runtime: Runtime = { aws: { region: 'us-east-1' }, env, platform: 'linux', sandbox, cwd: join(home, 'app') };
  const published = await publishImage(sandbox, runtime.cwd, 'v1');
  return { home, env, sandbox, runtime, published, cleanup: () => rmSync(home, { recursive: true, force: true }) };
}

export type RolloutWorld = Awaited<ReturnType<typeof rolloutWorld>>;

export function useRolloutWorlds(): (options?: Parameters<typeof rolloutWorld>[0]) => Promise<RolloutWorld> {
  const made: RolloutWorld[] = [];
  afterEach(() => made.splice(0).forEach((w) => w.cleanup()));
  return async (options) => {
    const w = await rolloutWorld(options);
    made.push(w);
    return w;
  };
}

export function speedUp(sandbox: Sandbox, scenario?: RolloutScenario): void {
  sandbox.update((state) => {
    state.ecs = { ...(state.ecs ?? {}), taskPhaseSeconds: FAST_PHASE_SECONDS } as NonNullable<typeof state.ecs>;
    if (scenario) state.scenario = scenario;
  });
}

/** Records a new image in the sandbox's ECR and in slipway/project.json, as `slipway publish` would. */
export async function publishImage(sandbox: Sandbox, dir: string, tag: string): Promise<{ uri: string; digest: string; image: string }> {
  const ecr = attachSandbox(new ECRClient({ region: 'us-east-1', credentials: sandbox.adminCredentials() }), sandbox);
  await ecr.send(new CreateRepositoryCommand({ repositoryName: REPOSITORY })).catch((e: Error) => {
    if (e.name !== 'RepositoryAlreadyExistsException') throw e;
  });
  const digest = recordImage(sandbox, { repositoryName: REPOSITORY, tags: [tag] });
  const uri = `${sandbox.accountId}.dkr.ecr.us-east-1.amazonaws.com/${REPOSITORY}`;
  writeProjectSettings(dir, { version: 1, app: 'todo', ecr: { namespace: 'apps', keepImages: 30 }, lastPublished: { uri, tag, digest, at: new Date().toISOString() } });
  return { uri, digest, image: `${uri}@${digest}` };
}

export const DEV: Answers = { region: 'us-east-1', app: 'todo', env: 'dev' };

/** An environment file as a first rollout writes it from these answers (defaults for the rest), nothing deployed. */
export function writeEnvironmentFile(world: { runtime: Runtime }, answers: Answers): void {
  writeEnvironment(world.runtime.cwd, String(answers.env), settingsFromAnswers({ settings: typedRolloutAnswers({ ...DEV, ...answers }) }));
}

/** A rollout refused as bad input (exit 2): its UsageError, after checking it left the journals as they were. */
export async function refusedRollout(world: { runtime: Runtime; env: NodeJS.ProcessEnv }, prompter: Prompter, given: Answers): Promise<UsageError> {
  const journals = journalsDir(world.env);
  const read = () => (existsSync(journals) ? readdirSync(journals).map((name) => `${name}\n${readFileSync(join(journals, name), 'utf8')}`) : []);
  const before = read();
  const error = await runRollout(world, prompter, given).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof UsageError)) throw new Error(`expected the rollout to be refused as bad input, got ${String(error)}`);
  if (JSON.stringify(read()) !== JSON.stringify(before)) throw new Error(`a refused rollout changed the journals in ${journals}`);
  return error;
}

export async function runRollout(world: { runtime: Runtime; env: NodeJS.ProcessEnv }, prompter: Prompter, given: Answers = DEV, onEvent?: (e: RunEvent) => void) {
  const events: RunEvent[] = [];
  const result: RunResult = await runFlow({
    flow: rolloutFlow(world.runtime),
    given,
    prompter,
    acceptDefaults: true,
    emit: (e) => {
      events.push(e);
      onEvent?.(e);
    },
    cancel: new AbortController().signal,
    env: world.env,
  });
  const how = Object.fromEntries(events.flatMap((e) => (e.type === 'step-done' ? [[e.stepId, e.how]] : []))) as Record<string, string>;
  const logs = events.flatMap((e) => (e.type === 'step-log' ? [e.line] : []));
  return { result, events, how, logs };
}
