import { mkdtempSync, rmSync } from 'node:fs';
import { afterEach } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSandbox, type Sandbox } from '../../../src/sandbox/store.js';
import type { RunEvent, RunResult } from '../../../src/engine/events.js';
import type { Prompter } from '../../../src/engine/prompter.js';
import { runFlow } from '../../../src/engine/runner.js';
import type { Answers } from '../../../src/engine/types.js';
import { bootstrapFlow } from '../../../flows/bootstrap/index.js';
import { NEWCOMER, worldEnv } from './world.js';

export { NEWCOMER, worldEnv };
import type { Runtime } from '../../../flows/shared/runtime.js';

/** A temporary HOME (with its own ~/.aws, ~/.ssh and journals) and a sandbox account to bootstrap. */
export function bootstrapWorld(options: { sandboxFile?: string } = {}) {
  const home = mkdtempSync(join(tmpdir(), 'slipway-bootstrap-'));
  const env = worldEnv(home);
  const sandbox = createSandbox({ file: options.sandboxFile ?? join(home, 'sandbox.json'), env });
  const runtime: Runtime = { aws: { region: 'us-east-1' }, env, platform: 'linux', sandbox, cwd: home };
  return { home, env, sandbox, runtime, cleanup: () => rmSync(home, { recursive: true, force: true }) };
}

/** A maker of bootstrap worlds for one test file; each is removed after the test that made it. */
export function useWorlds(): () => ReturnType<typeof bootstrapWorld> {
  const made: ReturnType<typeof bootstrapWorld>[] = [];
  afterEach(() => made.splice(0).forEach((w) => w.cleanup()));
  return () => {
    const w = bootstrapWorld();
    made.push(w);
    return w;
  };
}


export async function runBootstrap(world: { runtime: Runtime; env: NodeJS.ProcessEnv }, prompter: Prompter, given: Answers = NEWCOMER) {
  const events: RunEvent[] = [];
  const result: RunResult = await runFlow({ flow: bootstrapFlow(world.runtime), given, prompter, emit: (e) => events.push(e), cancel: new AbortController().signal, env: world.env });
  return { result, events, how: Object.fromEntries(events.flatMap((e) => (e.type === 'step-done' ? [[e.stepId, e.how]] : []))) as Record<string, string> };
}

/** Records whether each sandbox call could change the account. */
export function watchCalls(sandbox: Sandbox): { mutating: number; total: number } {
  const counts = { mutating: 0, total: 0 };
  const run = sandbox.run.bind(sandbox);
  sandbox.run = ((mutates: Parameters<Sandbox['run']>[0], work: never) => {
    counts.total++;
    // A read may decide to write (it moved ECS's simulation on): counted when it decides so.
    const decide =
      typeof mutates === 'function'
        ? (state: Parameters<typeof mutates>[0]) => {
            const writes = mutates(state);
            if (writes) counts.mutating++;
            return writes;
          }
        : mutates;
    if (mutates === true) counts.mutating++;
    return run(decide, work);
  }) as Sandbox['run'];
  return counts;
}
