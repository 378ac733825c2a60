const ENTER = '\u001B[?1049h\u001B[H';
const LEAVE = '\u001B[?1049l\u001B[?25h';

/**
 * Switches to the alternate screen and guarantees the way back: on normal exit, on an uncaught error
 * and on process.exit (a 'exit' listener runs synchronously on every path Node controls).
 */
export interface AlternateScreen {
  restore(): void;
}

export function enterAlternateScreen(stdout: NodeJS.WriteStream): AlternateScreen {
  let active = true;
  const restore = () => {
    if (!active) return;
    active = false;
    stdout.write(LEAVE);
    process.off('exit', restore);
  };
  stdout.write(ENTER);
  process.on('exit', restore);
  process.once('uncaughtException', (error) => {
    restore();
    process.stderr.write(`slipway: ${error.stack ?? error.message}\n`);
    process.exit(1);
  });
  return { restore };
}
