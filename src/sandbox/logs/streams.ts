import type { CreateLogStreamRequest, DeleteLogStreamRequest, DescribeLogStreamsRequest, DescribeLogStreamsResponse, LogStream as SdkLogStream } from '@aws-sdk/client-cloudwatch-logs';
import { fault } from '../errors.js';
import { op, type Operation, type Out } from '../operation.js';
import type { LogGroup, LogStream } from '../state.js';
import { checkStreamName, groupNameOf, invalidParameter, page, requireGroup, requireStream, streamResource } from './common.js';

/** What DescribeLogStreams says about a stream; event times only once it has events. */
export function streamOut(group: LogGroup, stream: LogStream): SdkLogStream {
  const times = stream.events.map((e) => e.timestamp);
  const has = times.length > 0;
  return {
    logStreamName: stream.name,
    creationTime: stream.createdAt,
    firstEventTimestamp: has ? Math.min(...times) : undefined,
    lastEventTimestamp: has ? Math.max(...times) : undefined,
    lastIngestionTime: has ? Math.max(...stream.events.map((e) => e.ingestionTime)) : undefined,
    uploadSequenceToken: sequenceToken(stream),
    arn: `${group.arn.replace(/:\*$/, '')}:log-stream:${stream.name}`,
    storedBytes: 0,
  };
}

/** Sequence tokens are no longer checked by AWS but still returned: a number that grows with each batch. */
export function sequenceToken(stream: LogStream): string {
  return String(49_000_000_000 + stream.events.length).padStart(56, '0');
}

const byName = (a: LogStream, b: LogStream) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const lastEvent = (s: LogStream) => (s.events.length ? Math.max(...s.events.map((e) => e.timestamp)) : 0);

export const streamOperations: Record<string, Operation> = {
  CreateLogStream: op<CreateLogStreamRequest, object>({
    resource: (input, ctx) => streamResource(ctx, input.logGroupName, input.logStreamName),
    run: (input, ctx) => {
      const name = checkStreamName(input.logStreamName);
      const group = requireGroup(ctx, input.logGroupName, true);
      if (group.streams[name]) throw fault('ResourceAlreadyExistsException', 'The specified log stream already exists');
      group.streams[name] = { name, createdAt: ctx.now, events: [] };
      return {};
    },
  }),

  DescribeLogStreams: op<DescribeLogStreamsRequest, Out<DescribeLogStreamsResponse>>({
    resource: (input, ctx) => streamResource(ctx, groupNameOf(input)),
    run: (input, ctx) => {
      const orderBy = input.orderBy ?? 'LogStreamName';
      if (orderBy === 'LastEventTime' && input.logStreamNamePrefix !== undefined) throw invalidParameter('Cannot order by LastEventTime with a logStreamNamePrefix.');
      const group = requireGroup(ctx, groupNameOf(input));
      const prefix = input.logStreamNamePrefix ?? '';
      const sorted = Object.values(group.streams)
        .filter((s) => s.name.startsWith(prefix))
        .sort(orderBy === 'LastEventTime' ? (a, b) => lastEvent(a) - lastEvent(b) || byName(a, b) : byName);
      if (input.descending) sorted.reverse();
      const { items, nextToken } = page(sorted, input);
      return { logStreams: items.map((s) => streamOut(group, s)), nextToken };
    },
  }),

  DeleteLogStream: op<DeleteLogStreamRequest, object>({
    resource: (input, ctx) => streamResource(ctx, input.logGroupName, input.logStreamName),
    run: (input, ctx) => {
      const group = requireGroup(ctx, input.logGroupName, true);
      delete group.streams[requireStream(group, input.logStreamName).name];
      return {};
    },
  }),
};
