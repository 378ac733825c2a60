import type { RunEvent } from '../engine/events.js';
import { describeTarget } from '../engine/runner.js';
import { bar, bytes, describeHow, describeOutputs, elapsed, mark } from '../present/format.js';
import { outcomeHeadline, setAsideNotice, settledNotice } from '../present/outcome.js';

/** Progress lines are rate-limited: a log file should not get a line per chunk. */
const PROGRESS_EVERY_MS = 2_000;

/**
 * Turns run events into one line each, for --plain, TERM=dumb, CI logs and screen readers. Stateful
 * only to know step titles and start times.
 */
export function createLineRenderer(write: (line: string) => void, options: { ascii?: boolean } = {}) {
  const ascii = options.ascii ?? false;
  const titles = new Map<string, string>();
  const startedAt = new Map<string, number>();
  const lastProgress = new Map<string, { at: number; amount: string }>();

  return (event: RunEvent): void => {
    switch (event.type) {
      case 'run-started':
        for (const s of event.steps) titles.set(s.id, s.title);
        write(`${event.title} · ${describeTarget(event.target)}${event.resumed ? ' · resuming an unfinished run' : ''}`);
        if (event.setAside) write(`  ${setAsideNotice(event.setAside)}`);
        if (event.settled) write(`  ${settledNotice(event.settled)}`);
        break;
      case 'step-started':
        startedAt.set(event.stepId, event.at);
        break;
      case 'step-log':
        write(`    ${event.level === 'info' ? '' : `${event.level}: `}${event.line}`);
        break;
      case 'step-progress': {
        const key = `${event.stepId}/${event.label}`;
        const done = event.total !== undefined && event.current >= event.total;
        const last = lastProgress.get(key);
        const amount = event.unit === 'bytes' ? `${bytes(event.current)}${event.total ? ` / ${bytes(event.total)}` : ''}` : `${event.current}${event.total ? `/${event.total}` : ''}`;
        // A line a person can read: at most every few seconds, and never the same amount twice in a row
        // (a watch that polls reports "0/1" on every poll).
        if (last?.amount === amount || (!done && last !== undefined && event.at - last.at < PROGRESS_EVERY_MS)) break;
        lastProgress.set(key, { at: event.at, amount });
        write(`    ${event.label} ${event.total ? `${bar(event.current, event.total, 20, true)} ` : ''}${amount}`);
        break;
      }
      case 'step-done': {
        const how = describeHow(event.how);
        const details = [how, describeOutputs(event.outputs)].filter(Boolean).join(' · ');
        write(`  ${mark('done', ascii)} ${titles.get(event.stepId)}${details ? ` — ${details}` : ''} (${took(event.stepId, event.at)})`);
        break;
      }
      case 'step-failed':
        write(`  ${mark('failed', ascii)} ${titles.get(event.stepId)} — ${event.error.message} (${took(event.stepId, event.at)})`);
        if (event.error.why) write(`      why: ${event.error.why}`);
        if (event.error.fix) write(`      fix: ${event.error.fix}`);
        break;
      case 'step-cancelled':
        write(`  ${mark('cancelled', ascii)} ${titles.get(event.stepId)} — cancelled`);
        break;
      case 'run-finished': {
        const { result } = event;
        for (const line of result.summary) write(line);
        write(outcomeHeadline(result));
        break;
      }
    }
  };

  function took(stepId: string, at: number): string {
    return elapsed(at - (startedAt.get(stepId) ?? at));
  }
}
