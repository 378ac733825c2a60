import { existsSync, mkdirSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Node's on-disk cache of compiled code (Node ≥ 22.1): the ink front end and the flow chunks are
 * compiled once and read back on later starts. It lives in `$XDG_CACHE_HOME/slipway/node-compile-cache`
 * (else ~/.cache/…), per XDG: it can be deleted at any time. `SLIPWAY_NO_COMPILE_CACHE=1` leaves it off.
 *
 * Node writes the cache as the process exits, whatever the exit — so a run refused as bad input
 * (exit 2, "nothing written") would still leave a cache behind. Hence: the cache is used only once its
 * folder exists, and the folder is made only at the end of a run that was not refused.
 */
export function compileCacheDir(env: NodeJS.ProcessEnv): string {
  return join(env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache'), 'slipway', 'node-compile-cache');
}

export function enableCompileCache(env: NodeJS.ProcessEnv): void {
  const enable = nodeCompileCache();
  if (!enable || !wanted(env)) return;
  const dir = compileCacheDir(env);
  try {
    if (existsSync(dir)) enable(dir);
  } catch {
    // A cache is an optimisation: an unreadable folder is no reason to stop.
  }
}

/** After a run that was not refused as bad input: make the folder, so the next start uses the cache. */
export function keepCompileCache(env: NodeJS.ProcessEnv): void {
  if (!nodeCompileCache() || !wanted(env)) return;
  try {
    mkdirSync(compileCacheDir(env), { recursive: true });
  } catch {
    // No cache then.
  }
}

/** Node's enableCompileCache, where this Node has one (≥ 22.1). */
function nodeCompileCache(): ((dir: string) => unknown) | undefined {
  // Not a named import: Node 20's node:module has no such export, and a named import would not link.
  return (nodeModule as { enableCompileCache?: (dir: string) => unknown }).enableCompileCache;
}

function wanted(env: NodeJS.ProcessEnv): boolean {
  return env.SLIPWAY_NO_COMPILE_CACHE !== '1' && env.NODE_COMPILE_CACHE === undefined;
}
