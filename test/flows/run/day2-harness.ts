import type { RunEvent, RunResult } from '../../../src/engine/events.js';
import type { Prompter } from '../../../src/engine/prompter.js';
import { runFlow } from '../../../src/engine/runner.js';
import type { Answers, Flow } from '../../../src/engine/types.js';
import { NonInteractivePrompter } from '../../../src/console/ci-prompter.js';
import type { Runtime } from '../../../flows/shared/runtime.js';

/** Runs a day-2 flow (run, status, teardown) in-process against a rollout world's sandbox. */
export async function runDay2(
  flow: Flow<any>,
  world: { runtime: Runtime; env: NodeJS.ProcessEnv },
  given: Answers,
  options: { prompter?: Prompter; cancel?: AbortSignal; onEvent?: (e: RunEvent) => void; acceptDefaults?: boolean } = {},
) {
  const events: RunEvent[] = [];
  const result: RunResult = await runFlow({
    flow,
    given,
    prompter: options.prompter ?? new NonInteractivePrompter(),
    acceptDefaults: options.acceptDefaults ?? true,
    emit: (e) => {
      events.push(e);
      options.onEvent?.(e);
    },
    cancel: options.cancel ?? new AbortController().signal,
    env: world.env,
  });
  const how = Object.fromEntries(events.flatMap((e) => (e.type === 'step-done' ? [[e.stepId, e.how]] : []))) as Record<string, string>;
  const logs = events.flatMap((e) => (e.type === 'step-log' ? [e.line] : []));
  return { result, events, how, logs };
}
