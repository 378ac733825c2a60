import { setTimeout as sleep } from 'node:timers/promises';
import { abortReason, DockerError } from './errors.js';
import { howToFix } from './problem.js';
import type { DockerCallOptions } from './run.js';
import { runDocker } from './run.js';

/** How long a restarting daemon gets to answer again: Docker Desktop can take most of a minute. */
export const DAEMON_RETURN_WAIT_MS = 90_000;
const POLL_MS = 1_000;
/** A daemon that keeps dying under a command is not a restart any more. */
const MAX_RECOVERIES = 2;

/**
 * Whether the daemon answers now. `docker version` asks the server and fails when it cannot
 * (`docker info` exits 0 on the 20.10 client with the daemon down). Bounded: a hung socket is "no".
 */
export async function daemonAnswers(opts: DockerCallOptions = {}): Promise<boolean> {
  const result = await runDocker(['version', '--format', '{{.Server.Version}}'], { ...opts, timeoutMs: 5_000 });
  return result.exitCode === 0 && result.stdout.trim() !== '';
}

export interface DaemonWait extends DockerCallOptions {
  waitMs?: number;
  pollMs?: number;
  /** Called about every five seconds while waiting, with the seconds waited so far. */
  onWaiting?: (seconds: number) => void;
}

/** Waits until the daemon answers, at most `waitMs`; says whether it did. */
export async function waitForDaemon(opts: DaemonWait = {}): Promise<boolean> {
  const waitMs = opts.waitMs ?? DAEMON_RETURN_WAIT_MS;
  const pollMs = opts.pollMs ?? POLL_MS;
  const started = Date.now();
  let told = 0;
  for (;;) {
    if (await daemonAnswers(opts)) return true;
    const waited = Date.now() - started;
    if (waited >= waitMs) return false;
    if (waited - told >= 5_000) {
      told = waited;
      opts.onWaiting?.(Math.round(waited / 1000));
    }
    await sleep(pollMs, undefined, opts.signal ? { signal: opts.signal } : {}).catch(() => {
      throw abortReason(opts.signal);
    });
  }
}

export interface RestartRecovery extends DaemonWait {
  /** What was interrupted, for the messages: "docker build", "the push of …". */
  what: string;
  /** The daemon went away under the command: say so before the wait starts. */
  onLost?: (message: string) => void;
  /** It answers again: the command is about to run again. */
  onBack?: (message: string) => void;
  /** The caller already saw the daemon answer (publish's preflight): skip the check before the work. */
  knownUp?: boolean;
}

/**
 * Runs a docker command that a daemon restart can cut short (a build, a test run, a push) and, when
 * the daemon went away under it, waits for the daemon and runs it again. What docker prints when its
 * daemon dies depends on the moment ("unexpected EOF", an overlay mount error, a dead container), so
 * the failure text is not trusted: a failure is a lost daemon when the daemon does not answer right
 * after it. A real failure (tests failing, a bad Dockerfile) with the daemon up is thrown as it was.
 * Builds and pushes are safe to repeat: the build cache and the registry keep what was done.
 * A daemon that is not there to begin with (not installed, not started) is the command's own error
 * to explain, at once: one `docker version` before the command tells the two apart.
 */
export async function surviveDaemonRestart<T>(work: () => Promise<T>, opts: RestartRecovery): Promise<T> {
  if (!opts.knownUp && !(await daemonAnswers(opts))) return work();
  for (let recoveries = 0; ; recoveries++) {
    try {
      return await work();
    } catch (error) {
      if (opts.signal?.aborted || recoveries >= MAX_RECOVERIES || (await daemonAnswers(opts))) throw error;
      opts.onLost?.(`The Docker daemon went away during ${opts.what}; waiting for it to come back…`);
      const started = Date.now();
      if (!(await waitForDaemon(opts))) {
        const seconds = Math.round((opts.waitMs ?? DAEMON_RETURN_WAIT_MS) / 1000);
        throw new DockerError(`${opts.what} was interrupted: the Docker daemon went away and did not answer again within ${seconds} s.`, {
          problem: 'daemon-down',
          fix: `${howToFix('daemon-down', process.platform)} Then run slipway again: it carries on from here.`,
          cause: error,
        });
      }
      opts.onBack?.(`Docker answers again after ${Math.round((Date.now() - started) / 1000)} s; running ${opts.what} again.`);
    }
  }
}
