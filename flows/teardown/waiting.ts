import { classifyAwsError } from '../../src/aws/errors.js';
import { abortableSleep } from '../../src/aws/waiters.js';
import { SlipwayError } from '../../src/engine/errors.js';
import type { RolloutContext } from '../rollout/context.js';

/** Polls for teardown waits: every `pollMs` (10 s against AWS), this many times at most. */
export const WAIT_POLLS = 90;
/** "Still in use" retries (security groups, target groups): about 10 minutes against AWS. */
export const IN_USE_POLLS = 60;

/**
 * "Still in use, try again later" as each service says it: EC2's DependencyViolation (network
 * interfaces not yet released), ELB's ResourceInUse, IAM's DeleteConflict, a cluster still holding tasks.
 */
export function stillInUse(error: unknown): boolean {
  return classifyAwsError(error) === 'conflict';
}

/** Waits, visibly and bounded, until `done` says so. */
export async function waitUntil(c: RolloutContext, waitingFor: string, done: () => Promise<boolean>, polls = WAIT_POLLS): Promise<void> {
  const started = Date.now();
  for (let poll = 0; ; poll++) {
    if (await done()) return;
    const seconds = Math.round((Date.now() - started) / 1000);
    if (poll >= polls) {
      throw new SlipwayError(`Still ${waitingFor} after ${seconds} s.`, {
        why: 'AWS has not finished; nothing is wrong with what was deleted so far.',
        fix: `Run \`slipway teardown --env ${c.settings.env}\` again in a few minutes: it resumes at this step.`,
      });
    }
    if (poll % 6 === 0) c.report.log(`${waitingFor}… (${seconds} s)`);
    await abortableSleep(c.pollMs, c.signal);
  }
}

/**
 * Runs a delete that fails while something still uses the resource, again and again (bounded), saying
 * so each time — security groups wait for network interfaces, target groups for their load balancer.
 */
export async function retryWhileInUse<T>(c: RolloutContext, what: string, attempt: () => Promise<T>, polls = IN_USE_POLLS): Promise<T> {
  const started = Date.now();
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (!stillInUse(error)) throw error;
      const seconds = Math.round((Date.now() - started) / 1000);
      if (tries > polls) {
        throw new SlipwayError(`${what} is still in use after ${seconds} s (${(error as Error).name}: ${(error as Error).message}).`, {
          why: 'Something else still uses it: a network interface being released, or a resource slipway did not make (another group’s rule, a listener, a task).',
          fix: `Find what uses it in the AWS console (its “dependencies”), remove that, then run \`slipway teardown --env ${c.settings.env}\` again: it resumes here.`,
          cause: error,
        });
      }
      c.report.log(`${what} is still in use (${(error as Error).name}); trying again (try ${tries}, ${seconds} s so far)…`, 'warn');
      await abortableSleep(c.pollMs, c.signal);
    }
  }
}
