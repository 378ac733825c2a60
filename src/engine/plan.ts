import { resolveAnswers, validateGivenAnswers } from './answers.js';
import { CancelledError, MissingOutputError, SlipwayError, UsageError } from './errors.js';
import type { Prompter } from './prompter.js';
import { describeTarget, pickPreviousRun } from './runner.js';
import type { Answers, Flow, Outputs, Step, StepContext, Target } from './types.js';

/** What a step would do, as `--plan` says it (Terraform's symbols in the line output). */
export type PlanAction = 'unchanged' | 'create' | 'update' | 'delete' | 'run' | 'check' | 'unknown';

export interface PlannedStep {
  id: string;
  title: string;
  action: PlanAction;
  /** What would be done or what differs, one line each. */
  detail: string[];
}

export interface PlanResult {
  flow: string;
  title: string;
  target: Target;
  steps: PlannedStep[];
  counts: { create: number; update: number; delete: number; unchanged: number; run: number };
  /** Something in AWS or on disk would change (what `--detailed-exitcode` exits 3 for). */
  changes: boolean;
  /** The unfinished run this flow would resume (its answers are the plan's): "rollout · todo/dev · … at "Deployment"". */
  resumes?: string;
}

export interface PlanOptions {
  flow: Flow<any>;
  given: Record<string, string | number | boolean>;
  prompter: Prompter;
  cancel: AbortSignal;
  acceptDefaults?: boolean;
  env?: NodeJS.ProcessEnv;
  /**
   * An error that says a thing is not there (AWS's NotFound, NoSuchEntity): after a step the plan
   * would make, a later probe reading that thing is known only once it exists.
   */
  notFound?(error: unknown): boolean;
  /** Told the answers the plan was made with (the wizard runs the flow with them when asked to). */
  onAnswers?(answers: Answers): void;
}

/**
 * `--plan`: what a run with these answers would do, from the present — each step's read-only probe
 * against AWS and the files as they are now — without one write: no apply, no journal, no lock. A
 * step whose probe finds it done is unchanged (its outputs feed the later probes, as in a run); one
 * that is not done would be created (deleted, in a teardown) or, where the step can say field by field
 * what differs (`planChanges`), updated; a step whose probe needs something an earlier step would make
 * first is known only then. Checks run (they only look); approvals and watches would run.
 */
export async function planFlow(options: PlanOptions): Promise<PlanResult> {
  const { flow, prompter, cancel } = options;
  validateGivenAnswers(flow.questions, options.given);
  // As the run would: an unfinished run of this flow with these answers is resumed, with its answers.
  const previous = flow.kind === 'checks' ? undefined : await pickPreviousRun({ flow, given: options.given, prompter }, options.env ?? process.env);
  const answers = await resolveAnswers(flow.questions, { given: options.given, journaled: previous?.answers ?? {}, prompter, acceptDefaults: options.acceptDefaults ?? false });
  options.onAnswers?.(answers);
  const target = await flow.target(answers, prompter, { planning: true });
  const steps: Step<any>[] = typeof flow.steps === 'function' ? flow.steps(answers) : flow.steps;
  const outputs: Record<string, Outputs> = {};
  const history = Object.fromEntries(Object.entries(previous?.steps ?? {}).map(([id, r]) => [id, { status: r.status, outputs: r.outputs, error: r.error }]));
  const base: StepContext = { answers, outputs, prompter, signal: cancel, history, planning: true, report: { log() {}, progress() {} } };
  const context = await flow.context(base);
  const planned = await planSteps(steps, context, outputs, { cancel, removes: flow.removes, explainError: flow.explainError, notFound: options.notFound });
  const count = (...actions: PlanAction[]) => planned.filter((p) => actions.includes(p.action)).length;
  const counts = { create: count('create', 'unknown'), update: count('update'), delete: count('delete'), unchanged: count('unchanged', 'check'), run: count('run') };
  const resumes = previous ? `${describeTarget(previous.target)}, stopped at "${previous.stepOrder.find((s) => previous.steps[s.id]?.status !== 'done')?.title ?? 'the end'}"` : undefined;
  return { flow: flow.name, title: flow.title, target, steps: planned, counts, changes: counts.create + counts.update + counts.delete > 0, ...(resumes ? { resumes } : {}) };
}

export const KNOWN_LATER = 'known once the steps before it are done';

/**
 * The plan of these steps with this context: each probe runs (read-only); what it finds goes into
 * `outputs`, which the context reads, so later probes see earlier findings as in a run. `--plan` uses
 * it for a whole flow, and a protected rollout's approval for the resources it is about to make.
 */
export async function planSteps<C extends StepContext>(
  steps: Step<C>[],
  context: C,
  outputs: Record<string, Outputs>,
  options: { cancel: AbortSignal; removes?: boolean; explainError?(error: unknown, step: { id: string; title: string }): unknown; notFound?(error: unknown): boolean },
): Promise<PlannedStep[]> {
  const { cancel } = options;
  const planned: PlannedStep[] = [];
  let earlierChange = false;
  for (const step of steps) {
    if (cancel.aborted) throw new CancelledError();
    const c = { ...context, journaled: undefined };
    const line = (): string[] => [describe(step, c)];
    if (step.readOnly) {
      // An approval not needed here (an unprotected environment, nothing to change) or a watch a
      // --detach leaves is said so; one that the run would do is listed as running.
      // An approval nobody could give here (bad input for the run) is still planned as the question it is.
      const found = await step.probe(c).catch((error: unknown) => {
        if (error instanceof UsageError || error instanceof MissingOutputError) return undefined;
        throw error instanceof SlipwayError || !options.explainError ? error : options.explainError(error, step);
      });
      if (found !== undefined) {
        outputs[step.id] = found;
        planned.push({ id: step.id, title: step.title, action: 'unchanged', detail: found.required === false ? ['not needed here'] : [] });
      } else {
        // Its outputs come only when it runs: later probes that read them are known then.
        earlierChange = true;
        planned.push({ id: step.id, title: step.title, action: 'run', detail: line() });
      }
      continue;
    }
    let found: Outputs | undefined;
    try {
      found = await step.probe(c);
    } catch (error) {
      if (cancel.aborted || error instanceof CancelledError) throw error;
      // Only a probe that reads what an earlier step would make first is planned on: what the step can
      // tell without it (planChanges), else known once that is done. Any other error — a check that
      // fails, bad input, AccessDenied — would stop the run there, so it stops the plan.
      const dependsOnEarlier = error instanceof MissingOutputError || options.notFound?.(error) === true;
      if (!dependsOnEarlier || !earlierChange) throw error instanceof SlipwayError || !options.explainError ? error : options.explainError(error, step);
      const changes = step.planChanges ? await step.planChanges(c).catch(() => undefined) : undefined;
      if (changes?.length) {
        planned.push({ id: step.id, title: step.title, action: changes.some((l) => l.startsWith('create')) ? 'create' : 'update', detail: changes });
        continue;
      }
      const what = describe(step, c);
      planned.push({ id: step.id, title: step.title, action: options.removes ? 'delete' : 'unknown', detail: what === step.title ? [KNOWN_LATER] : [what, KNOWN_LATER] });
      continue;
    }
    if (found !== undefined) {
      outputs[step.id] = found;
      planned.push({ id: step.id, title: step.title, action: step.check ? 'check' : 'unchanged', detail: found.required === false ? ['not needed here'] : [] });
      continue;
    }
    earlierChange = true;
    const changes = step.planChanges ? await step.planChanges(c).catch(() => undefined) : undefined;
    if (options.removes) planned.push({ id: step.id, title: step.title, action: 'delete', detail: line() });
    else if (changes === undefined) planned.push({ id: step.id, title: step.title, action: 'create', detail: line() });
    else planned.push({ id: step.id, title: step.title, action: changes.some((l) => l.startsWith('create')) ? 'create' : 'update', detail: changes.length ? changes : line() });
  }
  return planned;
}

/** A step's plan line; one that names an earlier step's output (not made yet) falls back to its title. */
function describe(step: Step<any>, c: StepContext): string {
  try {
    return step.plan?.(c) ?? step.title;
  } catch {
    return step.title;
  }
}

const SYMBOL: Record<PlanAction, string> = { unchanged: '=', check: '✓', create: '+', update: '~', delete: '-', run: '>', unknown: '+' };

/** The plan as lines, Terraform-like: one per step with its symbol, what differs under it, then the count. */
export function planLines(plan: PlanResult): string[] {
  const lines = [`Plan: ${plan.title} · ${describeTarget(plan.target)} — nothing is changed and no journal is written.`];
  if (plan.resumes) lines.push(`  The run would resume an unfinished one (${plan.resumes}), with its answers.`);
  for (const step of plan.steps) {
    const [first, ...more] = step.detail;
    const said = first && first !== step.title ? `: ${first}` : '';
    lines.push(`  ${SYMBOL[step.action]} ${step.title}${step.action === 'unchanged' && !said ? ' (unchanged)' : said}`);
    for (const line of more) lines.push(`      ${line}`);
  }
  lines.push(countLine(plan));
  return lines;
}

/** "3 to create, 1 to update, 12 unchanged." (and what would only run: an approval, a watch). */
export function countLine({ counts }: PlanResult): string {
  const parts = [
    counts.create ? `${counts.create} to create` : undefined,
    counts.update ? `${counts.update} to update` : undefined,
    counts.delete ? `${counts.delete} to delete` : undefined,
    `${counts.unchanged} unchanged`,
  ].filter(Boolean);
  const run = counts.run ? `; ${counts.run} step${counts.run === 1 ? '' : 's'} would run without changing anything` : '';
  return `${parts.join(', ')}${run}.`;
}
