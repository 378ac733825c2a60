import { EC2ServiceException, type Filter, type TagSpecification } from '@aws-sdk/client-ec2';
import { fault, toSdkError, type ExceptionTable, type SandboxFault } from '../errors.js';
import { op, type CallContext, type Operation } from '../operation.js';
import type { Tag } from '../state.js';

/** EC2's model names no errors: every code arrives as an EC2ServiceException named by the code. */
const exceptions: ExceptionTable = { base: EC2ServiceException, modeled: {}, senderType: false };

/** EC2 words credential failures its own way. */
const AUTH_FAULTS: Record<string, () => SandboxFault> = {
  InvalidClientTokenId: () => fault('AuthFailure', 'AWS was not able to validate the provided access credentials', 401),
  SignatureDoesNotMatch: () => fault('AuthFailure', 'AWS was not able to validate the provided access credentials', 401),
  ExpiredToken: () => fault('RequestExpired', 'Request has expired.', 400),
};

export const toEc2Error = (f: SandboxFault, requestId: string) => toSdkError(AUTH_FAULTS[f.code]?.() ?? f, exceptions, requestId);

export const invalidFilter = (name: string | undefined) => fault('InvalidParameterValue', `The filter '${name}' is invalid`, 400);

/** Handles DryRun as EC2 does: authorization happened already, so it "would have succeeded". */
export function ec2op<I extends { DryRun?: boolean }, O>(run: (input: I, ctx: CallContext) => O): Operation {
  return op<I, O>({
    run: (input, ctx) => {
      if (input.DryRun) throw fault('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412);
      return run(input, ctx);
    },
  });
}

export function tagsFor(specs: TagSpecification[] | undefined, resourceType: string): Tag[] {
  return (specs ?? []).filter((s) => s.ResourceType === resourceType).flatMap((s) => (s.Tags ?? []).map((t) => ({ Key: t.Key ?? '', Value: t.Value ?? '' })));
}

/** The tag filters every EC2 Describe call understands; undefined when the filter is not a tag filter. */
export function tagFilter(tags: Tag[], filter: Filter): boolean | undefined {
  const values = filter.Values ?? [];
  const name = filter.Name ?? '';
  if (name === 'tag-key') return tags.some((t) => values.includes(t.Key));
  if (name === 'tag-value') return tags.some((t) => values.includes(t.Value));
  if (name.startsWith('tag:')) return tags.some((t) => t.Key === name.slice(4) && values.some((v) => wildcard(v, t.Value)));
  return undefined;
}

/** EC2 filter values take `*` and `?` wildcards. */
export function wildcard(pattern: string, value: string): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`).test(value);
}

/** Whether any of a filter's values matches one of the resource's values for that field. */
export const anyMatch = (filter: Filter, actual: (string | undefined)[]) => (filter.Values ?? []).some((v) => actual.some((a) => a !== undefined && wildcard(v, a)));
