import type { DaemonProblem } from './problem.js';
import { detectProblem } from './problem.js';
import type { DockerCallOptions, RunResult } from './run.js';
import { runDocker } from './run.js';

export { howToFix } from './problem.js';
export type { DaemonProblem } from './problem.js';

export interface DockerPreflight {
  client: { ok: boolean; version?: string };
  daemon: {
    ok: boolean;
    version?: string;
    /** As `docker info` says it: x86_64, aarch64 (Apple Silicon, Graviton), … */
    arch?: string;
    serverErrors?: string[];
    problem?: DaemonProblem;
  };
  buildx: { ok: boolean; version?: string };
}

/** A hung daemon (or an unreachable DOCKER_HOST) must not freeze the wizard's first checks. */
const PREFLIGHT_TIMEOUT_MS = 15_000;

/**
 * Asks docker what works, before minutes of building. Never throws for docker's own failures —
 * a missing binary is `client.ok: false` — only when `signal` is aborted.
 */
export async function dockerPreflight(opts: DockerCallOptions = {}): Promise<DockerPreflight> {
  const call = { ...opts, timeoutMs: PREFLIGHT_TIMEOUT_MS };
  const [version, info, buildx] = await Promise.all([
    runDocker(['version', '--format', '{{json .}}'], call),
    runDocker(['info', '--format', '{{json .}}'], call),
    runDocker(['buildx', 'version'], call),
  ]);
  if (version.notInstalled) {
    return {
      client: { ok: false },
      daemon: { ok: false, problem: 'not-installed' },
      buildx: { ok: false },
    };
  }
  return { client: clientOf(version), daemon: daemonOf(info), buildx: buildxOf(buildx) };
}

function clientOf(version: RunResult): DockerPreflight['client'] {
  // Also printed when the daemon is down (then with exit code 1 and "Server": null).
  const clientVersion = stringAt(parseJson(version.stdout), 'Client', 'Version');
  return clientVersion ? { ok: true, version: clientVersion } : { ok: false };
}

function daemonOf(info: RunResult): DockerPreflight['daemon'] {
  const json = parseJson(info.stdout);
  // The Debian 20.10 client exits 0 and lists the failure in ServerErrors; newer clients print
  // an empty info object, exit 1 and say why on stderr. Both end up in serverErrors.
  const serverErrors = [
    ...stringsAt(json, 'ServerErrors'),
    ...(info.exitCode === 0 ? [] : info.stderr.split('\n').filter((line) => line.trim() !== '')),
    ...(info.timedOut ? [`docker info did not answer within ${PREFLIGHT_TIMEOUT_MS / 1000} s`] : []),
  ];
  const version = stringAt(json, 'ServerVersion');
  const arch = stringAt(json, 'Architecture');
  const details = { ...(version ? { version } : {}), ...(arch ? { arch } : {}) };
  if (version && serverErrors.length === 0) return { ok: true, ...details };
  return {
    ok: false,
    ...details,
    serverErrors,
    problem: detectProblem(serverErrors.join('\n')) ?? 'other',
  };
}

function buildxOf(buildx: RunResult): DockerPreflight['buildx'] {
  if (buildx.exitCode !== 0) return { ok: false };
  // "github.com/docker/buildx v0.14.1 59582a8" (Debian: "github.com/docker/buildx 0.13.1+ds1-3 …")
  const version = buildx.stdout.trim().split(/\s+/)[1];
  return version ? { ok: true, version } : { ok: true };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text.trim());
  } catch {
    return undefined;
  }
}

function valueAt(json: unknown, path: readonly string[]): unknown {
  let value = json;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function stringAt(json: unknown, ...path: string[]): string | undefined {
  const value = valueAt(json, path);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function stringsAt(json: unknown, ...path: string[]): string[] {
  const value = valueAt(json, path);
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
