import { FilterLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { LaunchType } from '../rollout/environment.js';
import { rolloutNames } from '../rollout/names.js';
import type { LogEvent } from './tail.js';

/**
 * Where an environment's tasks log, as slipway's rollout set it up: the group `/slipway/<app>/<env>` and
 * awslogs-stream-prefix `ecs` — in the task definition's logConfiguration (Fargate, EC2) and in the
 * Express service's awsLogsConfiguration — so every task's stream is `ecs/<container>/<task id>`.
 * Slipway names the container of its own task definitions (`app`); ECS Express names its own, so for
 * Express the task is told by the stream name's last part, not by a longer prefix.
 */
export interface LogPlace {
  logGroupName: string;
  logStreamNamePrefix: string;
  /** The task id (or its first characters) a line's stream must name, '' for any. */
  task: string;
}

export const STREAM_PREFIX = 'ecs';

export function logPlace(app: string, env: string, launchType: LaunchType, task = ''): LogPlace {
  const names = rolloutNames(app, env);
  const container = launchType === 'EXPRESS' ? undefined : names.container;
  const prefix = task && container ? `${STREAM_PREFIX}/${container}/${task}` : `${STREAM_PREFIX}/`;
  return { logGroupName: names.logGroup, logStreamNamePrefix: prefix, task };
}

/** The task id a stream `<prefix>/<container>/<task id>` belongs to. */
export function streamTask(stream: string): string {
  return stream.split('/').pop() ?? stream;
}

/**
 * A text to find, as a CloudWatch filter pattern: one quoted term, so it matches exactly (spaces,
 * punctuation and all, case-sensitive) rather than being read as pattern syntax (`?a`, `-b`, `{ $.x }`).
 */
export function filterPatternOf(text: string): string | undefined {
  if (text === '') return undefined;
  return `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/** Every page FilterLogEvents returns for the place from `startTime`, as LogEvents. */
export function filterPages(logs: CloudWatchLogsClient, place: LogPlace, filter: string) {
  const filterPattern = filterPatternOf(filter);
  return async function* pages(startTime: number, signal: AbortSignal): AsyncIterable<LogEvent[]> {
    let nextToken: string | undefined;
    for (;;) {
      const out = await logs.send(
        new FilterLogEventsCommand({ logGroupName: place.logGroupName, logStreamNamePrefix: place.logStreamNamePrefix, startTime, ...(filterPattern ? { filterPattern } : {}), ...(nextToken ? { nextToken } : {}) }),
        { abortSignal: signal },
      );
      const events: LogEvent[] = [];
      for (const e of out.events ?? []) {
        if (e.eventId === undefined || e.logStreamName === undefined || e.timestamp === undefined) continue;
        if (place.task && !streamTask(e.logStreamName).startsWith(place.task)) continue;
        events.push({ eventId: e.eventId, timestamp: e.timestamp, message: e.message ?? '', stream: e.logStreamName });
      }
      yield events;
      // A page may be empty with a token (CloudWatch searched part of the group): go on until none.
      if (!out.nextToken || out.nextToken === nextToken) return;
      nextToken = out.nextToken;
    }
  };
}
