import * as nodeModule from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Turns on Node's on-disk cache of compiled code (Node ≥ 22.1) for what slipway loads from here on:
 * the ink front end and the flow chunks are compiled once, and read back on later starts.
 * In `$XDG_CACHE_HOME/slipway/node-compile-cache` (else ~/.cache/…), per XDG: it can be deleted at
 * any time. Called only once the command line has been accepted, so bad input writes nothing.
 * `SLIPWAY_NO_COMPILE_CACHE=1` leaves it off (the benchmark measures both).
 */
export function enableCompileCache(env: NodeJS.ProcessEnv): void {
  // Not a named import: Node 20's node:module has no such export, and a named import would not link.
  const enable = (nodeModule as { enableCompileCache?: (dir: string) => unknown }).enableCompileCache;
  if (!enable || env.SLIPWAY_NO_COMPILE_CACHE === '1' || env.NODE_COMPILE_CACHE !== undefined) return;
  try {
    enable(join(env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache'), 'slipway', 'node-compile-cache'));
  } catch {
    // A cache is an optimisation: an unwritable folder is no reason to stop.
  }
}
