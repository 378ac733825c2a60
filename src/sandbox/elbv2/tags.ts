import type { AddTagsInput, DescribeTagsInput, DescribeTagsOutput, RemoveTagsInput } from '@aws-sdk/client-elastic-load-balancing-v2';
import { op, validationError, type CallContext, type Operation, type Out } from '../operation.js';
import type { Tag } from '../state.js';
import { mergeTags, regional, requireListener, requireLoadBalancer, requireTargetGroup, tagsOut } from './common.js';

/** The tagged resource an ARN names: a load balancer, target group or listener, each with its own "not found". */
function tagged(ctx: CallContext, arn: string, forUpdate = false): { tags: Tag[] } {
  const r = regional(ctx, forUpdate);
  if (arn.includes(':targetgroup/')) return requireTargetGroup(r, arn);
  if (arn.includes(':listener/')) return requireListener(r, arn);
  return requireLoadBalancer(r, arn);
}

function arnsOf(input: { ResourceArns?: string[] }): string[] {
  if (!input.ResourceArns?.length) throw validationError("1 validation error detected: Value null at 'resourceArns' failed to satisfy constraint: Member must not be null");
  return input.ResourceArns;
}

export const tagOperations: Record<string, Operation> = {
  AddTags: op<AddTagsInput, object>({
    resource: (input) => input.ResourceArns?.[0] ?? '*',
    run: (input, ctx) => {
      for (const arn of arnsOf(input)) {
        const resource = tagged(ctx, arn, true);
        resource.tags = mergeTags(resource.tags, input.Tags);
      }
      return {};
    },
  }),

  RemoveTags: op<RemoveTagsInput, object>({
    resource: (input) => input.ResourceArns?.[0] ?? '*',
    run: (input, ctx) => {
      for (const arn of arnsOf(input)) {
        const resource = tagged(ctx, arn, true);
        resource.tags = resource.tags.filter((t) => !(input.TagKeys ?? []).includes(t.Key));
      }
      return {};
    },
  }),

  DescribeTags: op<DescribeTagsInput, Out<DescribeTagsOutput>>({
    run: (input, ctx) => ({ TagDescriptions: arnsOf(input).map((arn) => ({ ResourceArn: arn, Tags: tagsOut(tagged(ctx, arn).tags) })) }),
  }),
};
