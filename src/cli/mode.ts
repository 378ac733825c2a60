import type { CliArgs } from './args.js';

export type Mode = 'tui' | 'plain' | 'ci';

/** Which front end runs: the full-screen wizard only when a person is at a capable terminal. */
export function chooseMode(args: CliArgs, env: NodeJS.ProcessEnv, stdinIsTty: boolean, stdoutIsTty: boolean): Mode {
  if (args.json || args.yes || args.answersFile || env.CI === 'true' || env.CI === '1' || !stdinIsTty) return 'ci';
  if (args.plain || args.list || args.discard || env.TERM === 'dumb' || !stdoutIsTty) return 'plain';
  return 'tui';
}
