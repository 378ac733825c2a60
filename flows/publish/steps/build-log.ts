import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { stateDir } from '../../../src/engine/paths.js';

/** The full output of a build or test run, kept in a file: the screen only has room for its tail. */
export function openLog(env: NodeJS.ProcessEnv, name: string): { path: string; stream: WriteStream } {
  const dir = join(stateDir(env), 'logs');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.log`);
  return { path, stream: createWriteStream(path, { mode: 0o600 }) };
}
