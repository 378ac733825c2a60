import { fault } from '../errors.js';
import type { CallContext } from '../operation.js';
import type { LogGroup, LogStream, LogsState, SandboxState } from '../state.js';

export const invalidParameter = (message: string) => fault('InvalidParameterException', message);
export const groupNotFound = () => fault('ResourceNotFoundException', 'The specified log group does not exist.');
export const streamNotFound = () => fault('ResourceNotFoundException', 'The specified log stream does not exist.');

/** The wording of AWS's request validation, which CloudWatch Logs answers as InvalidParameterException. */
export function constraint(member: string, value: unknown, rule: string) {
  return invalidParameter(`1 validation error detected: Value '${value === undefined ? 'null' : value}' at '${member}' failed to satisfy constraint: ${rule}`);
}

const GROUP_NAME = /^[.\-_/#A-Za-z0-9]+$/;
const STREAM_NAME = /^[^:*]*$/;

export function checkGroupName(name: string | undefined, member = 'logGroupName'): string {
  if (!name) throw constraint(member, name, 'Member must not be null');
  if (name.length > 512) throw constraint(member, name, 'Member must have length less than or equal to 512');
  if (!GROUP_NAME.test(name)) throw constraint(member, name, 'Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+');
  return name;
}

export function checkStreamName(name: string | undefined): string {
  if (!name) throw constraint('logStreamName', name, 'Member must not be null');
  if (name.length > 512) throw constraint('logStreamName', name, 'Member must have length less than or equal to 512');
  if (!STREAM_NAME.test(name)) throw constraint('logStreamName', name, 'Member must satisfy regular expression pattern: [^:*]*');
  return name;
}

const NO_LOGS: LogsState = Object.freeze({ groups: Object.freeze({}) }) as LogsState;

/** Read-only calls work on the live state and must not add to it. */
export function logsOf(state: SandboxState): LogsState {
  return state.logs ?? NO_LOGS;
}

export function groupsIn(ctx: CallContext): Record<string, LogGroup> {
  return logsOf(ctx.state).groups[ctx.region] ?? {};
}

export function groupsForUpdate(ctx: CallContext): Record<string, LogGroup> {
  const logs = (ctx.state.logs ??= { groups: {} });
  return (logs.groups[ctx.region] ??= {});
}

/** The ARN as `logGroupArn` and TagResource give it (DescribeLogGroups' `arn` adds ":*"). */
export function groupArn(ctx: CallContext, name: string): string {
  return `arn:aws:logs:${ctx.region}:${ctx.state.accountId}:log-group:${name}`;
}

/**
 * The resource IAM sees: CloudWatch Logs authorizes group-level calls against the group's stream ARN
 * with an empty stream name, which is why policies say `log-group:<name>:*`.
 */
export function streamResource(ctx: CallContext, group: string | undefined, stream = ''): string {
  return `${groupArn(ctx, group ?? '')}:log-stream:${stream}`;
}

/** A group named by `logGroupName` or by `logGroupIdentifier` (its name or ARN, with or without ":*"). */
export function groupNameOf(input: { logGroupName?: string; logGroupIdentifier?: string }): string | undefined {
  if (input.logGroupName && input.logGroupIdentifier) throw invalidParameter('LogGroup name and LogGroup ARN are mutually exclusive parameters.');
  const id = input.logGroupIdentifier;
  if (id?.startsWith('arn:')) return /^arn:[^:]+:logs:[^:]*:\d*:log-group:([^:]+)(:\*)?$/.exec(id)?.[1] ?? id;
  return input.logGroupName ?? id;
}

export function requireGroup(ctx: CallContext, name: string | undefined, forUpdate = false): LogGroup {
  const group = (forUpdate ? groupsForUpdate(ctx) : groupsIn(ctx))[checkGroupName(name)];
  if (!group) throw groupNotFound();
  return group;
}

export function requireStream(group: LogGroup, name: string | undefined): LogStream {
  const stream = group.streams[checkStreamName(name)];
  if (!stream) throw streamNotFound();
  return stream;
}

/** A stream's events in time order (ECS appends them as containers print; PutLogEvents may interleave). */
export function eventsInOrder(stream: LogStream): LogStream['events'] {
  return stream.events.map((e, i) => ({ e, i })).sort((a, b) => a.e.timestamp - b.e.timestamp || a.i - b.i).map(({ e }) => e);
}

/** One page of a listing: `nextToken` is an opaque offset, `limit` 1–max. */
export function page<T>(items: T[], input: { nextToken?: string; limit?: number }, max = 50): { items: T[]; nextToken?: string } {
  const size = input.limit ?? max;
  if (!Number.isInteger(size) || size < 1 || size > max) throw constraint('limit', size, `Member must have value ${size < 1 ? 'greater than or equal to 1' : `less than or equal to ${max}`}`);
  let start = 0;
  if (input.nextToken !== undefined) {
    const decoded = /^o:(\d+)$/.exec(Buffer.from(input.nextToken, 'base64url').toString('utf8'));
    if (!decoded) throw invalidParameter('The specified nextToken is invalid.');
    start = Number(decoded[1]);
  }
  const end = start + size;
  return { items: items.slice(start, end), ...(end < items.length ? { nextToken: Buffer.from(`o:${end}`).toString('base64url') } : {}) };
}
