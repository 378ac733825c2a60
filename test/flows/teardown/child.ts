import { spawn } from 'node:child_process';

/**
 * Runs the built teardown child (test/support/teardown-child.ts) on a world, optionally killed at
 * `kill` (see test/support/child-sandbox.ts), and reads its JSON lines: the sandbox calls made before
 * each step started and in all.
 */
export async function runTeardownChild(child: string, home: string, kill?: string) {
  const proc = spawn(process.execPath, [child, home], { env: { ...process.env, ...(kill ? { SLIPWAY_TEST_KILL: kill } : {}) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => proc.on('close', (c, s) => resolve([c, s])));
  const lines = stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; stepId?: string; calls: number; failures?: unknown });
  const finished = lines.find((l) => l.type === 'finished');
  return {
    home,
    code,
    signal,
    stderr: `${stderr}${finished?.failures ? JSON.stringify(finished.failures) : ''}`,
    calls: finished?.calls ?? -1,
    callsBefore: Object.fromEntries(lines.flatMap((l) => (l.type === 'step-started' ? [[l.stepId, l.calls]] : []))) as Record<string, number>,
  };
}
