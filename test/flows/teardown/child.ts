import { runKillableChild } from '../../support/killable-child.js';

/**
 * Runs the built teardown child (test/support/teardown-child.ts) on a world, optionally killed at
 * `kill` (see test/support/child-sandbox.ts), and reads its JSON lines: the sandbox calls made before
 * each step started and in all.
 */
export async function runTeardownChild(child: string, home: string, kill?: string) {
  const { code, signal, stderr, lines } = await runKillableChild(child, home, kill);
  const finished = lines.find((l) => l.type === 'finished') as { calls: number; failures?: unknown } | undefined;
  return {
    home,
    code,
    signal,
    stderr: `${stderr}${finished?.failures ? JSON.stringify(finished.failures) : ''}`,
    calls: finished?.calls ?? -1,
    callsBefore: Object.fromEntries(lines.flatMap((l) => (l.type === 'step-started' ? [[l.stepId, l.calls]] : []))) as Record<string, number>,
  };
}
