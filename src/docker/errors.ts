import type { DaemonProblem } from './problem.js';

/**
 * A docker command failed. `fix` is the next action for a human (principle 6: errors carry a fix),
 * kept apart from `message` so a front end can render it on its own line.
 */
export class DockerError extends Error {
  override name: string = 'DockerError';
  readonly fix?: string;
  readonly problem?: DaemonProblem;
  readonly exitCode?: number;

  constructor(
    message: string,
    details: { fix?: string; problem?: DaemonProblem; exitCode?: number; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    if (details.fix !== undefined) this.fix = details.fix;
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
