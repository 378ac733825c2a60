import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DockerError } from './errors.js';
import { dockerFailure } from './failure.js';
import type { DockerCallOptions } from './run.js';
import { dockerEnv, runDocker } from './run.js';
import { LineTail } from './tail.js';

export interface DockerBuildOptions extends DockerCallOptions {
  context: string;
  /** Dockerfile path; docker's default is `<context>/Dockerfile`. */
  file?: string;
  /** Stage to build (`test`, `release`). */
  target?: string;
  tags: readonly string[];
  /** e.g. `linux/amd64` for Fargate x86 from an Apple Silicon Mac. */
  platform?: string;
  labels?: Readonly<Record<string, string>>;
  buildArgs?: Readonly<Record<string, string>>;
  /** Every output line, stdout and stderr, as it arrives. */
  onLine: (line: string) => void;
  /** Use BuildKit (`docker buildx build`); detected from `docker buildx version` when unset. */
  buildkit?: boolean;
}

/**
 * Builds an image and returns its ID (from --iidfile, not parsed from output, which differs
 * between BuildKit and the legacy builder). On failure the error quotes the last 20 lines.
 */
export async function dockerBuild(opts: DockerBuildOptions): Promise<{ imageId: string }> {
  opts.signal?.throwIfAborted();
  const buildkit = opts.buildkit ?? (await buildKitAvailable(opts));
  const dir = await mkdtemp(join(tmpdir(), 'slipway-build-'));
  try {
    const iidFile = join(dir, 'image-id');
    const tail = new LineTail(20);
    const result = await runDocker(buildArgs(opts, buildkit, iidFile), {
      ...opts,
      onLine: (line) => {
        tail.push(line);
        opts.onLine(line);
      },
    });
    if (result.exitCode !== 0) throw dockerFailure('docker build', result, tail.text());
    const imageId = (await readFile(iidFile, 'utf8').catch(() => '')).trim();
    if (!imageId) throw new DockerError(`docker build succeeded but wrote no image ID:\n${tail.text()}`);
    return { imageId };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Only `docker buildx build` reliably takes --progress and --load: the legacy builder of CLI 23+
 * rejects --progress ("unknown flag"), and the 20.10 CLI only takes it with DOCKER_BUILDKIT=1.
 * Without buildx (Debian bookworm's docker.io) the legacy `docker build` is used.
 */
function buildArgs(opts: DockerBuildOptions, buildkit: boolean, iidFile: string): string[] {
  const args = buildkit
    ? // --load: with a docker-container builder the image would otherwise stay in the build cache.
      ['buildx', 'build', '--load', '--progress=plain']
    : ['build'];
  args.push('--iidfile', iidFile);
  if (opts.file !== undefined) args.push('--file', opts.file);
  if (opts.target !== undefined) args.push('--target', opts.target);
  if (opts.platform !== undefined) args.push('--platform', opts.platform);
  for (const tag of opts.tags) args.push('--tag', tag);
  for (const [key, value] of Object.entries(opts.labels ?? {})) args.push('--label', `${key}=${value}`);
  for (const [key, value] of Object.entries(opts.buildArgs ?? {})) args.push('--build-arg', `${key}=${value}`);
  // Absolute, so a context named like a flag ("-x") cannot be read as one.
  args.push(resolve(opts.context));
  return args;
}

/** DOCKER_BUILDKIT=0 is the user asking for the legacy builder; respect it. */
async function buildKitAvailable(opts: DockerCallOptions): Promise<boolean> {
  const setting = (dockerEnv(opts).DOCKER_BUILDKIT ?? process.env.DOCKER_BUILDKIT)?.toLowerCase();
  if (setting === '0' || setting === 'false') return false;
  // Asked quietly — "docker: unknown command: docker buildx" is the expected answer without buildx, not
  // news for the step's log — and once per docker setup, not before every build.
  const key = JSON.stringify(dockerEnv(opts));
  let known = BUILDX_AVAILABLE.get(key);
  if (known === undefined) {
    known = runDocker(['buildx', 'version'], { signal: opts.signal, env: opts.env, dockerConfig: opts.dockerConfig }).then(({ exitCode }) => exitCode === 0);
    BUILDX_AVAILABLE.set(key, known);
    known.catch(() => BUILDX_AVAILABLE.delete(key));
  }
  return known;
}

const BUILDX_AVAILABLE = new Map<string, Promise<boolean>>();
