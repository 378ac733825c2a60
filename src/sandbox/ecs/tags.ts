import type {
  ListTagsForResourceRequest,
  ListTagsForResourceResponse,
  TagResourceRequest,
  TagResourceResponse,
  UntagResourceRequest,
  UntagResourceResponse,
} from '@aws-sdk/client-ecs';
import { op, type CallContext, type Operation, type Out } from '../operation.js';
import type { Tag } from '../state.js';
import { checkTags, clusterNotFound, ecsForUpdate, ecsOf, findTaskDefinition, invalidParameter, mergeTags, toSdkTags } from './common.js';

/** The tag list of the resource an ARN names (cluster, service, Express service, task, task definition). */
function taggable(ctx: CallContext, arn: string | undefined, forUpdate: boolean): { tags: Tag[] } {
  const match = /^arn:aws[a-z-]*:ecs:([a-z0-9-]+):(\d{12}):([a-z-]+)\/(.+)$/.exec(arn ?? '');
  if (!match || match[1] !== ctx.region || match[2] !== ctx.state.accountId) throw invalidParameter('The ARN provided is invalid.');
  const [, , , kind, path] = match as unknown as [string, string, string, string, string];
  const ecs = forUpdate ? ecsForUpdate(ctx.state) : ecsOf(ctx.state);
  let found: { tags: Tag[] } | undefined;
  if (kind === 'cluster') {
    found = ecs.clusters[ctx.region]?.[path];
    if (!found || ecs.clusters[ctx.region]?.[path]?.status !== 'ACTIVE') throw clusterNotFound();
  } else if (kind === 'service') {
    found = ecs.services[ctx.region]?.[path] ?? ecs.express[ctx.region]?.[arn!];
  } else if (kind === 'task') {
    const task = ecs.tasks[ctx.region]?.[path.split('/').pop()!];
    found = task;
  } else if (kind === 'task-definition') {
    found = findTaskDefinition(ctx.state, ctx.region, arn);
  }
  if (!found) throw invalidParameter('The specified resource could not be found.');
  return found;
}

export const tagOperations: Record<string, Operation> = {
  TagResource: op<TagResourceRequest, Out<TagResourceResponse>>({
    resource: (input) => input.resourceArn ?? '*',
    run: (input, ctx) => {
      const resource = taggable(ctx, input.resourceArn, true);
      resource.tags = mergeTags(resource.tags, checkTags(input.tags));
      return {};
    },
  }),

  UntagResource: op<UntagResourceRequest, Out<UntagResourceResponse>>({
    resource: (input) => input.resourceArn ?? '*',
    run: (input, ctx) => {
      const resource = taggable(ctx, input.resourceArn, true);
      resource.tags = resource.tags.filter((t) => !(input.tagKeys ?? []).includes(t.Key));
      return {};
    },
  }),

  ListTagsForResource: op<ListTagsForResourceRequest, Out<ListTagsForResourceResponse>>({
    resource: (input) => input.resourceArn ?? '*',
    run: (input, ctx) => ({ tags: toSdkTags(taggable(ctx, input.resourceArn, false).tags) }),
  }),
};
