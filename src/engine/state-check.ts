import { accessSync, constants, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { UsageError } from './errors.js';
import { stateDir } from './paths.js';

/**
 * slipway keeps journals (and sandboxes) under `$XDG_STATE_HOME/slipway`. Checked before anything
 * runs, without creating anything: the folder, or its nearest existing parent, must be a writable
 * folder — otherwise the first journal write would fail with a bare ENOTDIR or EACCES.
 */
export function checkStateDirWritable(env: NodeJS.ProcessEnv): void {
  const wanted = stateDir(env);
  let path = wanted;
  for (;;) {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      const parent = dirname(path);
      if (parent === path) return;
      path = parent;
      continue;
    }
    const fix = 'Set XDG_STATE_HOME to a folder you can write to (or unset it to use ~/.local/state), or fix that path’s permissions.';
    if (!stat.isDirectory()) throw new UsageError(`slipway cannot keep its state in ${wanted}.`, { why: `${path} is a file, not a folder.`, fix });
    try {
      accessSync(path, constants.W_OK | constants.X_OK);
    } catch {
      throw new UsageError(`slipway cannot write its state in ${wanted}.`, { why: `${path} is not writable by you.`, fix });
    }
    return;
  }
}
