import { resolveAwsSettings } from '../src/aws/settings.js';
import type { CliArgs } from '../src/cli/args.js';
import { FLOWS } from '../src/cli/flows.js';
import { awsCredentialsFound, sandboxHeader } from '../src/cli/home-sandbox.js';
import { unfinishedRuns } from '../src/cli/runs.js';
import { keepCompileCache } from '../src/cli/compile-cache.js';
import { homeKey, splitKeys } from './early-keys.js';
import { homeItems } from '../src/session/home-menu.js';
import { paintHome } from './first-paint.js';
import { enterAlternateScreen, type AlternateScreen } from './terminal.js';

/** Where the first frame's menu stood when ink took over. */
export interface EarlyChoice {
  /** The focused entry's value. */
  selected?: string;
  /** Enter was pressed on it. */
  chosen: boolean;
}

export interface FirstFrame {
  terminal: AlternateScreen;
  /** Stops reading keys and says where the menu stands; keys typed after Enter are left for ink. */
  handOver(): EarlyChoice;
}

/**
 * Shows the home screen at once, while the ink front end (the bulk of start-up) is still loading,
 * and acts on its keys from the first frame: ↑/↓ move the focus, q quits, Enter chooses (ink then
 * opens what was chosen). So a key pressed as the menu appears does what the menu shows — it is not
 * queued for a screen that is not there yet.
 */
export function showFirstFrame(args: CliArgs, env: NodeJS.ProcessEnv): FirstFrame {
  const stdin = process.stdin;
  // Raw mode before anything is drawn, so a key pressed on the first bytes is neither echoed nor lost.
  if (stdin.isTTY) stdin.setRawMode(true);
  const terminal = enterAlternateScreen(process.stdout);
  const aws = args.sandbox ? sandboxHeader(args) : resolveAwsSettings({ profile: args.profile, region: args.region, endpointUrl: args.endpointUrl }, env);
  const color = !env.NO_COLOR && env.TERM !== 'dumb';
  const menu = { runs: unfinishedRuns(env), flows: FLOWS, sandbox: args.sandbox, noCredentials: !args.sandbox && !awsCredentialsFound(env, args.profile) };
  const items = homeItems(menu);
  let index = 0;
  let chosen = false;
  const paint = () => paintHome({ ...menu, profile: aws.profile, region: aws.region, columns: process.stdout.columns || 80, color, selected: items[index]?.value });
  process.stdout.write(paint());

  if (!stdin.isTTY) return { terminal, handOver: () => ({ chosen: false }) };
  // Read with 'readable' and read(), as ink does: once this listener is gone the stream keeps what
  // arrives in its buffer for ink's own 'readable' listener. ('data' would leave it flowing, dropping
  // keys, and pausing it stops the tty handle in a way ink's listener does not restart.)
  let reading = true;
  const stopReading = (rest: string) => {
    reading = false;
    stdin.off('readable', onReadable);
    // What was typed after Enter belongs to the screen Enter opens: ink reads it from the stream.
    if (rest) stdin.unshift(Buffer.from(rest, 'utf8'));
  };
  const onReadable = () => {
    let chunk: Buffer | string | null;
    while (reading && (chunk = stdin.read() as Buffer | string | null) !== null) onKeys(chunk.toString());
  };
  const onKeys = (text: string) => {
    const keys = splitKeys(text);
    for (const [i, key] of keys.entries()) {
      switch (homeKey(key)) {
        case 'quit':
          quit();
          break;
        case 'up':
          index = (index - 1 + items.length) % items.length;
          repaint();
          break;
        case 'down':
          index = (index + 1) % items.length;
          repaint();
          break;
        case 'choose':
          if (items[index]?.value === 'quit') quit();
          chosen = true;
          stopReading(keys.slice(i + 1).join(''));
          return;
        case 'other':
          break;
      }
    }
  };
  // Leaving from the home screen is a run like any other (not bad input): the compile cache may stay.
  const quit = () => {
    terminal.restore();
    keepCompileCache(env);
    process.exit(0);
  };
  // Each line erased to its end: the old focus marker must not survive a shorter line.
  const repaint = () => process.stdout.write(`\u001B[H${paint().split('\n').join('\u001B[K\n')}\u001B[K\u001B[J`);
  stdin.on('readable', onReadable);
  return {
    terminal,
    handOver() {
      if (reading) stopReading('');
      return { selected: items[index]?.value, chosen };
    },
  };
}
