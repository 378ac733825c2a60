import type { CreateTagsRequest, DeleteTagsRequest } from '@aws-sdk/client-ec2';
import { fault, SandboxUnsupportedError } from '../errors.js';
import type { CallContext, Operation } from '../operation.js';
import type { Tag } from '../state.js';
import { ec2op } from './common.js';
import { keyPairsIn } from './key-pairs.js';
import { requireGroup, securityGroupsForUpdate } from './security-groups.js';

const MAX_TAGS = 50;

/** The tag list of a resource the sandbox stores, by id (security groups and key pairs). */
function tagsOf(ctx: CallContext, id: string): { tags: Tag[]; set(tags: Tag[]): void } {
  if (id.startsWith('sg-')) {
    const group = requireGroup(securityGroupsForUpdate(ctx), id);
    return { tags: group.tags, set: (tags) => (group.tags = tags) };
  }
  if (id.startsWith('key-')) {
    const pair = Object.values(keyPairsIn(ctx)).find((p) => p.id === id);
    if (!pair) throw fault('InvalidKeyPair.NotFound', `The key pair ID '${id}' does not exist`, 400);
    return { tags: pair.tags, set: (tags) => (pair.tags = tags) };
  }
  throw new SandboxUnsupportedError(`the sandbox does not simulate EC2 tags on ${id} yet (security groups and key pairs only)`);
}

function checkKey(key: string | undefined): string {
  if (!key) throw fault('InvalidParameterValue', 'Tag key must not be empty', 400);
  if (key.toLowerCase().startsWith('aws:')) throw fault('InvalidParameterValue', `Value (${key}) for parameter key is invalid. Tag keys starting with 'aws:' are reserved for internal use`, 400);
  if (key.length > 128) throw fault('InvalidParameterValue', `Value (${key}) for parameter key is invalid. Tag key exceeds the maximum length of 128 characters`, 400);
  return key;
}

export const tagOperations: Record<string, Operation> = {
  CreateTags: ec2op<CreateTagsRequest, object>((input, ctx) => {
    if (!input.Resources?.length) throw fault('MissingParameter', 'The request must contain the parameter resourceIdSet', 400);
    for (const id of input.Resources) {
      const resource = tagsOf(ctx, id);
      const merged = new Map(resource.tags.map((t) => [t.Key, t.Value]));
      for (const tag of input.Tags ?? []) merged.set(checkKey(tag.Key), tag.Value ?? '');
      if (merged.size > MAX_TAGS) throw fault('TagLimitExceeded', `The maximum number of Tags for a resource has been reached.`, 400);
      resource.set([...merged].map(([Key, Value]) => ({ Key, Value })));
    }
    return {};
  }),

  // Tags given without a value delete the key whatever its value; with a value, only if it matches.
  DeleteTags: ec2op<DeleteTagsRequest, object>((input, ctx) => {
    if (!input.Resources?.length) throw fault('MissingParameter', 'The request must contain the parameter resourceIdSet', 400);
    for (const id of input.Resources) {
      const resource = tagsOf(ctx, id);
      const doomed = input.Tags;
      resource.set(doomed === undefined ? [] : resource.tags.filter((t) => !doomed.some((d) => d.Key === t.Key && (d.Value === undefined || d.Value === t.Value))));
    }
    return {};
  }),
};
