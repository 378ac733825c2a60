import { existsSync, readFileSync, readdirSync, rmSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import { SlipwayError } from './errors.js';
import { JournalLock } from './lock.js';
import { journalsDir } from './paths.js';
import type { InputRecord } from './fingerprint.js';
import type { Answers, Outputs, Target } from './types.js';

export type RunStatus = 'running' | 'done' | 'failed' | 'cancelled';

export interface StepRecord {
  /** `intent`: a mutating call may have been made; the outcome is unknown until the probe says. */
  status: 'intent' | 'done' | 'failed';
  title: string;
  intentAt?: string;
  doneAt?: string;
  outputs?: Outputs;
  error?: string;
  /** The inputs the outputs were made from (see Step.inputs), and their digest. */
  inputs?: InputRecord;
  fingerprint?: string;
}

export interface JournalData {
  version: 1;
  runId: string;
  flow: string;
  target: Target;
  status: RunStatus;
  /** False for check flows: their runs are recorded but never offered for resuming. */
  resumable: boolean;
  startedAt: string;
  updatedAt: string;
  /** What the user answered. Secrets are never put here (the runner filters them out). */
  answers: Answers;
  /**
   * How the run was started that the target does not say (e.g. `sandbox`, `profile`): a resume must
   * use the same, so a rehearsal in the sandbox is never resumed against a real account.
   */
  meta?: Record<string, string>;
  /** Steps in flow order, so `resume` can say which step a run reached without loading the flow. */
  stepOrder: { id: string; title: string }[];
  steps: Record<string, StepRecord>;
}

export function journalFileName(flow: string, target: Target): string {
  const part = (value: string | undefined) => (value ? value.replace(/[^A-Za-z0-9._-]/g, '_') : '-');
  return `${part(flow)}__${part(target.account)}__${part(target.region)}__${part(target.app)}__${part(target.env)}.json`;
}

/**
 * One JSON file per run, rewritten atomically on every change and locked while a process works on it.
 */
export class Journal {
  private constructor(
    readonly path: string,
    private data: JournalData,
    private readonly lock: JournalLock,
    /** The file as it was before this run opened it: what `abandon` puts back. */
    private readonly before: JournalData | undefined,
  ) {}

  /**
   * Opens the run for `flow` + `target`. The unfinished run there is resumed only when it is the one the
   * caller chose to continue (`resume`: its runId) — one started with other answers is replaced by a new
   * run, never carried on with inputs it was not started with. Without `resume`, an unfinished run is
   * resumed (the journal named by `slipway resume`).
   */
  static open(
    flow: string,
    target: Target,
    stepOrder: { id: string; title: string }[],
    options: { resumable?: boolean; env?: NodeJS.ProcessEnv; meta?: Record<string, string>; resume?: string | false } = {},
  ): { journal: Journal; resumed: boolean; replaced?: JournalData } {
    const { resumable = true, env = process.env, meta } = options;
    const path = join(journalsDir(env), journalFileName(flow, target));
    const lock = JournalLock.acquire(path);
    try {
      const existing = existsSync(path) ? readJournal(path) : undefined;
      const unfinished = resumable && existing !== undefined && existing.status !== 'done' ? existing : undefined;
      const resumed = unfinished !== undefined && (options.resume === undefined || options.resume === unfinished.runId);
      const now = new Date().toISOString();
      const data: JournalData = resumed
        ? { ...unfinished, status: 'running', stepOrder, updatedAt: now }
        : { version: 1, runId: newRunId(), flow, target, status: 'running', resumable, startedAt: now, updatedAt: now, answers: {}, stepOrder, steps: {}, ...(meta ? { meta } : {}) };
      const journal = new Journal(path, data, lock, existing);
      journal.save();
      return { journal, resumed, ...(unfinished && !resumed ? { replaced: unfinished } : {}) };
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  get snapshot(): Readonly<JournalData> {
    return this.data;
  }

  recordAnswers(answers: Answers): void {
    this.data.answers = { ...this.data.answers, ...answers };
    this.save();
  }

  recordIntent(stepId: string, title: string): void {
    this.data.steps[stepId] = { ...this.data.steps[stepId], status: 'intent', title, intentAt: new Date().toISOString(), error: undefined };
    this.save();
  }

  recordDone(stepId: string, title: string, outputs: Outputs, made?: { inputs: InputRecord; fingerprint: string }): void {
    this.data.steps[stepId] = { ...this.data.steps[stepId], status: 'done', title, doneAt: new Date().toISOString(), outputs, error: undefined, ...made };
    this.save();
  }

  recordFailure(stepId: string, title: string, message: string): void {
    // A failed step keeps its intent: the mutating call may have half-happened, so resume probes first.
    const previous = this.data.steps[stepId];
    this.data.steps[stepId] = { ...previous, status: previous?.status === 'intent' ? 'intent' : 'failed', title, error: message };
    this.save();
  }

  finish(status: Exclude<RunStatus, 'running'>): void {
    this.data.status = status;
    this.save();
  }

  /**
   * The run ended on bad input before it changed anything: leave the journals as they were — no new
   * journal, an earlier one untouched — as if this run had never started.
   */
  abandon(): void {
    if (this.before) writeFileAtomic(this.path, `${JSON.stringify(this.before, null, 2)}\n`);
    else rmSync(this.path, { force: true });
  }

  close(): void {
    this.lock.release();
  }

  private save(): void {
    this.data.updatedAt = new Date().toISOString();
    writeFileAtomic(this.path, `${JSON.stringify(this.data, null, 2)}\n`);
  }
}

export function readJournal(path: string): JournalData {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new SlipwayError(`The journal ${path} cannot be read.`, {
      why: error instanceof SyntaxError ? 'It is not valid JSON (it may have been edited by hand).' : String(error),
      fix: `Move it aside (mv "${path}" "${path}.broken") and run again: each step probes AWS first, so nothing is duplicated.`,
      cause: error,
    });
  }
  if (!isJournalData(parsed)) {
    throw new SlipwayError(`The journal ${path} is not a slipway journal this version understands.`, {
      fix: `Move it aside (mv "${path}" "${path}.broken") and run again: each step probes AWS first, so nothing is duplicated.`,
    });
  }
  return parsed;
}

function isJournalData(value: unknown): value is JournalData {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<JournalData>;
  return (
    v.version === 1 &&
    typeof v.runId === 'string' &&
    typeof v.flow === 'string' &&
    typeof v.target === 'object' &&
    typeof v.status === 'string' &&
    typeof v.resumable === 'boolean' &&
    typeof v.answers === 'object' &&
    Array.isArray(v.stepOrder) &&
    typeof v.steps === 'object'
  );
}

export interface RunSummary {
  path: string;
  flow: string;
  target: Target;
  status: RunStatus;
  /** Title of the first step that is not done, or undefined when all are. */
  reached?: string;
  stepsDone: number;
  stepsTotal: number;
  updatedAt: string;
  meta?: Record<string, string>;
}

/** Unfinished runs, newest first. Unreadable journals are listed too, so the user can discard them. */
export function listUnfinishedRuns(env: NodeJS.ProcessEnv = process.env): (RunSummary | { path: string; broken: string })[] {
  const dir = journalsDir(env);
  if (!existsSync(dir)) return [];
  const runs: (RunSummary | { path: string; broken: string })[] = [];
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.json') || name.startsWith('.')) continue;
    const path = join(dir, name);
    try {
      const data = readJournal(path);
      if (data.status === 'done' || !data.resumable) continue;
      runs.push(summarise(path, data));
    } catch (error) {
      runs.push({ path, broken: error instanceof Error ? error.message : String(error) });
    }
  }
  return runs.sort((a, b) => ('updatedAt' in b ? b.updatedAt : '').localeCompare('updatedAt' in a ? a.updatedAt : ''));
}

function summarise(path: string, data: JournalData): RunSummary {
  const pending = data.stepOrder.find((step) => data.steps[step.id]?.status !== 'done');
  return {
    path,
    flow: data.flow,
    target: data.target,
    status: data.status,
    reached: pending?.title,
    stepsDone: data.stepOrder.filter((step) => data.steps[step.id]?.status === 'done').length,
    stepsTotal: data.stepOrder.length,
    updatedAt: data.updatedAt,
    ...(data.meta ? { meta: data.meta } : {}),
  };
}

/** Deletes a run's journal. Refused while another process holds its lock. */
export function discardRun(path: string): void {
  const lock = JournalLock.acquire(path);
  try {
    unlinkSync(path);
  } finally {
    lock.release();
  }
}

function newRunId(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
