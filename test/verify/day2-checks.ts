import type { SandboxState } from '../../src/sandbox/state.js';
import { STARTED_BY } from '../../flows/run/steps/task.js';
import { RUN_COMMAND } from '../support/day2-answers.js';
import { FOREIGN, lookAlikesLeft, taggedFor } from '../flows/teardown/world.js';
import type { ChildRun } from './children.js';
import { normalise } from './inventory.js';

// What the day-2 flows must leave, beyond the inventory comparison with an uninterrupted run: that
// comparison cannot tell a wrong reference from a right one, and it leaves out ECS tasks (ephemeral
// there: a watched rollout sees more or fewer of them), which are all `slipway run` makes.

/** `slipway teardown --env dev`: nothing tagged for dev is left; the look-alikes and staging stay. */
export function teardownProblems(state: SandboxState, stagingBefore: string[]): string[] {
  const problems: string[] = [];
  const dev = taggedFor(state, 'dev');
  if (dev.length) problems.push(`left of dev: ${dev.join(', ')}`);
  const gone = Object.values(FOREIGN).filter((name) => !lookAlikesLeft(state).includes(name));
  if (gone.length) problems.push(`look-alikes deleted: ${gone.join(', ')}`);
  const staging = withoutTasks(taggedFor(state, 'staging'));
  const lost = stagingBefore.filter((r) => !staging.includes(r));
  if (lost.length) problems.push(`staging lost: ${lost.join(', ')}`);
  return problems;
}

/** Everything staging has, as taggedFor names it, without its tasks (ECS replaces those as it likes). */
export function stagingResources(state: SandboxState): string[] {
  return withoutTasks(taggedFor(state, 'staging'));
}

function withoutTasks(found: string[]): string[] {
  return found.filter((r) => !r.startsWith('task '));
}

/**
 * `slipway run`: `runs` one-off tasks, each with the command. One per run: a resumed run re-attaches to
 * the task its run key names; only a run whose journal already said done is followed by a new one.
 */
export function runProblems(state: SandboxState, runs: number): string[] {
  const tasks = Object.values(state.ecs?.tasks?.['us-east-1'] ?? {}).filter((t) => t.startedBy === STARTED_BY);
  const problems: string[] = [];
  if (tasks.length !== runs) problems.push(`one-off tasks: ${tasks.length}, expected ${runs}`);
  for (const t of tasks) {
    const command = t.overrides?.containerOverrides?.[0]?.command;
    if (JSON.stringify(command) !== JSON.stringify(RUN_COMMAND)) problems.push(`task ${t.id} runs ${JSON.stringify(command)}`);
  }
  return problems;
}

/** What `slipway status` reported (its report step's output), with the world's folder, ids and times as placeholders. */
export function statusReport(run: ChildRun, work: string): unknown {
  const done = run.lines.find((l) => l.type === 'step-done' && l.stepId === 'report');
  return done ? normalise(JSON.parse(JSON.stringify(done.outputs).replaceAll(work, '<work>'))) : undefined;
}
