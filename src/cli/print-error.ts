import { toErrorReport } from '../engine/errors.js';

/** The one place an error reaches the person: what failed, why, and what to do next. */
export function printError(error: unknown, json: boolean): void {
  const report = toErrorReport(error);
  if (json) {
    process.stdout.write(`${JSON.stringify({ status: 'error', error: report })}\n`);
    return;
  }
  const lines = [`slipway: ${report.message}`];
  if (report.why) lines.push(`  why: ${report.why}`);
  if (report.fix) lines.push(`  fix: ${report.fix}`);
  if (process.env.SLIPWAY_DEBUG && error instanceof Error && error.stack) lines.push(error.stack);
  process.stderr.write(`${lines.join('\n')}\n`);
}
