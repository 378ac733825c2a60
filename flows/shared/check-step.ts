import type { Outputs, Step, StepContext } from '../../src/engine/types.js';

/**
 * A read-only check as a step. It has nothing to apply, so its probe is the whole check: it returns
 * what it found, or throws an error that says how to fix it. (apply is the same check, for the
 * interface's sake; the runner never reaches it because the probe is always defined.)
 */
export function checkStep<C extends StepContext>(id: string, title: string, check: (c: C) => Promise<Outputs>): Step<C> {
  return { id, title, check: true, plan: () => `check: ${title}`, probe: check, apply: check };
}
