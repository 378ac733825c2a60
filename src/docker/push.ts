import { DockerError, RegistryAuthError } from './errors.js';
import { dockerFailure } from './failure.js';
import type { LayerProgress, PushedManifest } from './push-progress.js';
import { detectProblem } from './problem.js';
import { parsePushLine } from './push-progress.js';
import { registryOf } from './reference.js';
import type { DockerCallOptions } from './run.js';
import { runDocker } from './run.js';
import { LineTail } from './tail.js';

export interface DockerPushOptions extends DockerCallOptions {
  /** Full reference including the registry host, e.g. `<account>.dkr.ecr.<region>.amazonaws.com/app:1a2b3c4`. */
  ref: string;
  /** One event per layer state change. Docker run on a pipe reports no byte counts (see push-progress.ts). */
  onProgress: (event: LayerProgress) => void;
  /** Every raw output line, for a log pane. */
  onLine?: (line: string) => void;
}

export interface DockerPushResult {
  digest: string;
  /** Manifest size in bytes. */
  size?: number;
}

// "no basic auth credentials": not logged in (or the credential store silently failed);
// "unauthorized" / "authentication required": wrong or expired credentials;
// ECR: "denied: Your authorization token has expired. Reauthenticate and try again."
// Not matched on purpose: ECR's "denied: User … is not authorized to perform …" — logging in
// again cannot fix a missing IAM permission.
const AUTH_FAILURE =
  /no basic auth credentials|unauthorized|authentication required|authorization token has expired/i;

/**
 * `docker push <ref>` with per-layer progress. Throws RegistryAuthError when the registry wants
 * (new) credentials, so the caller can log in again and retry.
 */
export async function dockerPush(opts: DockerPushOptions): Promise<DockerPushResult> {
  const tail = new LineTail(20);
  let manifest: PushedManifest | undefined;
  const result = await runDocker(['push', opts.ref], {
    ...opts,
    onLine: (line) => {
      tail.push(line);
      opts.onLine?.(line);
      for (const parsed of parsePushLine(line)) {
        if (parsed.kind === 'layer') opts.onProgress(parsed.progress);
        else manifest = parsed.manifest;
      }
    },
  });
  if (result.exitCode !== 0) {
    const output = tail.text();
    if (!detectProblem(output) && AUTH_FAILURE.test(output)) {
      const registry = registryOf(opts.ref);
      throw new RegistryAuthError(`The registry ${registry} refused the push of ${opts.ref}:\n${output}`, registry, {
        fix: `Log in to ${registry} again (docker login), then push again.`,
        ...(result.exitCode === undefined ? {} : { exitCode: result.exitCode }),
      });
    }
    throw dockerFailure(`docker push ${opts.ref}`, result, output, pushFix(output));
  }
  if (!manifest) {
    throw new DockerError(`docker push ${opts.ref} finished without printing a digest:\n${tail.text()}`);
  }
  return { digest: manifest.digest, size: manifest.size };
}

function pushFix(output: string): string | undefined {
  if (/does not exist locally|no such image|tag does not exist/i.test(output)) {
    return 'Build and tag the image with this exact reference first.';
  }
  if (/name unknown|repository .* does not exist/i.test(output)) {
    return 'Create the repository in the same region and account as the registry host.';
  }
  if (/tag invalid|cannot be overwritten|immutable/i.test(output)) {
    return 'The repository is immutable: push a new tag.';
  }
  return undefined;
}
