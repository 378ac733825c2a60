import type {
  CreateRepositoryRequest,
  CreateRepositoryResponse,
  DeleteRepositoryRequest,
  DeleteRepositoryResponse,
  DescribeRepositoriesRequest,
  DescribeRepositoriesResponse,
  ImageTagMutabilityExclusionFilter,
  ListTagsForResourceRequest,
  ListTagsForResourceResponse,
  PutImageScanningConfigurationRequest,
  PutImageScanningConfigurationResponse,
  PutImageTagMutabilityRequest,
  PutImageTagMutabilityResponse,
  TagResourceRequest,
  TagResourceResponse,
  UntagResourceRequest,
  UntagResourceResponse,
} from '@aws-sdk/client-ecr';
import { fault } from '../errors.js';
import { op, type CallContext, type Operation, type Out } from '../operation.js';
import type { EcrRepository } from '../state.js';
import {
  checkTags,
  invalidParameter,
  mergeTags,
  page,
  repositoriesForUpdate,
  repositoriesIn,
  repositoryArn,
  repositoryName,
  repositoryNotFound,
  requireRepository,
  toRepository,
} from './common.js';
import { hasImages, purgeImages } from './images.js';

/** ECR's default quota of repositories per region. */
export const REPOSITORY_LIMIT = 100_000;

const MUTABILITY = ['MUTABLE', 'IMMUTABLE', 'IMMUTABLE_WITH_EXCLUSION', 'MUTABLE_WITH_EXCLUSION'];
const ENCRYPTION = ['AES256', 'KMS', 'KMS_DSSE'];

const enumError = (value: string, member: string, allowed: string[]) =>
  fault('ValidationException', `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`);

/** Tag mutability and its exclusion filters (`latest` stays mutable in an otherwise immutable repository). */
function mutability(value: string | undefined, filters: ImageTagMutabilityExclusionFilter[] | undefined): Pick<EcrRepository, 'imageTagMutability' | 'imageTagMutabilityExclusionFilters'> {
  const imageTagMutability = value ?? 'MUTABLE';
  if (!MUTABILITY.includes(imageTagMutability)) throw enumError(imageTagMutability, 'imageTagMutability', MUTABILITY);
  const withExclusion = imageTagMutability.endsWith('_WITH_EXCLUSION');
  if (withExclusion && !filters?.length) {
    throw invalidParameter('imageTagMutabilityExclusionFilters', `imageTagMutabilityExclusionFilters must be specified when imageTagMutability is ${imageTagMutability}`);
  }
  if (!withExclusion && filters?.length) {
    throw invalidParameter('imageTagMutabilityExclusionFilters', `imageTagMutabilityExclusionFilters can only be specified when imageTagMutability is IMMUTABLE_WITH_EXCLUSION or MUTABLE_WITH_EXCLUSION`);
  }
  if (!withExclusion) return { imageTagMutability };
  for (const f of filters ?? []) {
    if (f.filterType !== 'WILDCARD') throw enumError(String(f.filterType), 'imageTagMutabilityExclusionFilters.member.filterType', ['WILDCARD']);
    if (!f.filter || !/^[0-9a-zA-Z._*-]{1,128}$/.test(f.filter)) throw invalidParameter('imageTagMutabilityExclusionFilters.member.filter', `must satisfy regular expression '^[0-9a-zA-Z._*-]{1,128}'`);
  }
  return { imageTagMutability, imageTagMutabilityExclusionFilters: (filters ?? []).map((f) => ({ filterType: f.filterType ?? 'WILDCARD', filter: f.filter ?? '' })) };
}

/** The repository a resource ARN names, in the caller's region and account. */
function repositoryByArn(ctx: CallContext, arn: string | undefined, forUpdate = false): EcrRepository {
  const match = /^arn:aws[a-z-]*:ecr:([a-z0-9-]+):(\d{12}):repository\/(.+)$/.exec(arn ?? '');
  if (!match) throw invalidParameter('resourceArn', 'must be a repository ARN (arn:aws:ecr:<region>:<account>:repository/<name>)');
  const [, region, account, name] = match as unknown as [string, string, string, string];
  const repository = (forUpdate ? repositoriesForUpdate(ctx) : repositoriesIn(ctx))[name];
  if (region !== ctx.region || account !== ctx.state.accountId || !repository) throw repositoryNotFound(name, account);
  return repository;
}

const byName = (input: { repositoryName?: string }, ctx: CallContext) => repositoryArn(ctx, input.repositoryName ?? '');

export const repositoryOperations: Record<string, Operation> = {
  CreateRepository: op<CreateRepositoryRequest, Out<CreateRepositoryResponse>>({
    resource: byName,
    run: (input, ctx) => {
      const name = repositoryName(input.repositoryName);
      const tags = checkTags(input.tags);
      const tagMutability = mutability(input.imageTagMutability, input.imageTagMutabilityExclusionFilters);
      const encryptionType = input.encryptionConfiguration?.encryptionType ?? 'AES256';
      if (!ENCRYPTION.includes(encryptionType)) throw enumError(encryptionType, 'encryptionConfiguration.encryptionType', ENCRYPTION);
      const kmsKey = input.encryptionConfiguration?.kmsKey;
      if (kmsKey && encryptionType === 'AES256') throw invalidParameter('encryptionConfiguration.kmsKey', 'kmsKey can only be specified when encryptionType is KMS or KMS_DSSE');
      const repositories = repositoriesForUpdate(ctx);
      if (repositories[name]) {
        throw fault('RepositoryAlreadyExistsException', `The repository with name '${name}' already exists in the registry with id '${ctx.state.accountId}'`);
      }
      if (Object.keys(repositories).length >= REPOSITORY_LIMIT) {
        throw fault('LimitExceededException', `The maximum number of repositories (${REPOSITORY_LIMIT}) for this registry in ${ctx.region} has been reached.`);
      }
      const repository: EcrRepository = {
        name,
        arn: repositoryArn(ctx, name),
        createdAt: ctx.now,
        ...tagMutability,
        scanOnPush: input.imageScanningConfiguration?.scanOnPush ?? false,
        encryption: { encryptionType, ...(kmsKey ? { kmsKey } : {}) },
        tags: mergeTags([], tags),
        images: [],
      };
      repositories[name] = repository;
      return { repository: toRepository(ctx, repository) };
    },
  }),

  DescribeRepositories: op<DescribeRepositoriesRequest, Out<DescribeRepositoriesResponse>>({
    resource: (input, ctx) => (input.repositoryNames?.length === 1 ? repositoryArn(ctx, input.repositoryNames[0] ?? '') : repositoryArn(ctx, '*')),
    run: (input, ctx) => {
      const named = input.repositoryNames?.map((name) => requireRepository(ctx, name, input.registryId));
      const all = named ?? Object.values(repositoriesIn(ctx)).sort((a, b) => a.name.localeCompare(b.name));
      const { items, nextToken } = page(all, input);
      return { repositories: items.map((r) => toRepository(ctx, r)), nextToken };
    },
  }),

  DeleteRepository: op<DeleteRepositoryRequest, Out<DeleteRepositoryResponse>>({
    resource: byName,
    run: async (input, ctx) => {
      const repository = requireRepository(ctx, input.repositoryName, input.registryId, true);
      if (await hasImages(ctx, repository)) {
        if (!input.force) {
          throw fault(
            'RepositoryNotEmptyException',
            `The repository with name '${repository.name}' in registry with id '${ctx.state.accountId}' cannot be deleted because it still contains images`,
          );
        }
        await purgeImages(ctx, repository);
      }
      delete repositoriesForUpdate(ctx)[repository.name];
      return { repository: toRepository(ctx, repository) };
    },
  }),

  PutImageScanningConfiguration: op<PutImageScanningConfigurationRequest, Out<PutImageScanningConfigurationResponse>>({
    resource: byName,
    run: (input, ctx) => {
      const repository = requireRepository(ctx, input.repositoryName, input.registryId, true);
      if (typeof input.imageScanningConfiguration?.scanOnPush !== 'boolean') {
        throw invalidParameter('imageScanningConfiguration.scanOnPush', 'Member must not be null');
      }
      repository.scanOnPush = input.imageScanningConfiguration.scanOnPush;
      return { registryId: ctx.state.accountId, repositoryName: repository.name, imageScanningConfiguration: { scanOnPush: repository.scanOnPush } };
    },
  }),

  PutImageTagMutability: op<PutImageTagMutabilityRequest, Out<PutImageTagMutabilityResponse>>({
    resource: byName,
    run: (input, ctx) => {
      const repository = requireRepository(ctx, input.repositoryName, input.registryId, true);
      if (input.imageTagMutability === undefined) throw invalidParameter('imageTagMutability', 'Member must not be null');
      const next = mutability(input.imageTagMutability, input.imageTagMutabilityExclusionFilters);
      repository.imageTagMutability = next.imageTagMutability;
      if (next.imageTagMutabilityExclusionFilters) repository.imageTagMutabilityExclusionFilters = next.imageTagMutabilityExclusionFilters;
      else delete repository.imageTagMutabilityExclusionFilters;
      return {
        registryId: ctx.state.accountId,
        repositoryName: repository.name,
        imageTagMutability: repository.imageTagMutability as PutImageTagMutabilityResponse['imageTagMutability'],
        imageTagMutabilityExclusionFilters: repository.imageTagMutabilityExclusionFilters?.map((f) => ({ ...f })) as PutImageTagMutabilityResponse['imageTagMutabilityExclusionFilters'],
      };
    },
  }),

  TagResource: op<TagResourceRequest, Out<TagResourceResponse>>({
    resource: (input) => input.resourceArn ?? '*',
    run: (input, ctx) => {
      const repository = repositoryByArn(ctx, input.resourceArn, true);
      if (!input.tags) throw invalidParameter('tags', 'Member must not be null');
      repository.tags = mergeTags(repository.tags, checkTags(input.tags));
      return {};
    },
  }),

  UntagResource: op<UntagResourceRequest, Out<UntagResourceResponse>>({
    resource: (input) => input.resourceArn ?? '*',
    run: (input, ctx) => {
      const repository = repositoryByArn(ctx, input.resourceArn, true);
      if (!input.tagKeys) throw invalidParameter('tagKeys', 'Member must not be null');
      repository.tags = repository.tags.filter((t) => !input.tagKeys?.includes(t.Key));
      return {};
    },
  }),

  ListTagsForResource: op<ListTagsForResourceRequest, Out<ListTagsForResourceResponse>>({
    resource: (input) => input.resourceArn ?? '*',
    run: (input, ctx) => ({ tags: repositoryByArn(ctx, input.resourceArn).tags.map((t) => ({ ...t })) }),
  }),
};
