import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  DeleteRetentionPolicyCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  ListTagsForResourceCommand,
  ListTagsLogGroupCommand,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
  ResourceAlreadyExistsException,
  TagLogGroupCommand,
  TagResourceCommand,
  UntagLogGroupCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig } from '../../src/aws/clients.js';
import { classifyAwsError } from '../../src/aws/errors.js';
import { attachSandbox } from '../../src/sandbox/attach.js';
import { RETENTION_DAYS } from '../../src/sandbox/logs.js';
import { createSandbox, type Sandbox } from '../../src/sandbox/store.js';
import { bootstrapAccount, caught, frozenSandbox, T0 } from './support.js';

/** A real CloudWatchLogsClient, configured as slipway configures clients, answered by the sandbox. */
function logsFor(sandbox: Sandbox, credentials: AwsCredentialIdentity = sandbox.adminCredentials(), region = 'us-east-1'): CloudWatchLogsClient {
  return attachSandbox(new CloudWatchLogsClient(clientConfig({ region }, async () => credentials)), sandbox);
}

const GROUP = '/todobackend-dev/ecs/app';

async function withStream(logs: CloudWatchLogsClient, stream = 'ecs/app/task-1') {
  await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: stream }));
}

const put = (logs: CloudWatchLogsClient, stream: string, events: [number, string][]) =>
  logs.send(new PutLogEventsCommand({ logGroupName: GROUP, logStreamName: stream, logEvents: events.map(([timestamp, message]) => ({ timestamp, message })) }));

describe('CloudWatch Logs log groups', () => {
  it('CreateLogGroup with tags, DescribeLogGroups by prefix, ListTagsForResource', async () => {
    const sandbox = frozenSandbox();
    const logs = logsFor(sandbox, undefined, 'eu-west-1');
    await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP, tags: { 'slipway:app': 'todobackend', 'slipway:env': 'dev' } }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/other' }));
    const arn = `arn:aws:logs:eu-west-1:${sandbox.accountId}:log-group:${GROUP}`;
    const described = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/todobackend-' }));
    expect(described.logGroups).toEqual([
      { logGroupName: GROUP, creationTime: T0, metricFilterCount: 0, arn: `${arn}:*`, storedBytes: 0, logGroupClass: 'STANDARD', logGroupArn: arn },
    ]);
    expect(described.nextToken).toBeUndefined();
    expect((await logs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual({ 'slipway:app': 'todobackend', 'slipway:env': 'dev' });
    expect((await logs.send(new ListTagsLogGroupCommand({ logGroupName: GROUP }))).tags).toEqual({ 'slipway:app': 'todobackend', 'slipway:env': 'dev' });
    // Log groups are regional.
    expect((await logsFor(sandbox).send(new DescribeLogGroupsCommand({}))).logGroups).toEqual([]);
  });

  it('CreateLogGroup again → ResourceAlreadyExistsException (the flow adopts the group)', async () => {
    const logs = logsFor(frozenSandbox());
    await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
    const error = await caught(logs.send(new CreateLogGroupCommand({ logGroupName: GROUP })));
    expect(error).toBeInstanceOf(ResourceAlreadyExistsException);
    expect(error.name).toBe('ResourceAlreadyExistsException');
    expect(error.message).toBe('The specified log group already exists');
    expect(classifyAwsError(error)).toBe('already-exists');
  });

  it('CreateLogGroup checks the name and tags', async () => {
    const logs = logsFor(frozenSandbox());
    const badName = await caught(logs.send(new CreateLogGroupCommand({ logGroupName: 'has space' })));
    expect(badName.name).toBe('InvalidParameterException');
    expect(badName.message).toMatch(/^1 validation error detected: Value 'has space' at 'logGroupName' failed to satisfy constraint/);
    expect((await caught(logs.send(new CreateLogGroupCommand({ logGroupName: 'g', tags: { 'aws:x': 'y' } })))).name).toBe('InvalidParameterException');
  });

  it('DescribeLogGroups pages with limit and nextToken, in name order, and matches a name pattern', async () => {
    const logs = logsFor(frozenSandbox());
    for (const name of ['/c', '/a', '/b']) await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
    const first = await logs.send(new DescribeLogGroupsCommand({ limit: 2 }));
    expect(first.logGroups?.map((g) => g.logGroupName)).toEqual(['/a', '/b']);
    const second = await logs.send(new DescribeLogGroupsCommand({ limit: 2, nextToken: first.nextToken }));
    expect(second.logGroups?.map((g) => g.logGroupName)).toEqual(['/c']);
    expect(second.nextToken).toBeUndefined();
    expect((await logs.send(new DescribeLogGroupsCommand({ logGroupNamePattern: 'B' }))).logGroups?.map((g) => g.logGroupName)).toEqual(['/b']);
    expect((await caught(logs.send(new DescribeLogGroupsCommand({ limit: 51 })))).name).toBe('InvalidParameterException');
  });

  it('PutRetentionPolicy takes only the allowed periods; DeleteRetentionPolicy clears it', async () => {
    const logs = logsFor(frozenSandbox());
    await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: GROUP, retentionInDays: 7 }));
    expect((await logs.send(new DescribeLogGroupsCommand({}))).logGroups?.[0]?.retentionInDays).toBe(7);
    for (const days of RETENTION_DAYS) await logs.send(new PutRetentionPolicyCommand({ logGroupName: GROUP, retentionInDays: days }));

    const invalid = await caught(logs.send(new PutRetentionPolicyCommand({ logGroupName: GROUP, retentionInDays: 8 })));
    expect(invalid.name).toBe('InvalidParameterException');
    expect(invalid.message).toBe(
      "1 validation error detected: Value '8' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]",
    );
    const missing = await caught(logs.send(new PutRetentionPolicyCommand({ logGroupName: '/nope', retentionInDays: 7 })));
    expect(missing.name).toBe('ResourceNotFoundException');

    await logs.send(new DeleteRetentionPolicyCommand({ logGroupName: GROUP }));
    expect((await logs.send(new DescribeLogGroupsCommand({}))).logGroups?.[0]?.retentionInDays).toBeUndefined();
  });

  it('DeleteLogGroup removes the group and its streams; again → ResourceNotFoundException', async () => {
    const logs = logsFor(frozenSandbox());
    await withStream(logs);
    await logs.send(new DeleteLogGroupCommand({ logGroupName: GROUP }));
    expect((await logs.send(new DescribeLogGroupsCommand({}))).logGroups).toEqual([]);
    const error = await caught(logs.send(new DeleteLogGroupCommand({ logGroupName: GROUP })));
    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.message).toBe('The specified log group does not exist.');
    expect(classifyAwsError(error)).toBe('not-found');
  });

  it('TagResource / UntagResource and the older TagLogGroup / UntagLogGroup', async () => {
    const sandbox = frozenSandbox();
    const logs = logsFor(sandbox);
    await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP, tags: { a: '1' } }));
    const arn = `arn:aws:logs:us-east-1:${sandbox.accountId}:log-group:${GROUP}`;
    await logs.send(new TagResourceCommand({ resourceArn: arn, tags: { b: '2', a: 'one' } }));
    await logs.send(new TagLogGroupCommand({ logGroupName: GROUP, tags: { c: '3' } }));
    expect((await logs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual({ a: 'one', b: '2', c: '3' });
    await logs.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['a'] }));
    await logs.send(new UntagLogGroupCommand({ logGroupName: GROUP, tags: ['c'] }));
    expect((await logs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual({ b: '2' });

    const tooMany = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
    expect((await caught(logs.send(new TagResourceCommand({ resourceArn: arn, tags: tooMany })))).name).toBe('TooManyTagsException');
    expect((await caught(logs.send(new TagResourceCommand({ resourceArn: arn, tags: { 'aws:x': 'y' } })))).name).toBe('InvalidParameterException');
    const missing = await caught(logs.send(new ListTagsForResourceCommand({ resourceArn: `${arn}-gone` })));
    expect(missing.name).toBe('ResourceNotFoundException');
  });
});

describe('CloudWatch Logs streams and events', () => {
  it('CreateLogStream; again → ResourceAlreadyExistsException; in a missing group → ResourceNotFoundException', async () => {
    const logs = logsFor(frozenSandbox());
    await withStream(logs);
    const again = await caught(logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: 'ecs/app/task-1' })));
    expect(again.name).toBe('ResourceAlreadyExistsException');
    expect(again.message).toBe('The specified log stream already exists');
    const noGroup = await caught(logs.send(new CreateLogStreamCommand({ logGroupName: '/nope', logStreamName: 's' })));
    expect(noGroup.name).toBe('ResourceNotFoundException');
    expect(noGroup.message).toBe('The specified log group does not exist.');
  });

  it('DescribeLogStreams orders by LastEventTime, descending, with a limit (the newest task’s stream first)', async () => {
    const sandbox = frozenSandbox();
    const logs = logsFor(sandbox);
    await withStream(logs, 'ecs/app/old');
    await logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: 'ecs/app/new' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: 'ecs/app/quiet' }));
    await put(logs, 'ecs/app/new', [[T0 - 1000, 'new']]);
    await put(logs, 'ecs/app/old', [[T0 - 60_000, 'old']]);
    const newest = await logs.send(new DescribeLogStreamsCommand({ logGroupName: GROUP, orderBy: 'LastEventTime', descending: true, limit: 1 }));
    expect(newest.logStreams?.map((s) => s.logStreamName)).toEqual(['ecs/app/new']);
    expect(newest.logStreams?.[0]).toMatchObject({ firstEventTimestamp: T0 - 1000, lastEventTimestamp: T0 - 1000, lastIngestionTime: T0, creationTime: T0 });
    expect(newest.logStreams?.[0]?.arn).toBe(`arn:aws:logs:us-east-1:${sandbox.accountId}:log-group:${GROUP}:log-stream:ecs/app/new`);
    expect(newest.nextToken).toBeDefined();
    const byName = await logs.send(new DescribeLogStreamsCommand({ logGroupName: GROUP, logStreamNamePrefix: 'ecs/app/' }));
    expect(byName.logStreams?.map((s) => s.logStreamName)).toEqual(['ecs/app/new', 'ecs/app/old', 'ecs/app/quiet']);
    expect(byName.logStreams?.[2]?.lastEventTimestamp).toBeUndefined();

    const both = await caught(logs.send(new DescribeLogStreamsCommand({ logGroupName: GROUP, logStreamNamePrefix: 'ecs', orderBy: 'LastEventTime' })));
    expect(both.name).toBe('InvalidParameterException');
    expect((await caught(logs.send(new DescribeLogStreamsCommand({ logGroupName: '/nope' })))).name).toBe('ResourceNotFoundException');
  });

  it('PutLogEvents → ResourceNotFoundException for a missing stream; events must be in order; too old or new ones are rejected', async () => {
    const logs = logsFor(frozenSandbox());
    await withStream(logs);
    const missing = await caught(put(logs, 'ecs/app/nope', [[T0, 'x']]));
    expect(missing.name).toBe('ResourceNotFoundException');
    expect(missing.message).toBe('The specified log stream does not exist.');
    const unordered = await caught(put(logs, 'ecs/app/task-1', [[T0, 'b'], [T0 - 1, 'a']]));
    expect(unordered.name).toBe('InvalidParameterException');

    const day = 86_400_000;
    const tooLong = await caught(put(logs, 'ecs/app/task-1', [[T0 - 2 * day, 'a'], [T0, 'b']]));
    expect(tooLong.message).toBe('The batch of log events in a single PutLogEvents request cannot span more than 24 hours.');
    const result = await put(logs, 'ecs/app/task-1', [[T0 - 15 * day, 'ancient'], [T0 - 1, 'kept'], [T0 + 3 * 3_600_000, 'future']]);
    expect(result.rejectedLogEventsInfo).toEqual({ tooOldLogEventEndIndex: 0, tooNewLogEventStartIndex: 2 });
    expect(result.nextSequenceToken).toMatch(/^\d{56}$/);
    const got = await logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: 'ecs/app/task-1', startFromHead: true }));
    expect(got.events?.map((e) => e.message)).toEqual(['kept']);
  });

  it('GetLogEvents pages forward from the head and returns the same token when nothing is new, then the new events', async () => {
    const logs = logsFor(frozenSandbox());
    const stream = 'ecs/app/task-1';
    await withStream(logs, stream);
    await put(logs, stream, [[T0 - 3000, 'one'], [T0 - 2000, 'two'], [T0 - 1000, 'three']]);
    const read = (nextToken?: string, limit?: number) => logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: stream, startFromHead: true, nextToken, limit }));

    const first = await read(undefined, 2);
    expect(first.events).toEqual([
      { timestamp: T0 - 3000, message: 'one', ingestionTime: T0 },
      { timestamp: T0 - 2000, message: 'two', ingestionTime: T0 },
    ]);
    const second = await read(first.nextForwardToken, 2);
    expect(second.events?.map((e) => e.message)).toEqual(['three']);
    const idle = await read(second.nextForwardToken, 2);
    expect(idle.events).toEqual([]);
    expect(idle.nextForwardToken).toBe(second.nextForwardToken);

    await put(logs, stream, [[T0, 'four']]);
    const fresh = await read(idle.nextForwardToken, 2);
    expect(fresh.events?.map((e) => e.message)).toEqual(['four']);
    expect(fresh.nextForwardToken).not.toBe(idle.nextForwardToken);
    expect((await caught(read('not-a-token'))).name).toBe('InvalidParameterException');
  });

  it('GetLogEvents without startFromHead returns the latest events; backward tokens page back; startTime/endTime bound the window', async () => {
    const logs = logsFor(frozenSandbox());
    const stream = 'ecs/app/task-1';
    await withStream(logs, stream);
    await put(logs, stream, [1, 2, 3, 4, 5].map((i) => [T0 - 10_000 + i * 1000, `line ${i}`] as [number, string]));
    const latest = await logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: stream, limit: 2 }));
    expect(latest.events?.map((e) => e.message)).toEqual(['line 4', 'line 5']);
    const earlier = await logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: stream, limit: 2, nextToken: latest.nextBackwardToken }));
    expect(earlier.events?.map((e) => e.message)).toEqual(['line 2', 'line 3']);
    const window = await logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: stream, startFromHead: true, startTime: T0 - 8000, endTime: T0 - 6000 }));
    expect(window.events?.map((e) => e.message)).toEqual(['line 2', 'line 3']);
    expect((await caught(logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: 'nope' })))).name).toBe('ResourceNotFoundException');
  });

  it('reads events the ECS fake wrote straight into the account', async () => {
    const sandbox = frozenSandbox();
    const logs = logsFor(sandbox);
    await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
    sandbox.update((s) => {
      s.logs!.groups['us-east-1']![GROUP]!.streams['ecs/app/abc'] = { name: 'ecs/app/abc', createdAt: T0, events: [{ timestamp: T0 + 5, message: 'Listening on :8000', ingestionTime: T0 + 6 }] };
    });
    const got = await logs.send(new GetLogEventsCommand({ logGroupIdentifier: GROUP, logStreamName: 'ecs/app/abc', startFromHead: true }));
    expect(got.events).toEqual([{ timestamp: T0 + 5, message: 'Listening on :8000', ingestionTime: T0 + 6 }]);
  });

  it('FilterLogEvents merges streams in time order, by stream prefix, start time and filter pattern', async () => {
    const logs = logsFor(frozenSandbox());
    await withStream(logs, 'ecs/app/a');
    await logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: 'ecs/app/b' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: 'other/x' }));
    await put(logs, 'ecs/app/a', [[T0 - 3000, 'a: starting'], [T0 - 1000, 'a: ERROR boom']]);
    await put(logs, 'ecs/app/b', [[T0 - 2000, 'b: starting'], [T0, 'b: ERROR timeout']]);
    await put(logs, 'other/x', [[T0 - 2500, 'x: ERROR elsewhere']]);
    const filter = async (input: Partial<ConstructorParameters<typeof FilterLogEventsCommand>[0]>) =>
      (await logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, ...input }))).events!.map((e) => e.message);

    expect(await filter({ logStreamNamePrefix: 'ecs/app/' })).toEqual(['a: starting', 'b: starting', 'a: ERROR boom', 'b: ERROR timeout']);
    expect(await filter({ logStreamNamePrefix: 'ecs/app/', startTime: T0 - 1500 })).toEqual(['a: ERROR boom', 'b: ERROR timeout']);
    expect(await filter({ filterPattern: 'ERROR' })).toEqual(['x: ERROR elsewhere', 'a: ERROR boom', 'b: ERROR timeout']);
    expect(await filter({ filterPattern: 'ERROR -timeout' })).toEqual(['x: ERROR elsewhere', 'a: ERROR boom']);
    expect(await filter({ filterPattern: '"a: ERROR"' })).toEqual(['a: ERROR boom']);
    expect(await filter({ logStreamNames: ['other/x'] })).toEqual(['x: ERROR elsewhere']);
    const [event] = (await logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, logStreamNames: ['other/x'] }))).events!;
    expect(event).toMatchObject({ logStreamName: 'other/x', timestamp: T0 - 2500, ingestionTime: T0 });
    expect(event?.eventId).toMatch(/^\d{56}$/);

    const paged = await logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, limit: 3 }));
    expect(paged.events).toHaveLength(3);
    const rest = await logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, limit: 3, nextToken: paged.nextToken }));
    expect(rest.events).toHaveLength(2);
    expect(rest.nextToken).toBeUndefined();
    expect((await caught(logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, logStreamNames: ['a'], logStreamNamePrefix: 'a' })))).name).toBe('InvalidParameterException');
  });
});

describe('FilterLogEvents as `slipway logs --follow` polls it', () => {
  const messages = (out: { events?: { message?: string }[] }) => (out.events ?? []).map((e) => e.message);

  it('an event keeps its eventId when events with earlier timestamps arrive in its stream later', async () => {
    const logs = logsFor(frozenSandbox());
    await withStream(logs, 'ecs/app/a');
    await put(logs, 'ecs/app/a', [[T0 - 1000, 'second']]);
    const before = (await logs.send(new FilterLogEventsCommand({ logGroupName: GROUP }))).events!;
    await put(logs, 'ecs/app/a', [[T0 - 2000, 'first, sent late']]);
    const after = (await logs.send(new FilterLogEventsCommand({ logGroupName: GROUP }))).events!;
    expect(after.map((e) => e.message)).toEqual(['first, sent late', 'second']);
    expect(after[1]!.eventId).toBe(before[0]!.eventId);
    expect(new Set(after.map((e) => e.eventId)).size).toBe(2);
  });

  it('nextToken is a position: events written between pages neither repeat nor push others off a page', async () => {
    const logs = logsFor(frozenSandbox());
    await withStream(logs, 'ecs/app/a');
    await logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: 'ecs/app/b' }));
    await put(logs, 'ecs/app/a', [[T0 - 5000, 'a1'], [T0 - 3000, 'a2'], [T0 - 1000, 'a3']]);
    await put(logs, 'ecs/app/b', [[T0 - 4000, 'b1'], [T0 - 2000, 'b2']]);
    const first = await logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, limit: 2 }));
    expect(messages(first)).toEqual(['a1', 'b1']);
    // Written before the next page is asked for: one earlier than the position (a late batch), one after.
    await put(logs, 'ecs/app/b', [[T0 - 4500, 'b0, late'], [T0 - 2500, 'b1.5']]);
    const pages: (string | undefined)[][] = [];
    let token = first.nextToken;
    while (token) {
      const out = await logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, limit: 2, nextToken: token }));
      pages.push(messages(out));
      token = out.nextToken;
    }
    expect(pages.flat()).toEqual(['a2', 'b1.5', 'b2', 'a3']);
    expect((await caught(logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, nextToken: 'not-a-token' })))).name).toBe('InvalidParameterException');
  });

  it('a quoted phrase matches exactly, escaped quotes and backslashes included; bad members are InvalidParameterException', async () => {
    const logs = logsFor(frozenSandbox());
    await withStream(logs, 'ecs/app/a');
    await put(logs, 'ecs/app/a', [[T0 - 3000, 'said "hi" to C:\\temp'], [T0 - 2000, 'said hi'], [T0 - 1000, 'hi said']]);
    const filter = async (filterPattern: string) => messages(await logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern })));
    expect(await filter('"said \\"hi\\""')).toEqual(['said "hi" to C:\\temp']);
    expect(await filter('"C:\\\\temp"')).toEqual(['said "hi" to C:\\temp']);
    expect(await filter('"said hi"')).toEqual(['said hi']);
    expect(await filter('said hi')).toEqual(['said "hi" to C:\\temp', 'said hi', 'hi said']);
    const names = Array.from({ length: 101 }, (_, i) => `s${i}`);
    expect((await caught(logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, logStreamNames: names })))).name).toBe('InvalidParameterException');
    expect((await caught(logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, startTime: -1 })))).name).toBe('InvalidParameterException');
    expect((await caught(logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, limit: 10_001 })))).name).toBe('InvalidParameterException');
    expect((await caught(logs.send(new FilterLogEventsCommand({ logGroupName: '/no/such/group' })))).name).toBe('ResourceNotFoundException');
  });

  it('is a read: a sandbox file is not written by it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-logs-read-'));
    try {
      const file = join(dir, 'sandbox.json');
      const sandbox = createSandbox({ file, now: () => T0 });
      const logs = logsFor(sandbox);
      await withStream(logs, 'ecs/app/a');
      await put(logs, 'ecs/app/a', [[T0 - 1000, 'x']]);
      const written = statSync(file).mtimeMs;
      const ino = statSync(file).ino;
      expect(messages(await logs.send(new FilterLogEventsCommand({ logGroupName: GROUP })))).toEqual(['x']);
      expect([statSync(file).ino, statSync(file).mtimeMs]).toEqual([ino, written]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('CloudWatch Logs authorization and errors', () => {
  let server: Server;
  let endpoint = '';
  let reply = { status: 400, body: '' };
  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(reply.status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'wire-request-id' });
        res.end(reply.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const wireClient = () => new CloudWatchLogsClient({ region: 'us-east-1', endpoint, maxAttempts: 1, credentials: { accessKeyId: 'AKIAWIRE', secretAccessKey: 'wire' } });

  function observable(error: Error & Record<string, unknown>) {
    const { $metadata, $response, stack, ...rest } = error as Record<string, unknown>;
    void $response;
    void stack;
    const meta = $metadata as { httpStatusCode?: number; requestId?: string };
    return { class: error.constructor.name, name: error.name, message: error.message, status: meta.httpStatusCode, hasRequestId: typeof meta.requestId === 'string', ...rest };
  }

  async function compare(ours: Promise<unknown>, wire: () => Promise<unknown>, type: string) {
    const mine = observable(await caught(ours));
    reply = { status: 400, body: JSON.stringify({ __type: type, message: mine.message }) };
    expect(mine).toEqual(observable(await caught(wire())));
    return mine;
  }

  it('ResourceAlreadyExistsException and ResourceNotFoundException are the deserializer’s own', async () => {
    const logs = logsFor(frozenSandbox());
    const create = new CreateLogGroupCommand({ logGroupName: GROUP });
    await logs.send(create);
    expect((await compare(logs.send(create), () => wireClient().send(create), 'ResourceAlreadyExistsException')).class).toBe('ResourceAlreadyExistsException');
    const remove = new DeleteLogGroupCommand({ logGroupName: '/nope' });
    expect((await compare(logs.send(remove), () => wireClient().send(remove), 'ResourceNotFoundException')).class).toBe('ResourceNotFoundException');
  });

  it('AccessDeniedException names the action and the log group resource as CloudWatch Logs does', async () => {
    const sandbox = frozenSandbox();
    const { alice } = await bootstrapAccount(sandbox);
    const command = new CreateLogGroupCommand({ logGroupName: GROUP });
    const mine = await compare(logsFor(sandbox, alice).send(command), () => wireClient().send(command), 'AccessDeniedException');
    expect(mine.class).toBe('AccessDeniedException');
    expect(mine.message).toContain(`is not authorized to perform: logs:CreateLogGroup on resource: arn:aws:logs:us-east-1:${sandbox.accountId}:log-group:${GROUP}:log-stream: `);
    expect(classifyAwsError(await caught(logsFor(sandbox, alice).send(command)))).toBe('access-denied');
  });
});
