import { journalableAnswers, resolveAnswers, sameAnswer, validateGivenAnswers } from './answers.js';
import { CancelledError, SlipwayError, toErrorReport, UsageError } from './errors.js';
import { describeInputChanges, fingerprintOf, recordInputs } from './fingerprint.js';
import type { DoneHow, EmitEvent, RunResult } from './events.js';
import { Journal, listUnfinishedRuns, readJournal, type JournalData, type RunSummary } from './journal.js';
import type { Prompter } from './prompter.js';
import type { Answers, Flow, Outputs, Step, StepContext, Target } from './types.js';

export interface RunOptions {
  flow: Flow<any>;
  /** Answers from flags and the --answers file, keyed by question id. */
  given: Answers;
  prompter: Prompter;
  emit: EmitEvent;
  /** Cancels the running step (first Ctrl-C). The journal is kept. */
  cancel: AbortSignal;
  acceptDefaults?: boolean;
  /** Resume exactly this journal (from `slipway resume` or the home screen). */
  journalPath?: string;
  /** Recorded with a new run, for a later resume to start the same way (see JournalData.meta). */
  meta?: Record<string, string>;
  env?: NodeJS.ProcessEnv;
}

/**
 * Runs a flow from wherever its journal says it got to. Every step is probed first: a defined probe
 * means done (skipped, outputs adopted); otherwise intent is journaled, apply runs, and its outputs
 * are journaled. So a crash anywhere is repaired by running again.
 */
export async function runFlow(options: RunOptions): Promise<RunResult> {
  const { flow, prompter, emit, cancel } = options;
  const env = options.env ?? process.env;
  validateGivenAnswers(flow.questions, options.given);

  const checks = flow.kind === 'checks';
  const previous = checks ? undefined : await pickPreviousRun(options, env);
  const settled: string[] = [];
  const answers = await resolveAnswers(flow.questions, {
    given: options.given,
    journaled: previous?.answers ?? {},
    prompter,
    acceptDefaults: options.acceptDefaults ?? false,
    onSettled: (question, value) => settled.push(`${question.flag.replace(/^--/, '')} ${String(value)} (${question.settled})`),
  });
  // The target decides the journal: a resumed run whose answers now point elsewhere starts its own.
  const target = options.journalPath && previous ? previous.target : await flow.target(answers, prompter);
  const steps = typeof flow.steps === 'function' ? flow.steps(answers) : flow.steps;
  const stepOrder = steps.map((s) => ({ id: s.id, title: s.title }));
  const { journal, resumed, replaced } = Journal.open(flow.name, target, stepOrder, { resumable: !checks, env, meta: options.meta, resume: previous?.runId ?? false });
  const started = Date.now();
  // Set once a step has changed something in this run: from then on, bad input is a failed step.
  let changedSomething = false;
  try {
    journal.recordAnswers(journalableAnswers(flow.questions, answers));
    const setAside = replaced ? answerChanges(replaced.answers, journalableAnswers(flow.questions, answers)) : undefined;
    emit({ type: 'run-started', runId: journal.snapshot.runId, flow: flow.name, title: flow.title, target, resumed, journalPath: journal.path, steps: stepOrder, ...(setAside ? { setAside } : {}), ...(settled.length ? { settled } : {}), at: Date.now() });

    const outputs: Record<string, Outputs> = {};
    const failures: RunResult['failures'] = [];
    const history = Object.fromEntries(Object.entries(structuredClone(journal.snapshot.steps)).map(([id, r]) => [id, { status: r.status, outputs: r.outputs, error: r.error }]));
    const base: StepContext = { answers, outputs, prompter, signal: cancel, history, report: { log() {}, progress() {} } };
    let status: RunResult['status'] = 'done';
    const context = await flow.context(base);

    for (const step of steps) {
      if (cancel.aborted) {
        status = 'cancelled';
        break;
      }
      emit({ type: 'step-started', stepId: step.id, at: Date.now() });
      const report = {
        log: (line: string, level: 'info' | 'warn' | 'error' = 'info') => emit({ type: 'step-log', stepId: step.id, line, level, at: Date.now() }),
        progress: (label: string, current: number, total?: number, unit?: 'bytes' | 'items') =>
          emit({ type: 'step-progress', stepId: step.id, label, current, total, unit, at: Date.now() }),
      };
      try {
        const made = await inputsOf(step, { ...context, report });
        const record = journal.snapshot.steps[step.id];
        // A result made from other inputs is no result for these: the step does not see it, and runs afresh.
        const stale = step.inputs !== undefined && record?.status === 'done' && record.fingerprint !== made.fingerprint;
        if (stale) report.log(`Changed since an earlier run did this step (${describeInputChanges(record.inputs, made.inputs).join('; ')}): it runs again.`, 'warn');
        const journaled = record && !stale ? { status: record.status, intentAt: record.intentAt, outputs: record.outputs } : record?.status === 'intent' ? { status: record.status, intentAt: record.intentAt } : undefined;
        const stepContext = { ...context, journaled, report };
        let result = await step.probe(stepContext);
        let how: DoneHow = result?.required === false ? 'not-needed' : checks || step.check ? 'checked' : journaled?.status === 'done' ? 'confirmed' : journaled?.status === 'intent' ? 'adopted' : 'found';
        if (result === undefined) {
          journal.recordIntent(step.id, step.title);
          changedSomething = true;
          result = await step.apply(stepContext);
          how = 'applied';
        }
        assertNoSecretKeys(step.id, result);
        journal.recordDone(step.id, step.title, result, made);
        outputs[step.id] = result;
        emit({ type: 'step-done', stepId: step.id, how, outputs: result, at: Date.now() });
      } catch (error) {
        if (error instanceof UsageError && !changedSomething) {
          // Bad input found by a step before anything changed (no Dockerfile, a dirty tree under --yes, an
          // approval nobody can give): exit 2 with nothing written, as for a bad flag — no journal either.
          journal.abandon();
          throw error;
        }
        if (cancel.aborted || error instanceof CancelledError) {
          journal.recordFailure(step.id, step.title, 'cancelled');
          emit({ type: 'step-cancelled', stepId: step.id, at: Date.now() });
          status = 'cancelled';
          break;
        }
        const report = toErrorReport(error instanceof SlipwayError || !flow.explainError ? error : flow.explainError(error, step));
        journal.recordFailure(step.id, step.title, report.message);
        emit({ type: 'step-failed', stepId: step.id, error: report, at: Date.now() });
        failures.push({ stepId: step.id, title: step.title, error: report });
        status = 'failed';
        if (!checks) break;
      }
    }

    journal.finish(status);
    const result: RunResult = {
      flow: flow.name,
      runId: journal.snapshot.runId,
      status,
      kind: checks ? 'checks' : 'changes',
      target,
      journalPath: journal.path,
      resumed,
      outputs,
      failures,
      summary: status === 'done' || checks ? (flow.summary?.(outputs) ?? []) : [],
      durationMs: Date.now() - started,
    };
    emit({ type: 'run-finished', result, at: Date.now() });
    return result;
  } finally {
    journal.close();
  }
}

/**
 * Which earlier run this one continues: the journal named by `slipway resume`, else the unfinished run
 * of this flow whose answers agree with what was given now. When several agree, the person picks.
 */
export async function pickPreviousRun(options: Pick<RunOptions, 'flow' | 'given' | 'prompter' | 'journalPath'>, env: NodeJS.ProcessEnv): Promise<JournalData | undefined> {
  if (options.journalPath) return readJournal(options.journalPath);
  const questions = new Map(options.flow.questions.map((q) => [q.id, q]));
  const candidates = listUnfinishedRuns(env)
    .filter((run): run is RunSummary => 'flow' in run && run.flow === options.flow.name)
    .map((run) => ({ run, data: readJournal(run.path) }))
    .filter(({ data }) => Object.entries(options.given).every(([id, value]) => data.answers[id] === undefined || sameAnswer(questions.get(id), value, data.answers[id] as string | number | boolean)));
  const matching = [];
  for (const candidate of candidates) {
    const target = await options.flow.target({ ...candidate.data.answers, ...options.given }, options.prompter);
    if (sameTarget(target, candidate.data.target)) matching.push(candidate);
  }
  candidates.splice(0, candidates.length, ...matching);
  if (candidates.length === 0) return undefined;
  if (candidates.length === 1 || !options.prompter.interactive) return candidates[0]?.data;
  const choice = await options.prompter.select({
    id: 'resume-run',
    message: `There are ${candidates.length} unfinished ${options.flow.name} runs. Which one?`,
    choices: [
      ...candidates.map(({ run }, index) => ({ value: String(index), label: `${describeTarget(run.target)} — at "${run.reached ?? 'the end'}"`, hint: run.updatedAt })),
      { value: 'new', label: 'Start a new run' },
    ],
  });
  return choice === 'new' ? undefined : candidates[Number(choice)]?.data;
}

export function describeTarget(target: { account?: string; region?: string; app?: string; env?: string }): string {
  return [target.app && `${target.app}${target.env ? `/${target.env}` : ''}`, target.account, target.region].filter(Boolean).join(' · ') || 'local';
}

/**
 * A step's inputs as the journal keeps them. A step that declares none trusts nothing journaled (its probe
 * looks at the present), and a resumed run has the answers it was started with: nothing to compare.
 */
async function inputsOf(step: Step<any>, c: StepContext): Promise<{ inputs: Record<string, string>; fingerprint: string }> {
  const declared = step.inputs ? await step.inputs(c) : {};
  assertNoSecretKeys(`${step.id} (inputs)`, declared);
  const inputs = recordInputs(declared);
  return { inputs, fingerprint: fingerprintOf(inputs) };
}

/** "image: …@sha256:aa → …@sha256:bb": what differs between an unfinished run's answers and these. */
function answerChanges(before: Answers, now: Answers): string[] {
  const ids = [...new Set([...Object.keys(before), ...Object.keys(now)])];
  const shown = (v: unknown) => (v === undefined || v === '' ? '(none)' : String(v));
  return ids.filter((id) => String(before[id] ?? '') !== String(now[id] ?? '')).map((id) => `${id}: ${shown(before[id])} → ${shown(now[id])}`);
}

function sameTarget(a: Target, b: Target): boolean {
  return a.account === b.account && a.region === b.region && a.app === b.app && a.env === b.env;
}

const SECRET_KEY = /secret|password|passwd|token|seed|private.?key/i;

/** A safety net: outputs are journaled in clear, so a step that returns a secret is a bug. */
function assertNoSecretKeys(stepId: string, outputs: Outputs): void {
  const offending = Object.keys(outputs).find((key) => SECRET_KEY.test(key));
  if (offending) throw new Error(`Step ${stepId} returned "${offending}", which looks like a secret; secrets never go in the journal.`);
}
