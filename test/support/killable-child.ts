import { spawn } from 'node:child_process';

/**
 * Runs a built crash child (see build-child.ts) on a world's HOME, told to SIGKILL itself at `kill`
 * (SLIPWAY_TEST_KILL, see child-sandbox.ts), and returns how it ended and the JSON lines it printed.
 */
export async function runKillableChild(child: string, home: string, kill?: string) {
  const proc = spawn(process.execPath, [child, home], { env: { ...process.env, ...(kill ? { SLIPWAY_TEST_KILL: kill } : {}) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => proc.on('close', (c, s) => resolve([c, s])));
  const lines = stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown> & { type: string });
  return { code, signal, stderr, lines };
}
