import { CancelledError, SlipwayError } from '../engine/errors.js';
import type { StepReporter } from '../engine/types.js';
import { classifyAwsError, type AwsErrorKind } from './errors.js';

export interface RetryOptions {
  /** Which error kinds mean "not yet" rather than "no". */
  retryOn: AwsErrorKind[];
  /** What the person sees while waiting, e.g. "waiting for IAM to make the role visible". */
  waitingFor: string;
  report: StepReporter;
  signal: AbortSignal;
  budgetMs?: number;
  firstDelayMs?: number;
  maxDelayMs?: number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/**
 * Retries `attempt` with exponential backoff while it fails with one of `retryOn` (IAM eventual
 * consistency: ~2 s up to ~60 s), showing each wait, and gives up once the budget is spent.
 */
export async function retryWhileNotReady<T>(attempt: () => Promise<T>, options: RetryOptions): Promise<T> {
  const { budgetMs = 90_000, firstDelayMs = 2_000, maxDelayMs = 15_000, sleep = abortableSleep } = options;
  const started = Date.now();
  let delay = firstDelayMs;
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      const kind = classifyAwsError(error);
      const elapsed = Date.now() - started;
      if (!options.retryOn.includes(kind) || elapsed + delay > budgetMs) {
        if (options.retryOn.includes(kind)) {
          throw new SlipwayError(`Still ${options.waitingFor} after ${Math.round(elapsed / 1000)} s.`, {
            why: 'AWS is eventually consistent; this normally settles within a minute.',
            fix: 'Run the command again in a minute: it resumes at this step.',
            cause: error,
          });
        }
        throw error;
      }
      options.report.log(`${options.waitingFor} (try ${tries}, ${Math.round(elapsed / 1000)} s so far)…`, 'info');
      await sleep(delay, options.signal);
      delay = Math.min(delay * 2, maxDelayMs);
    }
  }
}

export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new CancelledError());
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CancelledError());
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
