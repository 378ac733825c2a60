import { createHash } from 'node:crypto';
import type {
  FilterLogEventsRequest,
  FilterLogEventsResponse,
  GetLogEventsRequest,
  GetLogEventsResponse,
  PutLogEventsRequest,
  PutLogEventsResponse,
  RejectedLogEventsInfo,
} from '@aws-sdk/client-cloudwatch-logs';
import { op, type Operation, type Out } from '../operation.js';
import { constraint, eventsInOrder, groupNameOf, invalidParameter, requireGroup, requireStream, streamResource } from './common.js';
import { matchesPattern } from './filter-pattern.js';
import { sequenceToken } from './streams.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MAX_EVENTS = 10_000;

/** GetLogEvents tokens look like AWS's (`f/<56 digits>/s`): a direction and a position in the stream. */
const token = (direction: 'f' | 'b', position: number) => `${direction}/${String(position).padStart(56, '0')}/s`;

function readToken(value: string): { direction: 'f' | 'b'; position: number } {
  const match = /^([fb])\/(\d{1,56})\/s$/.exec(value);
  if (!match) throw invalidParameter('The specified nextToken is invalid.');
  return { direction: match[1] as 'f' | 'b', position: Number(match[2]) };
}

function firstAtOrAfter(events: { timestamp: number }[], time: number): number {
  const index = events.findIndex((e) => e.timestamp >= time);
  return index === -1 ? events.length : index;
}

/** A stable id per event (its stream and the order the stream received it), 56 digits like AWS's. */
function eventId(stream: string, index: number, timestamp: number): string {
  const hash = BigInt(`0x${createHash('sha256').update(`${stream}\n${index}`).digest('hex').slice(0, 24)}`);
  return (String(timestamp).padStart(16, '0') + String(hash)).padEnd(56, '0').slice(0, 56);
}

export const eventOperations: Record<string, Operation> = {
  PutLogEvents: op<PutLogEventsRequest, Out<PutLogEventsResponse>>({
    resource: (input, ctx) => streamResource(ctx, input.logGroupName, input.logStreamName),
    run: (input, ctx) => {
      const events = input.logEvents ?? [];
      if (!events.length) throw constraint('logEvents', '[]', 'Member must have length greater than or equal to 1');
      if (events.length > MAX_EVENTS) throw constraint('logEvents', `[${events.length} events]`, `Member must have length less than or equal to ${MAX_EVENTS}`);
      const group = requireGroup(ctx, input.logGroupName, true);
      const stream = requireStream(group, input.logStreamName);
      const times = events.map((e) => e.timestamp ?? 0);
      if (times.some((t, i) => i > 0 && t < times[i - 1]!)) throw invalidParameter('Log events in a single PutLogEvents request must be in chronological order.');
      // Too old (14 days), expired (past retention) and too new (2 hours ahead) events are dropped and reported.
      const expiredBefore = group.retentionInDays ? ctx.now - group.retentionInDays * DAY : -Infinity;
      const rejected: RejectedLogEventsInfo = {};
      events.forEach((e, i) => {
        const t = e.timestamp ?? 0;
        if (t < ctx.now - 14 * DAY) rejected.tooOldLogEventEndIndex = i;
        if (t < expiredBefore) rejected.expiredLogEventEndIndex = i;
        if (t > ctx.now + 2 * HOUR && rejected.tooNewLogEventStartIndex === undefined) rejected.tooNewLogEventStartIndex = i;
      });
      const first = Math.max(rejected.tooOldLogEventEndIndex ?? -1, rejected.expiredLogEventEndIndex ?? -1) + 1;
      const end = rejected.tooNewLogEventStartIndex ?? events.length;
      const kept = times.slice(first, end);
      if (kept.length && kept[kept.length - 1]! - kept[0]! > DAY) throw invalidParameter('The batch of log events in a single PutLogEvents request cannot span more than 24 hours.');
      for (const e of events.slice(first, end)) stream.events.push({ timestamp: e.timestamp ?? 0, message: e.message ?? '', ingestionTime: ctx.now });
      return { nextSequenceToken: sequenceToken(stream), ...(Object.keys(rejected).length ? { rejectedLogEventsInfo: rejected } : {}) };
    },
  }),

  /**
   * Reads a stream page by page. Forward tokens point just past what was returned, so a reader
   * following a live stream gets its own token back when nothing new arrived, as from AWS.
   */
  GetLogEvents: op<GetLogEventsRequest, Out<GetLogEventsResponse>>({
    resource: (input, ctx) => streamResource(ctx, groupNameOf(input), input.logStreamName),
    run: (input, ctx) => {
      const limit = input.limit ?? MAX_EVENTS;
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_EVENTS) throw constraint('limit', limit, `Member must have value between 1 and ${MAX_EVENTS}`);
      const stream = requireStream(requireGroup(ctx, groupNameOf(input)), input.logStreamName);
      const all = eventsInOrder(stream);
      // The time window is a contiguous run of the ordered events, [low, high): endTime is exclusive.
      const low = input.startTime === undefined ? 0 : firstAtOrAfter(all, input.startTime);
      const high = input.endTime === undefined ? all.length : Math.max(low, firstAtOrAfter(all, input.endTime));
      const given = input.nextToken === undefined ? undefined : readToken(input.nextToken);
      let start: number;
      let end: number;
      if (given?.direction === 'f' || (!given && input.startFromHead)) {
        start = Math.min(Math.max(given?.position ?? low, low), high);
        end = Math.min(start + limit, high);
      } else {
        end = Math.max(Math.min(given?.position ?? high, high), low);
        start = Math.max(end - limit, low);
      }
      const events = all.slice(start, end).map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime }));
      const forward = given?.direction === 'f' && start === end ? input.nextToken! : token('f', end);
      return { events, nextForwardToken: forward, nextBackwardToken: token('b', start) };
    },
  }),

  /**
   * Searches the group's streams (by names or a prefix) for events from startTime to endTime (both
   * inclusive) that match the filter pattern, oldest first across streams. An event's id stays the
   * same however many events arrive around it, and the nextToken is a position (the last event
   * returned), not a count: events written between two pages neither repeat nor push others out.
   */
  FilterLogEvents: op<FilterLogEventsRequest, Out<FilterLogEventsResponse>>({
    resource: (input, ctx) => streamResource(ctx, groupNameOf(input)),
    run: (input, ctx) => {
      if (input.logStreamNames && input.logStreamNamePrefix !== undefined) throw invalidParameter('You cannot specify both logStreamNames and logStreamNamePrefix.');
      if (input.logStreamNames && (input.logStreamNames.length < 1 || input.logStreamNames.length > 100)) {
        throw constraint('logStreamNames', `[${input.logStreamNames.length} names]`, `Member must have length ${input.logStreamNames.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 100'}`);
      }
      for (const member of ['startTime', 'endTime'] as const) {
        const value = input[member];
        if (value !== undefined && (!Number.isInteger(value) || value < 0)) throw constraint(member, value, 'Member must have value greater than or equal to 0');
      }
      const limit = input.limit ?? MAX_EVENTS;
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_EVENTS) throw constraint('limit', limit, `Member must have value ${limit < 1 ? 'greater than or equal to 1' : `less than or equal to ${MAX_EVENTS}`}`);
      const after = input.nextToken === undefined ? undefined : readPosition(input.nextToken);
      const group = requireGroup(ctx, groupNameOf(input));
      const streams = Object.values(group.streams).filter(
        (s) => (!input.logStreamNames || input.logStreamNames.includes(s.name)) && (input.logStreamNamePrefix === undefined || s.name.startsWith(input.logStreamNamePrefix)),
      );
      const matched = streams
        .flatMap((s) => s.events.map((e, index) => ({ stream: s.name, index, e })))
        .filter(({ e }) => (input.startTime === undefined || e.timestamp >= input.startTime) && (input.endTime === undefined || e.timestamp <= input.endTime) && matchesPattern(input.filterPattern, e.message))
        .sort(byPosition)
        .filter((p) => !after || byPosition(p, after) > 0);
      const items = matched.slice(0, limit);
      const last = items[items.length - 1];
      return {
        events: items.map(({ stream, index, e }) => ({ logStreamName: stream, timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime, eventId: eventId(stream, index, e.timestamp) })),
        searchedLogStreams: streams.map((s) => ({ logStreamName: s.name, searchedCompletely: true })),
        ...(last && matched.length > items.length ? { nextToken: positionToken(last) } : {}),
      };
    },
  }),
};

/** Where an event sits in a search: by time, then stream, then the order the stream received it. */
interface Position {
  stream: string;
  index: number;
  e: { timestamp: number };
}

function byPosition(a: Position, b: Position): number {
  return a.e.timestamp - b.e.timestamp || (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0) || a.index - b.index;
}

const positionToken = (p: Position) => Buffer.from(JSON.stringify([p.e.timestamp, p.stream, p.index])).toString('base64url');

function readPosition(token: string): Position {
  try {
    const [timestamp, stream, index] = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown[];
    if (typeof timestamp === 'number' && typeof stream === 'string' && typeof index === 'number') return { stream, index, e: { timestamp } };
  } catch {
    /* not one of ours */
  }
  throw invalidParameter('The specified nextToken is invalid.');
}
