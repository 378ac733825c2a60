import { DockerError } from './errors.js';
import { dockerFailure } from './failure.js';
import { repositoryOf } from './reference.js';
import type { DockerCallOptions } from './run.js';
import { runDocker } from './run.js';

/**
 * The registry digest (`sha256:…`) docker recorded for `ref`'s repository when it was pushed or
 * pulled; undefined when the image is not known locally or was never pushed to that repository.
 * One image can be in several repositories, so the entry must match ref's repository.
 */
export async function imageDigest(ref: string, opts: DockerCallOptions = {}): Promise<string | undefined> {
  const result = await runDocker(['image', 'inspect', '--format', '{{json .RepoDigests}}', ref], opts);
  if (result.exitCode !== 0) {
    if (/no such image/i.test(result.stderr)) return undefined;
    throw dockerFailure(`docker image inspect ${ref}`, result, result.stderr);
  }
  let repoDigests: unknown;
  try {
    repoDigests = JSON.parse(result.stdout.trim());
  } catch (cause) {
    throw new DockerError(`docker image inspect ${ref} printed something unexpected: ${result.stdout}`, { cause });
  }
  if (!Array.isArray(repoDigests)) return undefined;
  const repository = repositoryOf(ref);
  for (const entry of repoDigests) {
    if (typeof entry !== 'string') continue;
    const [name, digest] = entry.split('@');
    if (name === repository && digest && /^sha256:[0-9a-f]{64}$/.test(digest)) return digest;
  }
  return undefined;
}

/** `docker tag`: gives the local image `target` as a further name (e.g. the ECR URI). */
export async function tagImage(source: string, target: string, opts: DockerCallOptions = {}): Promise<void> {
  const result = await runDocker(['tag', source, target], opts);
  if (result.exitCode !== 0) {
    throw dockerFailure(`docker tag ${source} ${target}`, result, result.stderr, 'Build the image first, or check both names.');
  }
}
