import { surviveDaemonRestart } from '../../../src/docker/daemon-restart.js';
import type { Step } from '../../../src/engine/types.js';
import type { PublishContext } from '../context.js';

/**
 * A publish step that a Docker daemon restart (Docker Desktop updating itself, `systemctl restart
 * docker`) costs a wait and a re-run, said on screen, instead of the run. Every step after the
 * preflight may touch the daemon (builds, the test run, inspect, tag, login, push, prune) and each is
 * safe to run again — a resume would do just that — so the whole probe or apply is what runs again.
 * The preflight saw the daemon answer, so a daemon that does not answer after a failure went away.
 */
export function survivingDaemonRestarts(step: Step<PublishContext>): Step<PublishContext> {
  const guard = <T>(c: PublishContext, work: () => Promise<T>): Promise<T> =>
    surviveDaemonRestart(work, {
      ...c.docker,
      what: `“${step.title}”`,
      knownUp: true,
      onLost: (message) => c.report.log(message, 'warn'),
      onWaiting: (seconds) => c.report.log(`Still waiting for the Docker daemon (${seconds} s)…`),
      onBack: (message) => c.report.log(message),
    });
  return { ...step, probe: (c) => guard(c, () => step.probe(c)), apply: (c) => guard(c, () => step.apply(c)) };
}
