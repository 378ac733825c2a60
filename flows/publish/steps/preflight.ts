import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { explainAwsError } from '../../../src/aws/errors.js';
import { dockerPreflight, howToFix } from '../../../src/docker/index.js';
import { SlipwayError } from '../../../src/engine/errors.js';
import type { Step } from '../../../src/engine/types.js';
import type { PublishContext } from '../context.js';

const HOST_PLATFORM: Record<string, string> = { x86_64: 'linux/amd64', amd64: 'linux/amd64', aarch64: 'linux/arm64', arm64: 'linux/arm64' };

/** Docker client and daemon, buildx when the platform differs from the host's, and who we are in AWS. */
export const preflight: Step<PublishContext> = {
  id: 'preflight',
  title: 'Docker and AWS ready',
  check: true,
  async probe(c) {
    const docker = await dockerPreflight(c.docker);
    if (!docker.client.ok) throw new SlipwayError('The docker command was not found.', { fix: howToFix('not-installed', c.runtime.platform) });
    if (!docker.daemon.ok) {
      throw new SlipwayError('The Docker daemon is not reachable.', { why: docker.daemon.serverErrors?.join(' '), fix: howToFix(docker.daemon.problem ?? 'other', c.runtime.platform) });
    }
    const host = HOST_PLATFORM[docker.daemon.arch ?? ''] ?? docker.daemon.arch ?? 'unknown';
    const crossBuild = host !== c.settings.platform;
    if (crossBuild) {
      c.report.log(`This machine is ${host}; building for ${c.settings.platform} so ECS can run it (otherwise: "exec format error").`);
      if (!docker.buildx.ok) {
        throw new SlipwayError(`Building for ${c.settings.platform} on a ${host} machine needs docker buildx.`, { fix: 'Install docker buildx (Docker Desktop has it; on Debian/Ubuntu: apt-get install docker-buildx).' });
      }
    }
    let identity;
    try {
      identity = await (await c.sts()).send(new GetCallerIdentityCommand({}), { abortSignal: c.signal });
    } catch (error) {
      throw explainAwsError(error, 'sts:GetCallerIdentity');
    }
    return { docker: docker.daemon.version ?? '?', host, crossBuild, account: identity.Account ?? '' };
  },
  async apply() {
    throw new Error('unreachable: the preflight probe always answers');
  },
};
