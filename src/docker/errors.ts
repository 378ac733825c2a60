import { SlipwayError } from '../engine/errors.js';
import type { DaemonProblem } from './problem.js';

/**
 * A docker command failed. A SlipwayError, so the engine shows `fix` (the next action) on its own
 * line like every other error; `problem` says whether the daemon itself is the cause.
 */
export class DockerError extends SlipwayError {
  override name: string = 'DockerError';
  readonly problem?: DaemonProblem;
  readonly exitCode?: number;

  constructor(
    message: string,
    details: { fix?: string; problem?: DaemonProblem; exitCode?: number; cause?: unknown } = {},
  ) {
    super(message, {
      ...(details.fix === undefined ? {} : { fix: details.fix }),
      ...(details.cause === undefined ? {} : { cause: details.cause }),
    });
    if (details.problem !== undefined) this.problem = details.problem;
    if (details.exitCode !== undefined) this.exitCode = details.exitCode;
  }
}

/**
 * The registry refused our credentials (none, wrong or expired). Typed so that a caller can fetch
 * a fresh token, log in again and retry, instead of string-matching docker's output.
 */
export class RegistryAuthError extends DockerError {
  override name: string = 'RegistryAuthError';
  readonly registry: string;

  constructor(message: string, registry: string, details: { fix?: string; exitCode?: number } = {}) {
    super(message, details);
    this.registry = registry;
  }
}

/** What a cancelled call rejects with: the signal's own reason, like Node's abortable APIs. */
export function abortReason(signal: AbortSignal | undefined): unknown {
  return signal?.reason ?? new DOMException('The operation was aborted', 'AbortError');
}
