import { ExitCode } from '../engine/errors.js';

/**
 * Ctrl-C in the line modes: the first press cancels the running step (its child processes get the
 * signal too) and lets the runner keep the journal; a second press leaves at once. SIGTERM cancels the
 * same way, so the journal is written before the process ends.
 */
export function installCancelHandlers(say: (line: string) => void) {
  const controller = new AbortController();
  let presses = 0;
  const onSigint = () => {
    presses++;
    if (presses === 1) {
      say('Cancelling the running step… (Ctrl-C again to leave now)');
      controller.abort();
    } else {
      process.exit(ExitCode.cancelled);
    }
  };
  const onSigterm = () => {
    controller.abort();
    setTimeout(() => process.exit(143), 2_000).unref();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigterm);
    },
  };
}
