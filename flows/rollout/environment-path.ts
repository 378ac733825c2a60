import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { validateEnvName } from './names.js';

/** The light part of environments, for the question list (which loads before any flow, without zod). */
export function environmentPath(dir: string, env: string): string {
  return join(dir, 'slipway', 'environments', `${env}.json`);
}

/** Production-like names are protected (changes need approval) and run two tasks by default. */
export function isProductionName(env: string): boolean {
  return /^(prod|production|live)(-|$)/.test(env);
}

/** The retention periods CloudWatch Logs accepts. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/** The environments of this app: the files in slipway/environments/, by name. */
export function environmentNames(dir: string): string[] {
  let files: string[];
  try {
    files = readdirSync(dirname(environmentPath(dir, 'x')));
  } catch {
    return [];
  }
  return files
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .filter((name) => validateEnvName(name) === undefined)
    .sort();
}
