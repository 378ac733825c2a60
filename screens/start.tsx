import { render } from 'ink';
import type { CliArgs } from '../src/cli/args.js';
import { resolveAwsSettings } from '../src/aws/settings.js';
import { createLineRenderer } from '../src/console/line-renderer.js';
import { ExitCode } from '../src/engine/errors.js';
import { Session } from '../src/session/session.js';
import { Root, type Screen } from './root.js';
import { PromptBroker } from './state/prompt-broker.js';
import type { FirstFrame } from './first-frame.js';
import { enterAlternateScreen } from './terminal.js';

/**
 * The full-screen wizard. Runs in the alternate screen (restored on every exit path); when it ends,
 * the run is replayed as plain lines onto the normal screen so the scrollback keeps a record.
 */
export async function startTui(args: CliArgs, env: NodeJS.ProcessEnv = process.env, painted?: FirstFrame): Promise<number> {
  const early = painted?.handOver();
  const session = new Session(args, env);
  const screen = initialScreen(session);
  if (typeof screen === 'number') return screen;
  // Where the first frame's keys left the home menu: ink starts there (and opens what Enter chose).
  const initial: Screen = screen.kind === 'home' && early ? { ...screen, selected: early.selected, chosen: early.chosen } : screen;
  const aws = resolveAwsSettings({ profile: args.profile, region: args.region, endpointUrl: args.endpointUrl }, env);
  const terminal = painted?.terminal ?? enterAlternateScreen(process.stdout);
  const broker = new PromptBroker();

  return new Promise<number>((resolve) => {
    let finished = false;
    // The record printed on the normal screen is every run's of this session, not only the last one's.
    const finish = (code: number) => {
      if (finished) return;
      finished = true;
      process.stdout.off('resize', clearOnResize);
      app.unmount();
      keepScrollback.release();
      terminal.restore();
      const print = createLineRenderer((line) => process.stdout.write(`${line}\n`));
      for (const event of session.record) print(event);
      resolve(code);
    };
    // SIGTERM/SIGHUP (a closed terminal, `kill`) or a SIGINT from outside (keyboard Ctrl-C arrives as
    // a key in raw mode): leave the alternate screen, then go. The journal already holds every step.
    // On resize the terminal reflows the old frame (wrapping it when narrower), and ink, erasing by its
    // own line count, would leave the wrapped remains at the top. Clear first; ink then redraws at 0,0.
    const clearOnResize = () => process.stdout.write('\u001B[2J\u001B[H');
    // Ink draws from the cursor: its first frame starts at the top-left over the painted one, cleared in
    // the same write so the terminal never shows a blank screen between the two.
    const keepScrollback = withoutScrollbackClearing(process.stdout, painted ? '\u001B[H\u001B[2J' : '');
    process.stdout.on('resize', clearOnResize);
    terminal.onSignal((_signal, exitCode) => {
      finish(exitCode);
      process.exit(exitCode);
    });

    const app = render(<Root session={session} initial={initial} broker={broker} profile={aws.profile} region={aws.region} onExit={finish} />, {
      exitOnCtrlC: false,
      patchConsole: true,
    });
    app.waitUntilExit().catch(() => finish(ExitCode.failed));
  });
}

function initialScreen(session: Session): Screen | number {
  const { args } = session;
  if (args.command === 'resume') {
    if (args.rest[0] === undefined) return { kind: 'home', runsOnly: true };
    try {
      return { kind: 'flow', request: session.resumeRequest(session.runByNumber(args.rest[0])), key: 0 };
    } catch (error) {
      process.stderr.write(`slipway: there is no resumable run number ${args.rest[0]} (see \`slipway resume --list\`).\n`);
      return ExitCode.usage;
    }
  }
  if (args.command !== 'home') return { kind: 'flow', request: { flow: args.command }, key: 0 };
  return { kind: 'home' };
}

/**
 * Ink clears the whole terminal — scrollback included (ESC[3J) — when a frame is taller than the
 * window. slipway draws in the alternate screen, so clearing the screen is enough; the person's
 * scrollback on the normal screen must survive. Strips ESC[3J from what is written while the TUI runs,
 * and puts `firstWritePrefix` in front of ink's first frame.
 */
const BEGIN_SYNCHRONIZED_OUTPUT = '\u001B[?2026h';

function withoutScrollbackClearing(stdout: NodeJS.WriteStream, firstWritePrefix: string): { release(): void } {
  const original = stdout.write;
  let prefix = firstWritePrefix;
  stdout.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]) {
    let text = typeof chunk === 'string' ? chunk.replaceAll('\u001B[3J', '') : chunk;
    // With the frame itself, not with ink's separate write opening its synchronized-output block
    // (ESC[?2026h): one write carries the clear and the frame, so no terminal shows a blank between.
    if (prefix && typeof text === 'string' && text !== BEGIN_SYNCHRONIZED_OUTPUT) {
      text = prefix + text;
      prefix = '';
    }
    return (original as (...args: unknown[]) => boolean).call(this, text, ...rest);
  } as typeof stdout.write;
  return {
    release() {
      stdout.write = original;
    },
  };
}
