import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { home } from '../engine/paths.js';
import { configSectionName, parseIni } from './ini.js';

export function awsConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.AWS_CONFIG_FILE || join(home(env), '.aws', 'config');
}

export function awsCredentialsPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.AWS_SHARED_CREDENTIALS_FILE || join(home(env), '.aws', 'credentials');
}

/** The settings of one profile in `~/.aws/config` (empty when the file or profile is missing). */
export function readProfileConfig(profile: string, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  try {
    return parseIni(readFileSync(awsConfigPath(env), 'utf8')).get(configSectionName(profile)) ?? {};
  } catch {
    return {};
  }
}

export function credentialsFileHasProfile(profile: string, env: NodeJS.ProcessEnv = process.env): boolean {
  try {
    return parseIni(readFileSync(awsCredentialsPath(env), 'utf8')).has(profile);
  } catch {
    return false;
  }
}

export interface FileMode {
  path: string;
  exists: boolean;
  mode?: number;
  /** Group or others can read it: other users on this machine could take the keys. */
  tooOpen?: boolean;
}

export function fileMode(path: string): FileMode {
  try {
    const mode = statSync(path).mode & 0o777;
    return { path, exists: true, mode, tooOpen: (mode & 0o077) !== 0 };
  } catch {
    return { path, exists: false };
  }
}
