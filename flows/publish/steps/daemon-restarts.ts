import { surviveDaemonRestart } from '../../../src/docker/daemon-restart.js';
import type { PublishContext } from '../context.js';

/**
 * Runs a publish step's docker work so that a daemon restart in the middle (Docker Desktop updating
 * itself, `systemctl restart docker`) costs a wait and a re-run, said on screen, instead of the step.
 */
export function survivingDaemonRestarts<T>(c: PublishContext, what: string, work: () => Promise<T>): Promise<T> {
  return surviveDaemonRestart(work, {
    ...c.docker,
    what,
    onLost: (message) => c.report.log(message, 'warn'),
    onWaiting: (seconds) => c.report.log(`Still waiting for the Docker daemon (${seconds} s)…`),
    onBack: (message) => c.report.log(message),
  });
}
