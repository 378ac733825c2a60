/** Exit codes, as documented in the README. */
/** 3: `--plan --detailed-exitcode` found something to change (Terraform's code, moved off 2, which is bad input here). */
/**
 * A step read another step's output that is not there: in a run, a bug; in a `--plan`, a step that
 * reads what an earlier step would make first (its plan is known once that is done).
 */
export class MissingOutputError extends Error {
  override name = 'MissingOutputError';
  constructor(step: string) {
    super(`The ${step} step has not run.`);
  }
}

export const ExitCode = { ok: 0, failed: 1, usage: 2, changesPlanned: 3, cancelled: 130 } as const;

/**
 * An error a person can act on: what failed, why in plain words, and the next thing to do.
 * Flows throw these (or let the AWS/docker layers turn raw errors into them).
 */
export class SlipwayError extends Error {
  readonly why?: string;
  readonly fix?: string;
  constructor(message: string, details: { why?: string; fix?: string; cause?: unknown } = {}) {
    super(message, { cause: details.cause });
    this.name = 'SlipwayError';
    this.why = details.why;
    this.fix = details.fix;
  }
}

/** Bad flags, answers or files: exit code 2, nothing written. */
export class UsageError extends SlipwayError {
  constructor(message: string, details: { why?: string; fix?: string } = {}) {
    super(message, details);
    this.name = 'UsageError';
  }
}

/** A non-interactive run needs an answer nobody gave. */
export class MissingAnswerError extends UsageError {
  constructor(question: { id: string; flag?: string; message: string }) {
    super(`No answer for "${question.message}"`, {
      why: 'This run cannot ask questions (--yes, --answers, CI=true or no terminal).',
      fix: question.flag
        ? `Pass ${question.flag} <value>, or put "${question.id}" in the --answers file.`
        : `Put "${question.id}" in the --answers file.`,
    });
    this.name = 'MissingAnswerError';
  }
}

/** The user cancelled (Ctrl-C). The journal is kept, so the run can be resumed. */
export class CancelledError extends Error {
  constructor(message = 'Cancelled') {
    super(message);
    this.name = 'CancelledError';
  }
}

/** Another slipway holds the journal's lock. */
export class LockedError extends SlipwayError {
  readonly pid: number;
  constructor(pid: number, journalPath: string) {
    super(`Another slipway (pid ${pid}) is already working on this run.`, {
      why: `Its lock is on ${journalPath}.`,
      fix: `Wait for it to finish, or stop it (kill ${pid}) and run this again.`,
    });
    this.name = 'LockedError';
    this.pid = pid;
  }
}

export interface ErrorReport {
  message: string;
  why?: string;
  fix?: string;
}

export function toErrorReport(error: unknown): ErrorReport {
  if (error instanceof SlipwayError) return { message: error.message, why: error.why, fix: error.fix };
  if (error instanceof Error) return { message: error.message };
  return { message: String(error) };
}
