import { DescribeImagesCommand } from '@aws-sdk/client-ecr';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { tolerate } from '../../../src/aws/errors.js';
import { SlipwayError, UsageError } from '../../../src/engine/errors.js';
import type { Outputs, Step } from '../../../src/engine/types.js';
import { readProjectSettings } from '../../../src/local/project-settings.js';
import type { RolloutContext } from '../context.js';
import { rolloutNames } from '../names.js';

/**
 * The image to deploy, always pinned by digest: `--image`, or the digest running in `--from <env>`,
 * or the last one `slipway publish` recorded. It must exist in ECR — checked now, not discovered as a
 * pull error minutes later. A resumed rollout keeps the digest it started with while what it was chosen
 * from holds: another --image, or a new publish, is deployed instead; --from looks again every run.
 */
export const image: Step<RolloutContext> = {
  id: 'image',
  title: 'Image to deploy (by digest)',
  inputs: (c) => {
    const published = readProjectSettings(c.dir)?.lastPublished;
    return { image: c.settings.image, from: c.settings.from, 'published repository': published?.uri ?? '', published: published?.digest ?? '' };
  },
  // It only looks (ECR, project.json, another environment): a refusal here has changed nothing.
  check: true,
  plan: () => 'check the image digest exists in ECR',
  async probe(c) {
    const earlier = c.journaled?.status === 'done' ? c.journaled.outputs : undefined;
    if (earlier && typeof earlier.image === 'string' && !c.settings.from) {
      await mustExist(c, earlier);
      return earlier;
    }
    const chosen = await choose(c);
    await mustExist(c, chosen);
    c.report.log(`Deploying ${chosen.image}`);
    return chosen;
  },
  async apply() {
    throw new Error('unreachable: the image probe always answers');
  },
};

interface Chosen extends Outputs {
  /** `<repository uri>@sha256:…` — what the task definition names. */
  image: string;
  repositoryUri: string;
  digest: string;
  tag: string;
  source: string;
}

async function choose(c: RolloutContext): Promise<Chosen> {
  if (c.settings.image) return fromReference(c, c.settings.image, '--image');
  if (c.settings.from) return fromEnvironment(c, c.settings.from);
  const published = readProjectSettings(c.dir)?.lastPublished;
  if (!published) {
    throw new UsageError('Nothing has been published from this folder yet.', {
      why: 'slipway rolls out the image `slipway publish` last recorded in slipway/project.json, and there is none.',
      fix: 'Run `slipway publish` first, or pass --image <repository uri>@sha256:<digest>.',
    });
  }
  return { image: `${published.uri}@${published.digest}`, repositoryUri: published.uri, digest: published.digest, tag: published.tag, source: `published ${published.at}` };
}

async function fromReference(c: RolloutContext, reference: string, source: string): Promise<Chosen> {
  const at = reference.indexOf('@');
  if (at > 0) return { image: reference, repositoryUri: reference.slice(0, at), digest: reference.slice(at + 1), tag: '', source };
  // A tag is resolved to its digest now: what runs must not change when the tag moves.
  const colon = reference.lastIndexOf(':');
  const repositoryUri = reference.slice(0, colon);
  const tag = reference.slice(colon + 1);
  const found = await describe(c, repositoryUri, { imageTag: tag });
  if (!found?.imageDigest) throw notInEcr(reference);
  return { image: `${repositoryUri}@${found.imageDigest}`, repositoryUri, digest: found.imageDigest, tag, source };
}

async function fromEnvironment(c: RolloutContext, from: string): Promise<Chosen> {
  const names = rolloutNames(c.settings.app, from);
  const ecs = await c.ecs();
  const service = (await ecs.send(new DescribeServicesCommand({ cluster: names.cluster, services: [names.service] }), { abortSignal: c.signal })).services?.find((s) => s.status === 'ACTIVE');
  if (!service?.taskDefinition) {
    throw new UsageError(`Nothing is running in the "${from}" environment to promote.`, { fix: `Roll out to ${from} first (slipway rollout --env ${from}), or drop --from.` });
  }
  const definition = (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: service.taskDefinition }), { abortSignal: c.signal })).taskDefinition;
  const running = definition?.containerDefinitions?.find((d) => d.name === names.container)?.image;
  if (!running?.includes('@sha256:')) throw new SlipwayError(`The "${from}" environment does not run an image pinned by digest.`, { fix: 'Roll out to it with slipway first, then promote.' });
  return { ...(await fromReference(c, running, `running in ${from}`)), source: `running in ${from} (${service.taskDefinition.split('/').pop()})` };
}

async function mustExist(c: RolloutContext, chosen: Outputs): Promise<void> {
  const found = await describe(c, String(chosen.repositoryUri), { imageDigest: String(chosen.digest) });
  if (!found) throw notInEcr(String(chosen.image));
}

async function describe(c: RolloutContext, repositoryUri: string, id: { imageDigest?: string; imageTag?: string }) {
  const repositoryName = repositoryUri.split('/').slice(1).join('/');
  const ecr = await c.ecr();
  const out = await tolerate('not-found', () => ecr.send(new DescribeImagesCommand({ repositoryName, imageIds: [id] }), { abortSignal: c.signal }));
  return out?.imageDetails?.[0];
}

function notInEcr(image: string): UsageError {
  return new UsageError(`The image ${image} is not in ECR.`, {
    why: 'ECS could only fail to pull it. It may be in another region or account, or expired under the lifecycle policy.',
    fix: 'Run `slipway publish` (same region and profile), then roll out again.',
  });
}
