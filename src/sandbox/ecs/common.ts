import type { Tag as SdkTag } from '@aws-sdk/client-ecs';
import { fault } from '../errors.js';
import type { IdSource } from '../ids.js';
import type { CallContext } from '../operation.js';
import type { SandboxState, Tag } from '../state.js';
import type { EcsCluster, EcsService, EcsState, EcsTask, EcsTaskDefinition } from './state.js';

// ECS's own messages for its common errors.
export const clientError = (message: string) => fault('ClientException', message);
export const invalidParameter = (message: string) => fault('InvalidParameterException', message);
export const clusterNotFound = () => fault('ClusterNotFoundException', 'Cluster not found.');
export const serviceNotFound = () => fault('ServiceNotFoundException', 'Service not found.');
export const serviceNotActive = () => fault('ServiceNotActiveException', 'Service was not ACTIVE.');

/** The ECS slice with every collection present (what the simulation and mutating calls work on). */
export type EcsData = EcsState & Required<Pick<EcsState, 'clusters' | 'taskDefinitions' | 'services' | 'tasks' | 'express'>>;

/** The account's ECS for a mutating call or the simulation: created (or completed) on first use. */
export function ecsForUpdate(state: SandboxState): EcsData {
  const ecs = (state.ecs ??= {});
  ecs.clusters ??= {};
  ecs.taskDefinitions ??= {};
  ecs.services ??= {};
  ecs.tasks ??= {};
  ecs.express ??= {};
  return ecs as EcsData;
}

/** The account's ECS for reading: read-only calls work on the live state and must not add to it. */
export function ecsOf(state: SandboxState): EcsData {
  const ecs = state.ecs ?? {};
  return { ...ecs, clusters: ecs.clusters ?? {}, taskDefinitions: ecs.taskDefinitions ?? {}, services: ecs.services ?? {}, tasks: ecs.tasks ?? {}, express: ecs.express ?? {} };
}

/** Milliseconds one task lifecycle phase takes; never 0, so a crash loop cannot spin in one instant. */
export function phaseMs(state: SandboxState): number {
  return Math.max(1, Math.round((state.ecs?.taskPhaseSeconds ?? 2) * 1000));
}

export const ecsArn = (ctx: Pick<CallContext, 'state' | 'region'>, resource: string) => `arn:aws:ecs:${ctx.region}:${ctx.state.accountId}:${resource}`;

/** The last path part of a name-or-ARN parameter (`arn:…:cluster/x` and `x` both name cluster x). */
function shortName(value: string, kind: string): string {
  const match = new RegExp(`^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\\d{12}:${kind}/(.+)$`).exec(value);
  return match ? match[1]! : value;
}

/** The cluster a call names (default "default"), ACTIVE or not. */
export function findCluster(ctx: CallContext, value: string | undefined): EcsCluster | undefined {
  return ecsOf(ctx.state).clusters[ctx.region]?.[shortName(value ?? 'default', 'cluster')];
}

/** The ACTIVE cluster a call names, or ClusterNotFoundException. */
export function requireCluster(ctx: CallContext, value: string | undefined): EcsCluster {
  const cluster = findCluster(ctx, value);
  if (!cluster || cluster.status !== 'ACTIVE') throw clusterNotFound();
  return cluster;
}

export function serviceKey(cluster: string, service: string): string {
  return `${cluster}/${service}`;
}

/** A service named by name or by ARN (`service/<cluster>/<name>`, or the older `service/<name>`). */
export function findService(ctx: CallContext, cluster: EcsCluster, value: string | undefined): EcsService | undefined {
  const name = (value ?? '').replace(/^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:service\/(?:[^/]+\/)?/, '');
  return ecsOf(ctx.state).services[ctx.region]?.[serviceKey(cluster.name, name)];
}

/** Task definitions are named by `family`, `family:revision` or ARN. */
export function parseTaskDefinitionRef(value: string): { family: string; revision?: number } {
  const bare = value.replace(/^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\//, '');
  const match = /^([A-Za-z0-9_-]+)(?::(\d+))?$/.exec(bare);
  if (!match) return { family: bare, revision: -1 };
  return { family: match[1]!, ...(match[2] !== undefined ? { revision: Number(match[2]) } : {}) };
}

/** The revision a reference names: a bare family means its latest ACTIVE revision. */
export function findTaskDefinition(state: SandboxState, region: string, value: string | undefined): EcsTaskDefinition | undefined {
  if (!value) return undefined;
  const { family, revision } = parseTaskDefinitionRef(value);
  const revisions = ecsOf(state).taskDefinitions[region]?.[family] ?? [];
  if (revision === undefined) return [...revisions].reverse().find((r) => r.status === 'ACTIVE');
  return revisions[revision - 1];
}

export function findTask(ctx: CallContext, cluster: EcsCluster, value: string): EcsTask | undefined {
  const id = value.replace(/^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task\/(?:[^/]+\/)?/, '');
  const task = ecsOf(ctx.state).tasks[ctx.region]?.[id];
  return task?.cluster === cluster.name ? task : undefined;
}

/** ECS tag rules: 1–128 character keys, values up to 256, at most 50, no `aws:` prefix. */
export function checkTags(tags: SdkTag[] | undefined): Tag[] {
  const checked = (tags ?? []).map((t) => ({ Key: t.key ?? '', Value: t.value ?? '' }));
  for (const tag of checked) {
    if (tag.Key.length < 1 || tag.Key.length > 128) throw invalidParameter('Tag keys must be between 1 and 128 characters.');
    if (tag.Value.length > 256) throw invalidParameter('Tag values must be at most 256 characters.');
    if (tag.Key.toLowerCase().startsWith('aws:')) throw invalidParameter('Tag keys must not begin with aws:.');
  }
  if (checked.length > 50) throw invalidParameter('The number of tags must not exceed 50.');
  return checked;
}

export const toSdkTags = (tags: Tag[]): SdkTag[] => tags.map((t) => ({ key: t.Key, value: t.Value }));

export function mergeTags(existing: Tag[], added: Tag[]): Tag[] {
  const merged = new Map(existing.map((t) => [t.Key, t.Value]));
  for (const tag of added) merged.set(tag.Key, tag.Value);
  if (merged.size > 50) throw invalidParameter('The number of tags must not exceed 50.');
  return [...merged].map(([Key, Value]) => ({ Key, Value }));
}

/** One page of a listing: `nextToken` is an opaque offset, `maxResults` 1–`limit` (default `size`). */
export function page<T>(items: T[], input: { nextToken?: string; maxResults?: number }, limit = 100, size = limit): { items: T[]; nextToken?: string } {
  size = input.maxResults ?? size;
  if (!Number.isInteger(size) || size < 1 || size > limit) throw invalidParameter(`maxResults must be between 1 and ${limit}.`);
  let start = 0;
  if (input.nextToken !== undefined) {
    const decoded = /^o:(\d+)$/.exec(Buffer.from(input.nextToken, 'base64url').toString('utf8'));
    if (!decoded) throw invalidParameter('Invalid token');
    start = Number(decoded[1]);
  }
  const end = start + size;
  return { items: items.slice(start, end), ...(end < items.length ? { nextToken: Buffer.from(`o:${end}`).toString('base64url') } : {}) };
}

// Identifiers in ECS's formats, from the sandbox's IdSource (reproducible when seeded).

export const taskId = (ids: IdSource) => ids.bytes(16).toString('hex');

export function digits(ids: IdSource, count: number): string {
  const out = [...ids.bytes(count)].map((b) => String(b % 10));
  if (out[0] === '0') out[0] = '1';
  return out.join('');
}

export function uuid(ids: IdSource): string {
  const hex = ids.bytes(16).toString('hex').split('');
  hex[12] = '4';
  hex[16] = '89ab'[parseInt(hex[16]!, 16) % 4]!;
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const alnum = (ids: IdSource, count: number) => [...ids.bytes(count)].map((b) => ALNUM[b % ALNUM.length]).join('');

/** Stable JSON (sorted keys) of a request, for idempotency checks. */
export function requestHash(value: unknown): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sort) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).filter(([, m]) => m !== undefined).sort(([a], [b]) => a.localeCompare(b)).map(([k, m]) => [k, sort(m)])) : v;
  return JSON.stringify(sort(value));
}
