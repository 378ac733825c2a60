import type { RunEvent, RunResult, DoneHow } from '../../src/engine/events.js';
import type { ErrorReport } from '../../src/engine/errors.js';
import type { Target } from '../../src/engine/types.js';
import type { StepStatus } from '../../src/present/format.js';

export interface StepView {
  id: string;
  title: string;
  status: StepStatus;
  startedAt?: number;
  endedAt?: number;
  how?: DoneHow;
  detail?: string;
  error?: ErrorReport;
}

export interface ProgressView {
  label: string;
  current: number;
  total?: number;
  unit?: 'bytes' | 'items';
}

export interface LogLine {
  text: string;
  level: 'info' | 'warn' | 'error';
}

export interface RunView {
  title: string;
  target: Target;
  resumed: boolean;
  /** An unfinished run with other answers was set aside for this one: what differed. */
  setAside?: string[];
  /** Answers taken from earlier choices without asking (region of the profile, app of the project). */
  settled?: string[];
  journalPath?: string;
  steps: StepView[];
  /** Log lines of the running step; older ones scroll out (the live pane stays short). */
  log: LogLine[];
  progress: ProgressView[];
  /** The account as soon as any step learns it, for the header. */
  account?: string;
  result?: RunResult;
}

export const MAX_LOG_LINES = 200;

export function initialRunView(title: string): RunView {
  return { title, target: {}, resumed: false, steps: [], log: [], progress: [] };
}

/** Pure reducer from engine events to what the flow screen shows; unit-tested without ink. */
export function reduceRunView(view: RunView, event: RunEvent): RunView {
  switch (event.type) {
    case 'run-started':
      return {
        ...view,
        title: event.title,
        target: event.target,
        resumed: event.resumed,
        setAside: event.setAside,
        settled: event.settled,
        journalPath: event.journalPath,
        account: event.target.account ?? view.account,
        steps: event.steps.map((s) => ({ id: s.id, title: s.title, status: 'pending' })),
      };
    case 'step-started':
      // Info lines belong to the step that wrote them; warnings stay for the whole run.
      return { ...view, log: view.log.filter((l) => l.level !== 'info'), progress: [], steps: patch(view.steps, event.stepId, { status: 'running', startedAt: event.at }) };
    case 'step-log':
      return { ...view, log: [...view.log, { text: event.line, level: event.level }].slice(-MAX_LOG_LINES) };
    case 'step-progress': {
      const others = view.progress.filter((p) => p.label !== event.label);
      const index = view.progress.findIndex((p) => p.label === event.label);
      const next = { label: event.label, current: event.current, total: event.total, unit: event.unit };
      const progress = index === -1 ? [...others, next] : view.progress.map((p, i) => (i === index ? next : p));
      return { ...view, progress };
    }
    case 'step-done': {
      const account = typeof event.outputs.account === 'string' ? event.outputs.account : view.account;
      // The step's lines stay until the next step starts (which keeps only the warnings): the last
      // step's output is still there when the flow ends, for a flow whose output is the point (run).
      return { ...view, account, progress: [], steps: patch(view.steps, event.stepId, { status: 'done', endedAt: event.at, how: event.how, detail: summarise(event.outputs) }) };
    }
    case 'step-failed':
      return { ...view, progress: [], steps: patch(view.steps, event.stepId, { status: 'failed', endedAt: event.at, error: event.error }) };
    case 'step-cancelled':
      return { ...view, progress: [], steps: patch(view.steps, event.stepId, { status: 'cancelled', endedAt: event.at }) };
    case 'run-finished':
      return { ...view, result: event.result };
  }
}

function patch(steps: StepView[], id: string, change: Partial<StepView>): StepView[] {
  return steps.map((s) => (s.id === id ? { ...s, ...change } : s));
}

/**
 * What a step line says after its title: its first two plain outputs. Values that mean nothing
 * without their name are left out — times (createdAt as epoch milliseconds), and stage numbers or
 * counts (releaseTarget "0", stages 2) — so a line reads "Dockerfile", not "Dockerfile · 0".
 */
function summarise(outputs: Record<string, unknown>): string {
  return Object.entries(outputs)
    .filter(([key, v]) => v !== undefined && v !== '' && typeof v !== 'object' && typeof v !== 'boolean' && !meaninglessAlone(key, v))
    .slice(0, 2)
    .map(([, v]) => String(v))
    .join(' · ');
}

function meaninglessAlone(key: string, value: unknown): boolean {
  if (/(At|Time|Ms)$/.test(key)) return true;
  // A bare number or a short digit string is an index or a count; a long one (an account id) says itself.
  return typeof value === 'number' || /^\d{1,3}$/.test(String(value));
}
