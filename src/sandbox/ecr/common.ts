import type { Repository, Tag as SdkTag } from '@aws-sdk/client-ecr';
import { fault } from '../errors.js';
import type { CallContext } from '../operation.js';
import type { EcrRepository, EcrState, SandboxRegistry, SandboxState, Tag } from '../state.js';

/** ECR's own validation answers InvalidParameterException, in this wording. */
export const invalidParameter = (member: string, constraint: string) =>
  fault('InvalidParameterException', `Invalid parameter at '${member}' failed to satisfy constraint: '${constraint}'`);

export const repositoryNotFound = (name: string, registryId: string) =>
  fault('RepositoryNotFoundException', `The repository with name '${name}' does not exist in the registry with id '${registryId}'`);

/** ECR's name rule, as its error message quotes it. */
export const REPOSITORY_NAME_PATTERN = '(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*';
const REPOSITORY_NAME = new RegExp(`^${REPOSITORY_NAME_PATTERN}$`);

export function repositoryName(value: string | undefined): string {
  if (value === undefined || value === null) throw invalidParameter('repositoryName', 'Member must not be null');
  if (value.length < 2) throw invalidParameter('repositoryName', 'Member must have length greater than or equal to 2');
  if (value.length > 256) throw invalidParameter('repositoryName', 'Member must have length less than or equal to 256');
  if (!REPOSITORY_NAME.test(value)) throw invalidParameter('repositoryName', `must satisfy regular expression '${REPOSITORY_NAME_PATTERN}'`);
  return value;
}

const NO_ECR: EcrState = Object.freeze({ repositories: Object.freeze({}) }) as EcrState;

/** The account's ECR for reading: read-only calls work on the live state and must not add to it. */
export function ecrOf(state: SandboxState): EcrState {
  return state.ecr ?? NO_ECR;
}

export function registryOf(state: SandboxState): SandboxRegistry | undefined {
  return state.ecr?.registry;
}

/** The region's repositories for a mutating call (creates the ECR part of an older sandbox). */
export function repositoriesForUpdate(ctx: CallContext): Record<string, EcrRepository> {
  const ecr = (ctx.state.ecr ??= { repositories: {} });
  return (ecr.repositories[ctx.region] ??= {});
}

export function repositoriesIn(ctx: CallContext): Record<string, EcrRepository> {
  return ecrOf(ctx.state).repositories[ctx.region] ?? {};
}

/**
 * The repository a call names, in this account and region. A registryId other than the account's is
 * another account's registry, which the sandbox does not have: ECR answers "not found" there too.
 */
export function requireRepository(ctx: CallContext, name: string | undefined, registryId?: string, forUpdate = false): EcrRepository {
  const checked = repositoryName(name);
  const id = registryId ?? ctx.state.accountId;
  const repository = id === ctx.state.accountId ? (forUpdate ? repositoriesForUpdate(ctx) : repositoriesIn(ctx))[checked] : undefined;
  if (!repository) throw repositoryNotFound(checked, id);
  return repository;
}

export function repositoryArn(ctx: CallContext, name: string): string {
  return `arn:aws:ecr:${ctx.region}:${ctx.state.accountId}:repository/${name}`;
}

/**
 * Where `docker push` goes: the configured registry (so the push really lands somewhere), else the
 * host real ECR would use.
 */
export function repositoryUri(ctx: CallContext, name: string): string {
  const registry = registryOf(ctx.state);
  return registry ? `${registry.endpoint}/${name}` : `${ctx.state.accountId}.dkr.ecr.${ctx.region}.amazonaws.com/${name}`;
}

export function toRepository(ctx: CallContext, repository: EcrRepository): Repository {
  return {
    repositoryArn: repository.arn,
    registryId: ctx.state.accountId,
    repositoryName: repository.name,
    repositoryUri: repositoryUri(ctx, repository.name),
    createdAt: new Date(repository.createdAt),
    imageTagMutability: repository.imageTagMutability as Repository['imageTagMutability'],
    imageTagMutabilityExclusionFilters: repository.imageTagMutabilityExclusionFilters?.map((f) => ({ ...f })) as Repository['imageTagMutabilityExclusionFilters'],
    imageScanningConfiguration: { scanOnPush: repository.scanOnPush },
    encryptionConfiguration: { ...repository.encryption } as Repository['encryptionConfiguration'],
  };
}

const MAX_TAGS = 50;

/** Tags as ECR checks them: keys 1–128 characters and not `aws:`, values up to 256, at most 50. */
export function checkTags(tags: SdkTag[] | undefined): Tag[] {
  const checked = (tags ?? []).map((t) => ({ Key: t.Key ?? '', Value: t.Value ?? '' }));
  for (const tag of checked) {
    if (tag.Key.length < 1 || tag.Key.length > 128) throw fault('InvalidTagParameterException', 'Tag keys must be between 1 and 128 characters long.');
    if (tag.Value.length > 256) throw fault('InvalidTagParameterException', 'Tag values must be at most 256 characters long.');
    if (tag.Key.toLowerCase().startsWith('aws:')) throw fault('InvalidTagParameterException', "Tag keys may not begin with 'aws:'; that prefix is reserved for AWS use.");
  }
  return checked;
}

/** Merges tags into a resource's: a key given again gets the new value. */
export function mergeTags(existing: Tag[], added: Tag[]): Tag[] {
  const merged = new Map(existing.map((t) => [t.Key, t.Value]));
  for (const tag of added) merged.set(tag.Key, tag.Value);
  if (merged.size > MAX_TAGS) throw fault('TooManyTagsException', `The resource can have at most ${MAX_TAGS} tags.`);
  return [...merged].map(([Key, Value]) => ({ Key, Value }));
}

/** One page of a listing: `nextToken` is an opaque offset, `maxResults` 1–1000 (default 100). */
export function page<T>(items: T[], input: { nextToken?: string; maxResults?: number }, defaultSize = 100): { items: T[]; nextToken?: string } {
  const size = input.maxResults ?? defaultSize;
  if (!Number.isInteger(size) || size < 1 || size > 1000) throw invalidParameter('maxResults', 'Member must have value between 1 and 1000');
  let start = 0;
  if (input.nextToken !== undefined) {
    const decoded = /^o:(\d+)$/.exec(Buffer.from(input.nextToken, 'base64url').toString('utf8'));
    if (!decoded) throw invalidParameter('nextToken', 'Invalid NextToken');
    start = Number(decoded[1]);
  }
  const end = start + size;
  return { items: items.slice(start, end), ...(end < items.length ? { nextToken: Buffer.from(`o:${end}`).toString('base64url') } : {}) };
}

