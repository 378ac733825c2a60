import { createHash } from 'node:crypto';
import type {
  BatchGetImageRequest,
  BatchGetImageResponse,
  DescribeImagesRequest,
  DescribeImagesResponse,
  Image,
  ImageDetail,
  ImageFailure,
  ImageIdentifier,
} from '@aws-sdk/client-ecr';
import { fault } from '../errors.js';
import { op, type CallContext, type Operation, type Out } from '../operation.js';
import { readManifest, RegistryClient } from '../registry-client.js';
import type { EcrImage, EcrRepository, SandboxRegistry } from '../state.js';
import type { Sandbox } from '../store.js';
import { invalidParameter, page, registryOf, repositoryArn, requireRepository } from './common.js';

/** An image as DescribeImages and BatchGetImage see it, wherever it is stored. */
type ImageView = Omit<EcrImage, 'pushedAt'> & {
  /** Unknown for registry images: the registry API does not say when a manifest arrived. */
  pushedAt?: number;
};

const DIGEST = /^sha256:[0-9a-f]{64}$/;
const TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;

type Lookup = { image: ImageView } | { failure: 'ImageNotFound' | 'ImageTagDoesNotMatchDigest' | 'MissingDigestAndTag' | 'InvalidImageDigest' | 'InvalidImageTag' };

/**
 * A repository's images: read from the sandbox's registry when one is configured (what `docker push`
 * put there), else the images tests recorded with `recordImage`.
 */
abstract class ImageStore {
  /** Every image that can be listed (for a registry: every tagged one). */
  abstract all(): Promise<ImageView[]>;
  protected abstract byDigest(digest: string): Promise<ImageView | undefined>;
  protected abstract digestOfTag(tag: string): Promise<string | undefined>;

  async find(id: ImageIdentifier): Promise<Lookup> {
    const { imageDigest, imageTag } = id;
    if (!imageDigest && !imageTag) return { failure: 'MissingDigestAndTag' };
    if (imageDigest && !DIGEST.test(imageDigest)) return { failure: 'InvalidImageDigest' };
    if (imageTag && !TAG.test(imageTag)) return { failure: 'InvalidImageTag' };
    const digest = imageTag ? await this.digestOfTag(imageTag) : imageDigest;
    if (!digest) return { failure: 'ImageNotFound' };
    if (imageDigest && digest !== imageDigest) return { failure: (await this.byDigest(imageDigest)) ? 'ImageTagDoesNotMatchDigest' : 'ImageNotFound' };
    const image = await this.byDigest(digest);
    return image ? { image } : { failure: 'ImageNotFound' };
  }
}

class RecordedImages extends ImageStore {
  constructor(private readonly repository: EcrRepository) {
    super();
  }
  async all(): Promise<ImageView[]> {
    return this.repository.images.map(recordedView);
  }
  protected async byDigest(digest: string): Promise<ImageView | undefined> {
    const image = this.repository.images.find((i) => i.digest === digest);
    return image && recordedView(image);
  }
  protected async digestOfTag(tag: string): Promise<string | undefined> {
    return this.repository.images.find((i) => i.tags.includes(tag))?.digest;
  }
}

const recordedView = (image: EcrImage): ImageView => ({ ...image, tags: [...image.tags] });

class RegistryImages extends ImageStore {
  private readonly client: RegistryClient;
  private tagged?: Promise<Map<string, string[]>>;

  constructor(
    registry: SandboxRegistry,
    private readonly name: string,
  ) {
    super();
    this.client = new RegistryClient(registry);
  }

  /** digest → its tags, in the registry's tag order (resolved once per call). */
  tagsByDigest(): Promise<Map<string, string[]>> {
    this.tagged ??= (async () => {
      const tags = await this.client.tags(this.name);
      const digests = await Promise.all(tags.map((tag) => this.client.digestOf(this.name, tag)));
      const map = new Map<string, string[]>();
      tags.forEach((tag, i) => {
        const digest = digests[i];
        if (digest) map.set(digest, [...(map.get(digest) ?? []), tag]);
      });
      return map;
    })();
    return this.tagged;
  }

  async all(): Promise<ImageView[]> {
    const views = await Promise.all([...(await this.tagsByDigest()).keys()].map((digest) => this.byDigest(digest)));
    return views.filter((v): v is ImageView => v !== undefined);
  }

  protected async byDigest(digest: string): Promise<ImageView | undefined> {
    const manifest = await this.client.manifest(this.name, digest);
    if (!manifest) return undefined;
    return {
      digest: manifest.digest,
      tags: (await this.tagsByDigest()).get(manifest.digest) ?? [],
      manifest: manifest.body,
      manifestMediaType: manifest.mediaType,
      ...(manifest.configMediaType ? { artifactMediaType: manifest.configMediaType } : {}),
      sizeInBytes: manifest.sizeInBytes,
    };
  }

  protected async digestOfTag(tag: string): Promise<string | undefined> {
    return this.client.digestOf(this.name, tag);
  }

  async purge(): Promise<void> {
    for (const digest of (await this.tagsByDigest()).keys()) await this.client.deleteManifest(this.name, digest);
  }
}

function imagesOf(ctx: CallContext, repository: EcrRepository): RecordedImages | RegistryImages {
  const registry = registryOf(ctx.state);
  return registry ? new RegistryImages(registry, repository.name) : new RecordedImages(repository);
}

export async function hasImages(ctx: CallContext, repository: EcrRepository): Promise<boolean> {
  const images = imagesOf(ctx, repository);
  return images instanceof RegistryImages ? (await images.tagsByDigest()).size > 0 : repository.images.length > 0;
}

/**
 * Removes a force-deleted repository's images. In a registry that means deleting every tagged
 * manifest (its API cannot delete a repository as such), so a repository created again starts empty.
 */
export async function purgeImages(ctx: CallContext, repository: EcrRepository): Promise<void> {
  const images = imagesOf(ctx, repository);
  if (images instanceof RegistryImages) await images.purge();
  repository.images = [];
}

const imageNotFound = (ctx: CallContext, repository: EcrRepository, id: ImageIdentifier) =>
  fault(
    'ImageNotFoundException',
    `The image with imageId {imageDigest:'${id.imageDigest ?? 'null'}', imageTag:'${id.imageTag ?? 'null'}'} does not exist within the repository with name '${repository.name}' in the registry with id '${ctx.state.accountId}'`,
  );

function toDetail(ctx: CallContext, repository: EcrRepository, image: ImageView): ImageDetail {
  return {
    registryId: ctx.state.accountId,
    repositoryName: repository.name,
    imageDigest: image.digest,
    // ECR leaves the member out for an untagged image.
    imageTags: image.tags.length ? [...image.tags] : undefined,
    imageSizeInBytes: image.sizeInBytes,
    imagePushedAt: image.pushedAt === undefined ? undefined : new Date(image.pushedAt),
    imageManifestMediaType: image.manifestMediaType,
    artifactMediaType: image.artifactMediaType,
  };
}

const FAILURE_REASONS: Record<string, string> = {
  ImageNotFound: 'Requested image not found',
  ImageTagDoesNotMatchDigest: 'Invalid image tag/digest pair',
  MissingDigestAndTag: 'Invalid request parameter: both imageTag and imageDigest are null',
  InvalidImageDigest: 'Invalid request parameter: image digest should satisfy the regex sha256:[a-f0-9]{64}',
  InvalidImageTag: "Invalid request parameter: image tag should satisfy the regex '[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}'",
};

const byName = (input: { repositoryName?: string }, ctx: CallContext) => repositoryArn(ctx, input.repositoryName ?? '');

export const imageOperations: Record<string, Operation> = {
  DescribeImages: op<DescribeImagesRequest, Out<DescribeImagesResponse>>({
    resource: byName,
    run: async (input, ctx) => {
      const repository = requireRepository(ctx, input.repositoryName, input.registryId);
      const store = imagesOf(ctx, repository);
      let images: ImageView[];
      if (input.imageIds?.length) {
        images = [];
        for (const id of input.imageIds) {
          const found = await store.find(id);
          if ('failure' in found) {
            if (found.failure === 'MissingDigestAndTag') throw invalidParameter('imageIds', 'imageDigest and imageTag cannot both be null');
            if (found.failure === 'InvalidImageDigest') throw invalidParameter('imageIds.member.imageDigest', 'must satisfy regular expression \'sha256:[a-f0-9]{64}\'');
            if (found.failure === 'InvalidImageTag') throw invalidParameter('imageIds.member.imageTag', "must satisfy regular expression '[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}'");
            throw imageNotFound(ctx, repository, id);
          }
          if (!images.some((i) => i.digest === found.image.digest)) images.push(found.image);
        }
      } else {
        const status = input.filter?.tagStatus ?? 'ANY';
        images = (await store.all()).filter((i) => status === 'ANY' || (status === 'TAGGED') === i.tags.length > 0);
      }
      const { items, nextToken } = page(images, input);
      return { imageDetails: items.map((i) => toDetail(ctx, repository, i)), nextToken };
    },
  }),

  BatchGetImage: op<BatchGetImageRequest, Out<BatchGetImageResponse>>({
    resource: byName,
    run: async (input, ctx) => {
      const repository = requireRepository(ctx, input.repositoryName, input.registryId);
      if (!input.imageIds?.length) throw invalidParameter('imageIds', 'Member must have length greater than or equal to 1');
      const store = imagesOf(ctx, repository);
      const images: Image[] = [];
      const failures: ImageFailure[] = [];
      for (const id of input.imageIds) {
        const found = await store.find(id);
        if ('failure' in found) {
          failures.push({ imageId: { ...id }, failureCode: found.failure, failureReason: FAILURE_REASONS[found.failure] });
          continue;
        }
        images.push({
          registryId: ctx.state.accountId,
          repositoryName: repository.name,
          imageId: { imageDigest: found.image.digest, imageTag: id.imageTag },
          imageManifest: found.image.manifest,
          imageManifestMediaType: found.image.manifestMediaType,
        });
      }
      return { images, failures };
    },
  }),
};

export interface RecordImageOptions {
  repositoryName: string;
  region?: string;
  tags?: string[];
  /** Config plus layers, in bytes (default 2 MiB). */
  sizeInBytes?: number;
  /** Sandbox time of the push (default: now on the sandbox clock). */
  pushedAt?: number;
  /** The manifest as pushed; by default a Docker v2 manifest with one layer is made up. */
  manifest?: string;
}

const CONFIG_SIZE = 1_469;

/**
 * Records an image as if `docker push` had put it into a repository of a sandbox without a registry:
 * tags move from older images to this one (an image left without tags stays, untagged), and an
 * immutable repository refuses to move a tag as ECR does. Returns the image digest.
 */
export function recordImage(sandbox: Sandbox, options: RecordImageOptions): string {
  const region = options.region ?? 'us-east-1';
  const tags = options.tags ?? [];
  let digest = '';
  sandbox.update((state) => {
    if (state.ecr?.registry) throw new Error(`This sandbox keeps its images in the registry at ${state.ecr.registry.endpoint}: push there with docker instead of recording images.`);
    const repository = state.ecr?.repositories[region]?.[options.repositoryName];
    if (!repository) throw new Error(`The sandbox has no ECR repository ${options.repositoryName} in ${region}; create it first.`);
    const pushedAt = options.pushedAt ?? sandbox.clock.now();
    const body = options.manifest ?? inventedManifest(`${options.repositoryName}:${tags.join(',')}:${pushedAt}:${repository.images.length}`, options.sizeInBytes ?? 2 * 1024 * 1024);
    const manifest = readManifest(body);
    digest = manifest.digest;
    for (const tag of tags) {
      const holder = repository.images.find((i) => i.tags.includes(tag));
      if (holder && holder.digest !== digest && tagIsImmutable(repository, tag)) {
        throw new Error(`tag invalid: The image tag '${tag}' already exists in the '${repository.name}' repository and cannot be overwritten because the repository is immutable.`);
      }
    }
    for (const image of repository.images) image.tags = image.tags.filter((t) => !tags.includes(t));
    const existing = repository.images.find((i) => i.digest === digest);
    if (existing) {
      existing.tags.push(...tags);
      return;
    }
    repository.images.push({
      digest,
      tags: [...tags],
      manifest: body,
      manifestMediaType: manifest.mediaType,
      ...(manifest.configMediaType ? { artifactMediaType: manifest.configMediaType } : {}),
      sizeInBytes: manifest.sizeInBytes,
      pushedAt,
    });
  });
  return digest;
}

function tagIsImmutable(repository: EcrRepository, tag: string): boolean {
  const excluded = (repository.imageTagMutabilityExclusionFilters ?? []).some((f) => new RegExp(`^${f.filter.split('*').map(escapeRegExp).join('.*')}$`).test(tag));
  switch (repository.imageTagMutability) {
    case 'IMMUTABLE':
      return true;
    case 'IMMUTABLE_WITH_EXCLUSION':
      return !excluded;
    case 'MUTABLE_WITH_EXCLUSION':
      return excluded;
    default:
      return false;
  }
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A Docker v2 manifest whose blobs are named after `seed`, with config and one layer adding up to `size`. */
function inventedManifest(seed: string, size: number): string {
  const blob = (kind: string) => `sha256:${createHash('sha256').update(`${kind}:${seed}`).digest('hex')}`;
  const configSize = Math.min(CONFIG_SIZE, size);
  return JSON.stringify(
    {
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: configSize, digest: blob('config') },
      layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: size - configSize, digest: blob('layer') }],
    },
    null,
    3,
  );
}
