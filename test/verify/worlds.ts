import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateRepositoryCommand, ECRClient } from '@aws-sdk/client-ecr';
import { attachSandbox } from '../../src/sandbox/attach.js';
import { recordImage } from '../../src/sandbox/ecr.js';
import { createSandbox } from '../../src/sandbox/store.js';
import type { SandboxRegistry } from '../../src/sandbox/state.js';
import { writeProjectSettings } from '../../src/local/project-settings.js';
import { homeEnv } from '../support/home-env.js';

// The worlds the flow children run in: <work>/sandbox.json, <work>/home (HOME, ~/.aws, ~/.ssh, the
// journals under ~/.local/state), <work>/home/app (the application folder). No vitest imports here.

/** Each ECS task phase takes this many seconds of sandbox time (test/flows/rollout/harness.ts uses the same). */
export const FAST_PHASE_SECONDS = 0.05;
export const REPOSITORY = 'apps/todo';

export function worldEnv(work: string): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, ...homeEnv(join(work, 'home')) };
}

/** A fresh account for bootstrap or doctor. */
export function plainWorld(work: string, options: { propagationSeconds?: number } = {}): void {
  mkdirSync(join(work, 'home'), { recursive: true });
  createSandbox({ file: join(work, 'sandbox.json'), env: worldEnv(work), ...options });
}

/** What `slipway publish` leaves behind: an image of `todo` in the sandbox's ECR and slipway/project.json saying so. */
export async function rolloutWorld(work: string, options: { propagationSeconds?: number } = {}): Promise<void> {
  const app = join(work, 'home', 'app');
  mkdirSync(app, { recursive: true });
  const sandbox = createSandbox({ file: join(work, 'sandbox.json'), env: worldEnv(work), ...options });
  sandbox.update((state) => {
    state.ecs = { ...(state.ecs ?? {}), taskPhaseSeconds: FAST_PHASE_SECONDS } as NonNullable<typeof state.ecs>;
  });
  const ecr = attachSandbox(new ECRClient({ region: 'us-east-1', credentials: sandbox.adminCredentials() }), sandbox);
  await ecr.send(new CreateRepositoryCommand({ repositoryName: REPOSITORY }));
  const digest = recordImage(sandbox, { repositoryName: REPOSITORY, tags: ['v1'] });
  const uri = `${sandbox.accountId}.dkr.ecr.us-east-1.amazonaws.com/${REPOSITORY}`;
  writeProjectSettings(app, { version: 1, app: 'todo', ecr: { namespace: 'apps', keepImages: 30 }, lastPublished: { uri, tag: 'v1', digest, at: '2026-01-01T00:00:00.000Z' } });
}

/** An application folder with a Dockerfile and one commit, an account whose ECR stores in `registry`. */
export function publishWorld(work: string, fixture: { app: string; name: string; registry: SandboxRegistry }): void {
  mkdirSync(join(work, 'home'), { recursive: true });
  createSandbox({ file: join(work, 'sandbox.json'), env: worldEnv(work), registry: fixture.registry });
  writeFileSync(
    join(work, 'publish-answers.json'),
    JSON.stringify({ region: 'us-east-1', app: fixture.name, namespace: 'verify', keepImages: 5, cleanup: false, skipTests: true, allowDirty: false }),
  );
}
