#!/usr/bin/env node
import { ArgsError, commandOf, parseCli } from '../src/cli/args.js';
import { commandHelp, mainHelp } from '../src/cli/help.js';
import { showFirstFrame } from '../screens/first-frame.js';
import { givenAnswers } from '../src/cli/answers-file.js';
import { COMMANDS, FLOWS, findCommand, findFlow } from '../src/cli/flows.js';
import { chooseMode } from '../src/cli/mode.js';
import { validateGivenAnswers } from '../src/engine/answers.js';
import { printError } from '../src/cli/print-error.js';
import { enableCompileCache, keepCompileCache } from '../src/cli/compile-cache.js';
import { nodeSupport, unsupportedNodeNotice } from '../src/cli/node-support.js';
import { CancelledError, ExitCode, UsageError } from '../src/engine/errors.js';

declare const SLIPWAY_VERSION: string;

/**
 * Entry point. Decides the mode from argv and the terminal, then imports only that front end: the
 * first frame must not wait for the AWS SDK, inquirer or anything a flow loads later.
 */
// On a Node.js slipway does not support, say so once, before any screen — and spare the AWS SDK's
// longer notice of the same news, which would land in the middle of one. On supported Nodes the SDK
// has nothing to say and nothing is silenced. (Someone who silenced the SDK's notice silenced ours.)
const unsupported = unsupportedNodeNotice(nodeSupport(process.versions.node));
if (unsupported && process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED !== 'true') {
  process.stderr.write(`slipway: ${unsupported}\n`);
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
}

// `slipway … | head -1`: a reader that stops early closes the pipe. Nothing is left to say to it, so
// leave quietly, as other command-line tools do, rather than crash on EPIPE.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

async function main(argv: string[]): Promise<number> {
  // `slipway sandbox …` has subcommands and flags of its own.
  if (commandOf(argv) === 'sandbox') return sandboxCommand(argv);
  let args;
  try {
    args = parseCli(argv);
  } catch (error) {
    if (!(error instanceof ArgsError)) throw error;
    // A mistake in a known command's flags points at that command's help, not at everything.
    const command = commandOf(argv);
    const flow = command === undefined ? undefined : (findFlow(command) ?? findCommand(command));
    process.stderr.write(`slipway: ${error.message}\n${flow ? `Its flags: slipway ${flow.name} --help\n` : `\n${mainHelp(FLOWS, COMMANDS)}`}`);
    return ExitCode.usage;
  }
  if (args.help) {
    const flow = findFlow(args.command) ?? findCommand(args.command);
    process.stdout.write(flow ? commandHelp(flow) : mainHelp(FLOWS, COMMANDS));
    return ExitCode.ok;
  }
  if (args.version) {
    process.stdout.write(`slipway ${SLIPWAY_VERSION}\n`);
    return ExitCode.ok;
  }
  // A plan is lines to read (or pipe), like `terraform plan`: never the full-screen wizard. Nor is a
  // flow that hands the terminal to another program (`slipway exec`'s session).
  const chosen = chooseMode(args, process.env, Boolean(process.stdin.isTTY), Boolean(process.stdout.isTTY));
  const mode = (args.plan || findFlow(args.command)?.lineOnly) && chosen === 'tui' ? 'plain' : chosen;
  try {
    // Bad answers on the command line are refused here, before any screen or journal exists.
    const command = findCommand(args.command);
    const entry = findFlow(args.command) ?? command;
    if (entry?.questions) validateGivenAnswers(entry.questions, givenAnswers(args));
    await entry?.checkGiven?.(givenAnswers(args), process.cwd());
    enableCompileCache(process.env);
    // A command that is not a flow (`slipway logs`) prints its lines in every mode: no wizard, no journal.
    if (command) {
      const code = await command.start(args);
      if (code !== ExitCode.usage) keepCompileCache(process.env);
      return code;
    }
    if (mode === 'tui') {
      // The home screen is painted before the ink front end is loaded (see screens/first-paint.ts).
      const painted = args.command === 'home' ? showFirstFrame(args, process.env) : undefined;
      const { startTui } = await withoutFetch(() => import('../screens/start.js'));
      const code = await startTui(args, process.env, painted);
      if (code !== ExitCode.usage) keepCompileCache(process.env);
      // The screen is restored and the journal written: leave now, even if a cancelled step still
      // holds a timer or socket open.
      process.exit(code);
    }
    const { startLines } = await import('../src/console/start.js');
    const code = await startLines(args, mode);
    if (code !== ExitCode.usage) keepCompileCache(process.env);
    return code;
  } catch (error) {
    if (error instanceof CancelledError) {
      process.stderr.write('Cancelled.\n');
      return ExitCode.cancelled;
    }
    printError(error, args.json);
    return error instanceof UsageError ? ExitCode.usage : ExitCode.failed;
  }
}

async function sandboxCommand(argv: string[]): Promise<number> {
  const { runSandboxCommand } = await import('../src/cli/sandbox-command.js');
  const env = process.env;
  return runSandboxCommand(argv, {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    env,
    interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY) && env.CI !== 'true' && env.CI !== '1',
    confirm: async (question) => {
      const { createInterface } = await import('node:readline/promises');
      const rl = createInterface({ input: process.stdin, output: process.stdout });
      // Ctrl-C at the question is a "no".
      const asking = new AbortController();
      rl.on('SIGINT', () => asking.abort());
      try {
        return /^\s*y(es)?\s*$/i.test(await rl.question(`${question} [y/N] `, { signal: asking.signal }));
      } catch {
        process.stdout.write('\n');
        return false;
      } finally {
        rl.close();
      }
    },
  });
}

/**
 * Ink's layout engine (yoga, WebAssembly inlined as a data: URL) loads through fetch() when fetch
 * exists, which pulls in Node's undici (~40 ms of start-up) just to decode a string. Hidden while the
 * TUI chunk loads, yoga takes its plain ArrayBuffer path instead; fetch is back before anything else runs.
 */
async function withoutFetch<T>(load: () => Promise<T>): Promise<T> {
  const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
  if (!descriptor?.configurable) return load();
  Object.defineProperty(globalThis, 'fetch', { configurable: true, enumerable: descriptor.enumerable, writable: true, value: undefined });
  try {
    return await load();
  } finally {
    Object.defineProperty(globalThis, 'fetch', descriptor);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    printError(error, false);
    process.exitCode = ExitCode.failed;
  },
);
