import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { localRegistryDir, localRegistryRunning, readLocalRegistry } from '../sandbox/local-registry.js';
import { SANDBOX_ADMIN } from '../sandbox/seed.js';
import type { SandboxState } from '../sandbox/state.js';
import { stateDir } from '../engine/paths.js';
import { isBroken, unfinishedRuns, type RunListing } from './runs.js';

/** What one sandbox has on this machine: its account file, its HOME, its registry, its rehearsals. */
export interface SandboxEntry {
  name: string;
  file: string;
  home: string;
  registryDir: string;
  accountId?: string;
  /** Why the account file could not be read, when it could not. */
  unreadable?: string;
  /** When the account was made (ISO). */
  created?: string;
  sizeBytes: number;
  scenario?: string;
  registry?: { endpoint: string; startedBySlipway: boolean; running?: boolean };
}

const DAY_MS = 86_400_000;

export function sandboxesDir(env: NodeJS.ProcessEnv): string {
  return join(stateDir(env), 'sandbox');
}

/** The sandboxes that exist (an account file, or only a HOME or registry left behind), by name. */
export function listSandboxes(env: NodeJS.ProcessEnv): SandboxEntry[] {
  const dir = sandboxesDir(env);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const found = new Set<string>();
  for (const entry of names) {
    const match = /^(.+)\.(json|home|registry)$/.exec(entry);
    if (match?.[1] && !entry.includes('.tmp')) found.add(match[1]);
  }
  return [...found]
    .filter((name) => /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name))
    .sort()
    .map((name) => describeSandbox(name, env))
    .filter((entry) => existsSync(entry.file) || existsSync(entry.home) || existsSync(entry.registryDir));
}

export function describeSandbox(name: string, env: NodeJS.ProcessEnv): SandboxEntry {
  const dir = sandboxesDir(env);
  const file = join(dir, `${name}.json`);
  const entry: SandboxEntry = { name, file, home: join(dir, `${name}.home`), registryDir: localRegistryDir(file), sizeBytes: 0 };
  entry.sizeBytes = sizeOf(entry.file) + sizeOf(entry.home) + sizeOf(entry.registryDir);
  if (existsSync(file)) {
    try {
      const state = JSON.parse(readFileSync(file, 'utf8')) as SandboxState;
      if (state.version !== 1 || typeof state.accountId !== 'string') throw new Error('not a slipway sandbox file (version 1)');
      entry.accountId = state.accountId;
      // The account's bootstrap admin is made a day before the account itself (see seed.ts).
      const admin = state.iam?.users?.[SANDBOX_ADMIN]?.createdAt;
      const created = admin !== undefined ? admin + DAY_MS : lstatSync(file).mtimeMs;
      entry.created = new Date(created).toISOString();
      if (state.scenario) entry.scenario = state.scenario;
      const configured = state.ecr?.registry;
      const record = readLocalRegistry(file);
      if (configured) {
        const ours = record !== undefined && record.endpoint === configured.endpoint && record.password === configured.password;
        entry.registry = { endpoint: configured.endpoint, startedBySlipway: ours, ...(ours && record ? { running: localRegistryRunning(record, file) } : {}) };
      }
    } catch (error) {
      entry.unreadable = (error as Error).message;
    }
  }
  return entry;
}

/** The unfinished runs that were rehearsals in this sandbox (journal meta `sandbox`). */
export function sandboxRuns(name: string, env: NodeJS.ProcessEnv): Exclude<RunListing, { broken: string }>[] {
  return unfinishedRuns(env).filter((run): run is Exclude<RunListing, { broken: string }> => !isBroken(run) && run.meta?.sandbox === name);
}

/** Bytes on disk below a path (files only; links are not followed). */
export function sizeOf(path: string): number {
  let stat;
  try {
    stat = lstatSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.isFile() ? stat.size : 0;
  let total = 0;
  for (const name of readdirSync(path)) total += sizeOf(join(path, name));
  return total;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}
