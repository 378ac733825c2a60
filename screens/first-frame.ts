import { resolveAwsSettings } from '../src/aws/settings.js';
import type { CliArgs } from '../src/cli/args.js';
import { FLOWS } from '../src/cli/flows.js';
import { awsCredentialsFound, sandboxHeader } from '../src/cli/home-sandbox.js';
import { unfinishedRuns } from '../src/cli/runs.js';
import { paintHome } from './first-paint.js';
import { enterAlternateScreen, type AlternateScreen } from './terminal.js';

/**
 * Shows the home screen at once, while the ink front end (the bulk of start-up) is still loading.
 * Returns the alternate-screen handle for the TUI to take over.
 */
export function showFirstFrame(args: CliArgs, env: NodeJS.ProcessEnv): AlternateScreen {
  const terminal = enterAlternateScreen(process.stdout);
  // Raw mode now, so keys pressed while ink loads are neither echoed nor lost: ink reads them later.
  if (process.stdin.isTTY) process.stdin.setRawMode(true);
  const aws = args.sandbox ? sandboxHeader(args) : resolveAwsSettings({ profile: args.profile, region: args.region, endpointUrl: args.endpointUrl }, env);
  const color = !env.NO_COLOR && env.TERM !== 'dumb';
  const home = { sandbox: args.sandbox, noCredentials: !args.sandbox && !awsCredentialsFound(env, args.profile) };
  process.stdout.write(paintHome({ runs: unfinishedRuns(env), flows: FLOWS, profile: aws.profile, region: aws.region, columns: process.stdout.columns || 80, color, ...home }));
  return terminal;
}
