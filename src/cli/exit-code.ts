import { ExitCode } from '../engine/errors.js';
import type { RunResult } from '../engine/events.js';

/**
 * The exit code of a finished run. A run whose work is another program's (`slipway run` and its
 * container) hands that program's exit code on as an `exitCode` output: a done run exits with it.
 */
export function runExitCode(result: Pick<RunResult, 'status' | 'outputs'>): number {
  if (result.status === 'cancelled') return ExitCode.cancelled;
  if (result.status !== 'done') return ExitCode.failed;
  const handedOn = Object.values(result.outputs)
    .map((outputs) => outputs.exitCode)
    .filter((code): code is number => Number.isInteger(code) && (code as number) >= 0 && (code as number) <= 255);
  return handedOn.at(-1) ?? ExitCode.ok;
}
