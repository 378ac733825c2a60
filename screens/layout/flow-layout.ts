import wrapAnsi from 'wrap-ansi';
import type { ErrorReport } from '../../src/engine/errors.js';
import type { PromptRequest } from '../state/prompt-broker.js';
import type { StepView } from '../state/run-view.js';

/** The most rows the live pane's text takes; more would push the step list off a normal terminal. */
export const MAX_PANE_ROWS = 12;

/** Rows a text takes when ink wraps it at `width` columns. */
export function rowsOf(text: string, width: number): number {
  return text === '' ? 1 : wrapAnsi(text, Math.max(10, width), { hard: true, trim: false }).split('\n').length;
}

export interface FlowLayoutInput {
  rows: number;
  columns: number;
  steps: number;
  /** The one-line notices under the header (resuming, set aside) and the wrapped ones (settled). */
  notices: string[];
  /** Lines the live pane would show (0: no pane). */
  paneLines: number;
  prompt?: PromptRequest;
  /** The finished run's summary lines and headline. */
  outcome?: string[];
  /** A yellow line under everything (cancelling, cancelled before starting). */
  statusLine: boolean;
  failures: { title: string; error: ErrorReport }[];
}

export interface FlowLayout {
  /** Rows for the step list; fewer than the steps: finished ones fold into one line. */
  stepRows: number;
  /** Text rows inside the live pane's border. */
  paneHeight: number;
  maxFailures: number;
}

/**
 * Shares a terminal's rows between the parts of the flow screen, so the frame is never taller than
 * the terminal: a taller frame scrolls the header away, and ink then clears and redraws the whole
 * screen on every render (a flicker). Everything but the step list and the live pane takes what it
 * needs; the step list comes next (folding its finished steps when it must), the pane gets the rest.
 */
export function flowLayout(input: FlowLayoutInput): FlowLayout {
  const { rows, columns } = input;
  const header = 3;
  const notices = input.notices.reduce((sum, text) => sum + rowsOf(text, columns - 2), 0);
  const prompt = input.prompt ? 1 + promptRows(input.prompt, columns - 2) : 0;
  const outcome = input.outcome ? 1 + input.outcome.reduce((sum, line) => sum + rowsOf(line, columns - 2), 0) : 0;
  const fixed = header + notices + prompt + outcome + (input.statusLine ? 1 : 0) + 1; // + the footer
  const room = Math.max(2, rows - fixed);
  const hasPane = input.paneLines > 0;
  const paneWanted = hasPane ? Math.min(MAX_PANE_ROWS, Math.max(3, input.paneLines)) : 0;
  // The pane keeps at least three lines and its border, and the first failure is shown whole (with the
  // border and the "…and N more" line); the steps come next, folding if they must; then more failures.
  const paneMin = hasPane ? Math.min(paneWanted, 3) + 2 : 0;
  const [first] = input.failures;
  const firstFailure = first ? linesOf(first, columns - 4) + 2 + (input.failures.length > 1 ? 1 : 0) : 0;
  // At least three rows of steps (the one that failed or runs, and the fold lines around it).
  const stepRows = Math.max(Math.min(input.steps, 3), Math.min(input.steps, room - paneMin - firstFailure));
  const maxFailures = failuresThatFit(input.failures, room - stepRows - paneMin - 2 - (input.failures.length > 1 ? 1 : 0), columns - 4);
  const failureRows = first ? input.failures.slice(0, maxFailures).reduce((sum, f) => sum + linesOf(f, columns - 4), 2) + (input.failures.length > maxFailures ? 1 : 0) : 0;
  const paneHeight = hasPane ? Math.max(1, Math.min(paneWanted, room - stepRows - failureRows - 2)) : 0;
  return { stepRows, paneHeight, maxFailures };
}

/** Rows of the question area (without its top margin). */
export function promptRows(prompt: PromptRequest, width: number): number {
  switch (prompt.kind) {
    case 'text': {
      const shownDefault = prompt.ask.default !== undefined && !prompt.masked ? ` (${prompt.ask.default || 'optional'})` : '';
      // The question and what is typed wrap as one paragraph; a problem line and the countdown follow.
      // The problem line (a validation message) may wrap: two rows are kept for it.
      return rowsOf(`${prompt.ask.message}${shownDefault}: ${'x'.repeat(12)}`, width) + 2 + (prompt.ask.totp ? 1 : 0);
    }
    case 'select': {
      const choices = prompt.ask.choices;
      return rowsOf(prompt.ask.message, width) + Math.min(choices.length, 8) + (choices.length > 8 ? 1 : 0) + (choices.some((c) => c.hint) ? 1 : 0);
    }
    case 'confirm':
      return rowsOf(`${prompt.ask.message} (y/n) `, width);
    default:
      // The QR code and a secret get the whole screen (flow-screen.tsx): nothing else is drawn with them.
      return 0;
  }
}

/** How many rows one failure takes in the error panel at this width. */
export function linesOf({ title, error }: { title: string; error: ErrorReport }, width: number): number {
  return rowsOf(`✖ ${title}: ${error.message}`, width) + (error.why ? rowsOf(`  Why: ${error.why}`, width) : 0) + (error.fix ? rowsOf(`  Fix: ${error.fix}`, width) : 0);
}

/** As many failures as the rows allow (at least one). */
function failuresThatFit(failures: { title: string; error: ErrorReport }[], rows: number, width: number): number {
  let used = 0;
  let count = 0;
  for (const failure of failures) {
    used += linesOf(failure, width);
    if (used > rows) break;
    count++;
  }
  return Math.max(1, count);
}

/**
 * The steps a list of `maxRows` rows shows: a window around the step being worked on (the first not
 * done), with a line counting the finished steps folded above it and one counting those below.
 */
export function visibleSteps(steps: StepView[], maxRows: number): { before: number; shown: StepView[]; after: number } {
  if (steps.length <= maxRows) return { before: 0, shown: steps, after: 0 };
  const rows = Math.max(1, maxRows);
  const firstOpen = steps.findIndex((s) => s.status !== 'done');
  const focus = firstOpen === -1 ? steps.length - 1 : firstOpen;
  // Too few rows for fold lines: the one step that matters, alone.
  if (rows < 3) return { before: 0, shown: [steps[focus]!], after: 0 };
  // Up to two steps after the one being worked on stay visible; the rest of the window is what led to it.
  const end = Math.min(steps.length, focus + 1 + Math.min(2, Math.max(0, rows - 3)));
  const after = steps.length - end;
  const room = rows - (after > 0 ? 1 : 0);
  // Everything from the top fits once the fold line is not needed.
  const start = end <= room ? 0 : end - Math.max(1, room - 1);
  return { before: start, shown: steps.slice(start, end), after };
}
