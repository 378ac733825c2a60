import { GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { tolerate } from '../../src/aws/errors.js';
import type { RolloutContext } from '../rollout/context.js';

/**
 * Follows one awslogs stream from its start: each call prints the lines that arrived since the last
 * one, following `nextForwardToken` until CloudWatch hands the same token back (nothing newer). A
 * stream that does not exist yet (the container has not started) is simply empty.
 */
export function logFollower(c: RolloutContext, logGroupName: string, logStreamName: string) {
  let token: string | undefined;
  let lines = 0;
  return {
    get lines() {
      return lines;
    },
    async drain(): Promise<void> {
      if (!logGroupName) return;
      const logs = await c.logs();
      for (let page = 0; page < 100; page++) {
        const out = await tolerate('not-found', () =>
          logs.send(new GetLogEventsCommand({ logGroupName, logStreamName, startFromHead: true, ...(token ? { nextToken: token } : {}) }), { abortSignal: c.signal }),
        );
        if (!out) return;
        for (const event of out.events ?? []) {
          c.report.log(`│ ${(event.message ?? '').replace(/\s+$/, '')}`);
          lines++;
        }
        const next = out.nextForwardToken;
        const done = !next || next === token || (out.events ?? []).length === 0;
        if (next) token = next;
        if (done) return;
      }
    },
  };
}
