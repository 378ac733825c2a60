import type { Tag as SdkTag } from '@aws-sdk/client-elastic-load-balancing-v2';
import { fault } from '../errors.js';
import { validationError, type CallContext } from '../operation.js';
import type { Elbv2Listener, Elbv2LoadBalancer, Elbv2State, Elbv2TargetGroup, SandboxState, Tag } from '../state.js';

export const loadBalancerNotFound = (names?: string[]) =>
  fault('LoadBalancerNotFound', names?.length ? `Load balancers '[${names.join(', ')}]' not found` : 'One or more load balancers not found');
export const targetGroupNotFound = (names?: string[]) =>
  fault('TargetGroupNotFound', names?.length ? `Target groups '[${names.join(', ')}]' not found` : 'One or more target groups not found');
export const listenerNotFound = () => fault('ListenerNotFound', 'One or more listeners not found');

const NO_ELBV2: Elbv2State = Object.freeze({ loadBalancers: Object.freeze({}), targetGroups: Object.freeze({}), listeners: Object.freeze({}) }) as Elbv2State;

/** Read-only calls work on the live state and must not add to it. */
export function elbv2Of(state: SandboxState): Elbv2State {
  return state.elbv2 ?? NO_ELBV2;
}

export interface Regional {
  loadBalancers: Record<string, Elbv2LoadBalancer>;
  targetGroups: Record<string, Elbv2TargetGroup>;
  listeners: Record<string, Elbv2Listener>;
}

/** The region's resources by ARN; `forUpdate` creates the ELBv2 part of an older sandbox. */
export function regional(ctx: CallContext, forUpdate = false): Regional {
  if (!forUpdate) {
    const elbv2 = elbv2Of(ctx.state);
    return { loadBalancers: elbv2.loadBalancers[ctx.region] ?? {}, targetGroups: elbv2.targetGroups[ctx.region] ?? {}, listeners: elbv2.listeners[ctx.region] ?? {} };
  }
  const elbv2 = (ctx.state.elbv2 ??= { loadBalancers: {}, targetGroups: {}, listeners: {} });
  return {
    loadBalancers: (elbv2.loadBalancers[ctx.region] ??= {}),
    targetGroups: (elbv2.targetGroups[ctx.region] ??= {}),
    listeners: (elbv2.listeners[ctx.region] ??= {}),
  };
}

export function requireLoadBalancer(r: Regional, arn: string | undefined): Elbv2LoadBalancer {
  const lb = arn ? r.loadBalancers[arn] : undefined;
  if (!lb) throw loadBalancerNotFound();
  return lb;
}

export function requireTargetGroup(r: Regional, arn: string | undefined): Elbv2TargetGroup {
  const tg = arn ? r.targetGroups[arn] : undefined;
  if (!tg) throw targetGroupNotFound();
  return tg;
}

export function requireListener(r: Regional, arn: string | undefined): Elbv2Listener {
  const listener = arn ? r.listeners[arn] : undefined;
  if (!listener) throw listenerNotFound();
  return listener;
}

/** The 16 hex digits ELBv2 puts at the end of its ARNs. */
export const resourceId = (ctx: CallContext) => ctx.ids.bytes(8).toString('hex');

export function elbArn(ctx: CallContext, resource: string): string {
  return `arn:aws:elasticloadbalancing:${ctx.region}:${ctx.state.accountId}:${resource}`;
}

/** Load balancer and target group names: 1–32 letters, digits and hyphens, no hyphen at either end. */
export function checkName(name: string | undefined, kind: 'load balancer' | 'target group'): string {
  if (!name) throw validationError(`1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null`);
  if (name.length > 32) throw validationError(`The ${kind} name '${name}' cannot be longer than '32' characters`);
  if (!/^[a-zA-Z0-9-]+$/.test(name)) throw validationError(`The ${kind} name '${name}' can only contain characters that are alphanumeric characters or hyphens(-)`);
  if (name.startsWith('-') || name.endsWith('-')) throw validationError(`The ${kind} name '${name}' cannot begin or end with a hyphen`);
  if (kind === 'load balancer' && name.toLowerCase().startsWith('internal-')) throw validationError(`The load balancer name '${name}' cannot begin with 'internal-'`);
  return name;
}

const MAX_TAGS = 50;

/** Tags as ELBv2 takes them: a key once per request, `aws:` reserved, at most 50 on a resource. */
export function mergeTags(existing: Tag[], added: SdkTag[] | undefined): Tag[] {
  const keys = (added ?? []).map((t) => t.Key ?? '');
  const repeated = keys.find((k, i) => keys.indexOf(k) !== i);
  if (repeated !== undefined) throw fault('DuplicateTagKeys', `Tag key '${repeated}' specified more than once`);
  const merged = new Map(existing.map((t) => [t.Key, t.Value]));
  for (const tag of added ?? []) {
    if (!tag.Key) throw validationError("1 validation error detected: Value null at 'tags.member.key' failed to satisfy constraint: Member must not be null");
    if (tag.Key.toLowerCase().startsWith('aws:')) throw validationError(`Tag key '${tag.Key}' cannot start with 'aws:'`);
    merged.set(tag.Key, tag.Value ?? '');
  }
  if (merged.size > MAX_TAGS) throw fault('TooManyTags', `The quota for the number of tags that can be assigned to a load balancer has been reached`);
  return [...merged].map(([Key, Value]) => ({ Key, Value }));
}

export const tagsOut = (tags: Tag[]) => tags.map((t) => ({ ...t }));
