import { afterEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { homeEnv } from './home-env.js';

/** A throwaway HOME with its own XDG state folder; the real home is never touched. */
export function tempHome(): { home: string; env: NodeJS.ProcessEnv; cleanup(): void } {
  const home = mkdtempSync(join(tmpdir(), 'slipway-home-'));
  const env: NodeJS.ProcessEnv = { ...process.env, ...homeEnv(home) };
  for (const name of ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_ENDPOINT_URL']) delete env[name];
  return { home, env, cleanup: () => rmSync(home, { recursive: true, force: true }) };
}

/** A maker of temporary homes for one test file; each is removed after the test that made it. */
export function useTempHomes(): () => ReturnType<typeof tempHome> {
  const made: ReturnType<typeof tempHome>[] = [];
  afterEach(() => made.splice(0).forEach((h) => h.cleanup()));
  return () => {
    const h = tempHome();
    made.push(h);
    return h;
  };
}
