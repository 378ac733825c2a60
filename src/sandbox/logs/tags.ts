import type {
  ListTagsForResourceRequest,
  ListTagsForResourceResponse,
  ListTagsLogGroupRequest,
  ListTagsLogGroupResponse,
  TagLogGroupRequest,
  TagResourceRequest,
  UntagLogGroupRequest,
  UntagResourceRequest,
} from '@aws-sdk/client-cloudwatch-logs';
import { fault, SandboxUnsupportedError } from '../errors.js';
import { op, type CallContext, type Operation, type Out } from '../operation.js';
import type { LogGroup } from '../state.js';
import { constraint, groupNotFound, invalidParameter, requireGroup, streamResource } from './common.js';

const MAX_TAGS = 50;
const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** Tags as CloudWatch Logs checks them: the tag syntax of AWS, no `aws:` keys. */
export function checkTags(tags: Record<string, string> | undefined): Record<string, string> {
  const checked = { ...(tags ?? {}) };
  for (const [key, value] of Object.entries(checked)) {
    if (key.length < 1 || key.length > 128 || !TAG_KEY.test(key)) throw constraint('tags', key, 'Map keys must satisfy constraints: [Member must satisfy regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+)$]');
    if (key.toLowerCase().startsWith('aws:')) throw invalidParameter('Tag keys prefixed with aws: are reserved.');
    if (value.length > 256 || !TAG_VALUE.test(value)) throw constraint('tags', value, 'Map value must satisfy constraint: [Member must satisfy regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$]');
  }
  return checked;
}

function addTags(group: LogGroup, tags: Record<string, string> | undefined): void {
  const merged = { ...group.tags, ...checkTags(tags) };
  if (Object.keys(merged).length > MAX_TAGS) throw fault('TooManyTagsException', `A resource can have no more than ${MAX_TAGS} tags.`);
  group.tags = merged;
}

function removeTags(group: LogGroup, keys: string[] | undefined): void {
  group.tags = Object.fromEntries(Object.entries(group.tags).filter(([key]) => !(keys ?? []).includes(key)));
}

/** The log group a resource ARN names; other kinds of Logs resource are not simulated. */
function groupNameFromArn(ctx: CallContext, arn: string | undefined): string {
  const match = /^arn:aws:logs:([^:]*):(\d*):log-group:([^:]+)(:\*)?$/.exec(arn ?? '');
  if (!match) {
    if (/^arn:aws:logs:[^:]*:\d*:(destination|delivery|anomaly-detector)/.test(arn ?? '')) throw new SandboxUnsupportedError(`the sandbox does not simulate tags on ${arn} yet (log groups only)`);
    throw invalidParameter(`Invalid resource ARN: ${arn}`);
  }
  if (match[1] !== ctx.region || match[2] !== ctx.state.accountId) throw groupNotFound();
  return match[3]!;
}

const arnResource = (ctx: CallContext, arn: string | undefined) => {
  const name = /:log-group:([^:]+)/.exec(arn ?? '')?.[1];
  return name ? streamResource(ctx, name) : (arn ?? '*');
};

export const tagOperations: Record<string, Operation> = {
  TagResource: op<TagResourceRequest, object>({
    resource: (input, ctx) => arnResource(ctx, input.resourceArn),
    run: (input, ctx) => {
      addTags(requireGroup(ctx, groupNameFromArn(ctx, input.resourceArn), true), input.tags);
      return {};
    },
  }),

  UntagResource: op<UntagResourceRequest, object>({
    resource: (input, ctx) => arnResource(ctx, input.resourceArn),
    run: (input, ctx) => {
      removeTags(requireGroup(ctx, groupNameFromArn(ctx, input.resourceArn), true), input.tagKeys);
      return {};
    },
  }),

  ListTagsForResource: op<ListTagsForResourceRequest, Out<ListTagsForResourceResponse>>({
    resource: (input, ctx) => arnResource(ctx, input.resourceArn),
    run: (input, ctx) => ({ tags: { ...requireGroup(ctx, groupNameFromArn(ctx, input.resourceArn)).tags } }),
  }),

  // The older, name-based forms (deprecated by AWS, still answered).
  TagLogGroup: op<TagLogGroupRequest, object>({
    resource: (input, ctx) => streamResource(ctx, input.logGroupName),
    run: (input, ctx) => {
      addTags(requireGroup(ctx, input.logGroupName, true), input.tags);
      return {};
    },
  }),

  UntagLogGroup: op<UntagLogGroupRequest, object>({
    resource: (input, ctx) => streamResource(ctx, input.logGroupName),
    run: (input, ctx) => {
      removeTags(requireGroup(ctx, input.logGroupName, true), input.tags);
      return {};
    },
  }),

  ListTagsLogGroup: op<ListTagsLogGroupRequest, Out<ListTagsLogGroupResponse>>({
    resource: (input, ctx) => streamResource(ctx, input.logGroupName),
    run: (input, ctx) => ({ tags: { ...requireGroup(ctx, input.logGroupName).tags } }),
  }),
};
