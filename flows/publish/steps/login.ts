import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { requireSandboxStorage } from '../../../src/sandbox/local-registry.js';
import { dockerLogin, registryHost } from '../../../src/docker/index.js';
import { SlipwayError } from '../../../src/engine/errors.js';
import type { Step } from '../../../src/engine/types.js';
import type { PublishContext } from '../context.js';
import { publishedDigest } from './push.js';

/**
 * `docker login` with a fresh ECR token, the password on stdin only. Skipped when Docker uses the
 * ECR credential helper for this registry, or when this exact version is already published.
 */
export const login: Step<PublishContext> = {
  id: 'login',
  title: 'Log in to ECR',
  plan: (c) => `ecr:GetAuthorizationToken, docker login --password-stdin ${registryHost(c.repositoryUri())}`,
  async probe(c) {
    const registry = registryHost(c.repositoryUri());
    if (usesCredentialHelper(c, registry)) {
      c.report.log(`Docker uses the ECR credential helper for ${registry}: no login needed.`);
      return { registry, via: 'credential helper' };
    }
    if (await publishedDigest(c, { latestToo: true })) return { registry, via: 'not needed: already published' };
    return undefined;
  },
  async apply(c) {
    return { registry: await loginToEcr(c), via: 'docker login' };
  },
};

/** Logs docker in to the repository's registry; returns the registry host. Also used to retry a push. */
export async function loginToEcr(c: PublishContext): Promise<string> {
  // Without a registry the sandbox's token and URIs are real ECR's: nothing may be pushed there.
  if (c.runtime.sandbox) requireSandboxStorage(c.runtime.sandbox);
  const ecr = await c.ecr();
  const data = (await ecr.send(new GetAuthorizationTokenCommand({}), { abortSignal: c.signal })).authorizationData?.[0];
  if (!data?.authorizationToken) throw new SlipwayError('ecr:GetAuthorizationToken returned no token.');
  const decoded = Buffer.from(data.authorizationToken, 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  const registry = registryHost(c.repositoryUri());
  await dockerLogin({ ...c.docker, registry, username: decoded.slice(0, separator), password: decoded.slice(separator + 1) });
  c.report.log(`Logged in to ${registry} (token valid until ${data.expiresAt?.toISOString() ?? '?'}).`);
  return registry;
}

function usesCredentialHelper(c: PublishContext, registry: string): boolean {
  const folder = c.runtime.dockerConfig ?? c.runtime.env.DOCKER_CONFIG ?? join(c.runtime.env.HOME ?? homedir(), '.docker');
  try {
    const config = JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8')) as { credHelpers?: Record<string, string>; credsStore?: string };
    return config.credHelpers?.[registry] === 'ecr-login' || config.credsStore === 'ecr-login';
  } catch {
    return false;
  }
}
