const ENTER = '\u001B[?1049h\u001B[H';
const LEAVE = '\u001B[?1049l\u001B[?25h';

/** Signals that end slipway from outside, with the exit code a shell expects (128 + number). */
const TERMINATING = { SIGTERM: 143, SIGHUP: 129, SIGINT: 130 } as const;
type TerminatingSignal = keyof typeof TERMINATING;

export interface AlternateScreen {
  restore(): void;
  /**
   * Replaces the default "restore and exit" on SIGTERM/SIGHUP/SIGINT with the app's own handler
   * (which also unmounts ink and keeps the journal). Until then — while the front end is still loading —
   * the default keeps a signal from leaving the terminal in the alternate screen.
   */
  onSignal(handler: (signal: TerminatingSignal, exitCode: number) => void): void;
}

/**
 * Switches to the alternate screen and guarantees the way back: on normal exit, on an uncaught error,
 * on process.exit (an 'exit' listener runs synchronously on every path Node controls) and on the
 * signals that end a process from outside.
 */
export function enterAlternateScreen(stdout: NodeJS.WriteStream): AlternateScreen {
  let active = true;
  const restore = () => {
    if (!active) return;
    active = false;
    stdout.write(LEAVE);
    process.off('exit', restore);
  };
  let handler: (signal: TerminatingSignal, exitCode: number) => void = (_signal, exitCode) => {
    restore();
    process.exit(exitCode);
  };
  const listeners = (Object.keys(TERMINATING) as TerminatingSignal[]).map((signal) => {
    const listener = () => handler(signal, TERMINATING[signal]);
    process.on(signal, listener);
    return [signal, listener] as const;
  });
  stdout.write(ENTER);
  process.on('exit', () => {
    restore();
    for (const [signal, listener] of listeners) process.off(signal, listener);
  });
  process.once('uncaughtException', (error) => {
    restore();
    process.stderr.write(`slipway: ${error.stack ?? error.message}\n`);
    process.exit(1);
  });
  return {
    restore,
    onSignal(next) {
      handler = next;
    },
  };
}
