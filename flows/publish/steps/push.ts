import { DescribeImagesCommand } from '@aws-sdk/client-ecr';
import { tolerate } from '../../../src/aws/errors.js';
import { dockerPush, imageDigest, RegistryAuthError, tagImage } from '../../../src/docker/index.js';
import { SlipwayError } from '../../../src/engine/errors.js';
import type { Step } from '../../../src/engine/types.js';
import type { PublishContext } from '../context.js';
import { loginToEcr } from './login.js';
import { localImageId } from './release-build.js';

/**
 * Tags `<uri>:<version>` and `<uri>:latest` and pushes them, layer by layer. When ECR already holds
 * the image just built under both tags, there is nothing to push; when only `latest` lags (a push cut
 * between the two), it is pushed.
 */
export const push: Step<PublishContext> = {
  id: 'push',
  title: 'Push to ECR',
  plan: (c) => `docker push ${c.repositoryUri()}:${c.version()} and :latest`,
  async probe(c) {
    const digest = await publishedDigest(c, { latestToo: true });
    if (digest) c.report.log(`ECR already has ${c.version()} and latest with this image's digest: already published.`);
    return digest ? { digest, tag: c.version(), uri: c.repositoryUri() } : undefined;
  },
  async apply(c) {
    const uri = c.repositoryUri();
    const versionRef = `${uri}:${c.version()}`;
    await tagImage(c.localImage(), versionRef, c.docker);
    await tagImage(c.localImage(), `${uri}:latest`, c.docker);
    const pushed = await pushWithOneRelogin(c, versionRef);
    await pushWithOneRelogin(c, `${uri}:latest`);
    return { digest: pushed.digest, tag: c.version(), uri };
  },
};

async function pushWithOneRelogin(c: PublishContext, ref: string) {
  const attempt = () =>
    dockerPush({
      ...c.docker,
      ref,
      onLine: (line) => c.report.log(line),
      onProgress: (p) => c.report.progress(`layer ${p.layer}`, p.status === 'pushed' || p.status === 'exists' || p.status === 'mounted' ? 1 : 0, 1, 'items'),
    });
  try {
    return await attempt();
  } catch (error) {
    if (!(error instanceof RegistryAuthError)) throw error;
    c.report.log('The registry wants a fresh login (the token may have expired); logging in again once.', 'warn');
    await loginToEcr(c);
    try {
      return await attempt();
    } catch (again) {
      if (!(again instanceof RegistryAuthError)) throw again;
      throw new SlipwayError(`The registry still refuses ${ref} after a fresh login.`, {
        why: 'Docker may be storing credentials in a credential store that fails silently (credsStore in ~/.docker/config.json), or this identity may not be allowed to push.',
        fix: 'Check "credsStore" in ~/.docker/config.json (remove it, or install the helper it names), and that your role allows ecr:PutImage.',
        cause: again,
      });
    }
  }
}

/**
 * The digest ECR holds for this version, when it is our image's: the one docker recorded when it pushed
 * `<uri>:<version>` — and, once the release image is built, only if that name still is the image just
 * built (a -dirty tree rebuilt after an edit is another image under the same tag). `latestToo`: ECR's
 * `latest` must be that image as well.
 */
export async function publishedDigest(c: PublishContext, options: { latestToo?: boolean } = {}): Promise<string | undefined> {
  const uri = c.repositoryUri();
  const versionRef = `${uri}:${c.version()}`;
  const built = c.outputs['release-build']?.imageId;
  if (built !== undefined && (await localImageId(c, versionRef)) !== built) return undefined;
  const local = await imageDigest(versionRef, c.docker);
  if (!local) return undefined;
  const ecr = await c.ecr();
  const name = String(c.outputs['ecr-repository']?.name);
  const tags = options.latestToo ? [c.version(), 'latest'] : [c.version()];
  for (const tag of tags) {
    const images = await tolerate('not-found', () => ecr.send(new DescribeImagesCommand({ repositoryName: name, imageIds: [{ imageTag: tag }] }), { abortSignal: c.signal }));
    if (images?.imageDetails?.[0]?.imageDigest !== local) return undefined;
  }
  return local;
}
