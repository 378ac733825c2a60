import { execa } from 'execa';
import { abortReason } from './errors.js';

/** Accepted by every adapter call. */
export interface DockerCallOptions {
  /** Aborting kills the docker process; the call then rejects with `signal.reason`. */
  signal?: AbortSignal;
  /** Extra environment for docker (DOCKER_HOST, PATH, …), on top of process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * A private docker config directory (DOCKER_CONFIG). Keeps credentials out of ~/.docker and
   * sidesteps a broken credsStore; tests use it so a developer's login is never touched.
   */
  dockerConfig?: string;
}

export interface RunOptions extends DockerCallOptions {
  /** Written to docker's stdin, the only way a secret may reach it. */
  input?: string;
  timeoutMs?: number;
  /** Streams every stdout and stderr line as it arrives; the output is then not buffered. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
}

export interface RunResult {
  /** undefined when docker could not start or was killed. */
  exitCode?: number;
  stdout: string;
  stderr: string;
  /** The docker binary is missing (ENOENT), as opposed to docker running and failing. */
  notInstalled: boolean;
  timedOut: boolean;
}

/** After a cancel, a docker process that ignores SIGTERM is SIGKILLed this much later. */
const FORCE_KILL_AFTER_MS = 3_000;

/**
 * Runs `docker <args>` and never throws for docker's own failures (callers classify those), only
 * for cancellation. Using execa's cancelSignal means the promise settles after the child has
 * exited, so a cancelled build leaves no docker process behind.
 */
export async function runDocker(args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  opts.signal?.throwIfAborted();
  const onLine = opts.onLine;
  const result = await execa('docker', args, {
    env: dockerEnv(opts),
    reject: false,
    ...(opts.signal ? { cancelSignal: opts.signal } : {}),
    forceKillAfterDelay: FORCE_KILL_AFTER_MS,
    ...(opts.timeoutMs ? { timeout: opts.timeoutMs } : {}),
    ...(opts.input === undefined ? { stdin: 'ignore' as const } : { input: opts.input }),
    // Yielding nothing drops each line after the callback, so a long build is not held in memory.
    ...(onLine
      ? {
          stdout: function* (line: unknown) {
            onLine(String(line), 'stdout');
          },
          stderr: function* (line: unknown) {
            onLine(String(line), 'stderr');
          },
        }
      : {}),
  });
  if (result.isCanceled || opts.signal?.aborted) throw abortReason(opts.signal);
  return {
    ...(result.exitCode === undefined ? {} : { exitCode: result.exitCode }),
    stdout: typeof result.stdout === 'string' ? result.stdout : '',
    stderr: typeof result.stderr === 'string' ? result.stderr : '',
    notInstalled: result.code === 'ENOENT',
    timedOut: result.timedOut,
  };
}

export function dockerEnv(opts: DockerCallOptions): Record<string, string | undefined> {
  return {
    ...opts.env,
    ...(opts.dockerConfig === undefined ? {} : { DOCKER_CONFIG: opts.dockerConfig }),
  };
}
