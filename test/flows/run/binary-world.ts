import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach } from 'vitest';
import { rolloutWorld, type RolloutWorld } from '../rollout/harness.js';

export const BIN = join(process.cwd(), 'dist', 'slipway.js');
export const SANDBOX = 'day2';

/**
 * A rollout world whose sandbox file is where `slipway --sandbox-name day2` looks for it, so the built
 * binary (run in the app's folder, without a terminal) works on what the test rolled out.
 */
export function useBinaryWorlds(): () => Promise<RolloutWorld & { binaryEnv: NodeJS.ProcessEnv }> {
  const made: (() => void)[] = [];
  afterEach(() => made.splice(0).forEach((f) => f()));
  return async () => {
    const state = mkdtempSync(join(tmpdir(), 'slipway-day2-bin-'));
    const sandboxFile = join(state, 'slipway', 'sandbox', `${SANDBOX}.json`);
    mkdirSync(dirname(sandboxFile), { recursive: true });
    const w = await rolloutWorld({ sandboxFile });
    made.push(() => {
      w.cleanup();
      rmSync(state, { recursive: true, force: true });
    });
    return { ...w, binaryEnv: { PATH: process.env.PATH, HOME: w.home, XDG_STATE_HOME: state, AWS_EC2_METADATA_DISABLED: 'true', SLIPWAY_WATCH_POLL_MS: '20', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } };
  };
}

/** The built binary in the world's app folder, in the sandbox, with no terminal (non-interactive). */
export async function slipway(w: { runtime: { cwd: string }; binaryEnv: NodeJS.ProcessEnv }, args: string[]) {
  const child = spawn(process.execPath, [BIN, ...args.slice(0, 1), '--sandbox-name', SANDBOX, ...args.slice(1)], { cwd: w.runtime.cwd, env: w.binaryEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr };
}
