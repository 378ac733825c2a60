import { NonInteractivePrompter } from '../../src/console/ci-prompter.js';
import type { RunEvent } from '../../src/engine/events.js';
import { runFlow } from '../../src/engine/runner.js';
import type { Answers } from '../../src/engine/types.js';
import { publishFlow } from '../../flows/publish/index.js';
import type { Runtime } from '../../flows/shared/runtime.js';

/** One non-interactive `slipway publish` of `app` in the runtime's folder: its result, how each step ended, its log lines. */
export async function runPublish(runtime: Runtime, app: string, given: Answers = {}) {
  const events: RunEvent[] = [];
  const result = await runFlow({
    flow: publishFlow(runtime),
    given: { app, namespace: 'slipway-it', keepImages: 5, cleanup: false, ...given },
    prompter: new NonInteractivePrompter(runtime.env),
    emit: (e) => events.push(e),
    cancel: new AbortController().signal,
    env: runtime.env,
  });
  const how = Object.fromEntries(events.flatMap((e) => (e.type === 'step-done' ? [[e.stepId, e.how]] : [])));
  const logs = events.flatMap((e) => (e.type === 'step-log' ? [e.line] : []));
  return { result, how, logs };
}
