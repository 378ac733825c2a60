import type { CliArgs } from '../cli/args.js';
import { givenAnswers } from '../cli/answers-file.js';
import { findFlow, FLOWS } from '../cli/flows.js';
import { awsCredentialsFound, DEFAULT_SANDBOX, NO_CREDENTIALS_REASON, SANDBOX_ENTRY } from '../cli/home-sandbox.js';
import type { Mode } from '../cli/mode.js';
import { runExitCode } from '../cli/exit-code.js';
import { argsForResume, describeRun, isBroken, runMeta, unfinishedRuns, type RunListing } from '../cli/runs.js';
import { makeRuntime } from '../cli/runtime.js';
import { ExitCode, UsageError } from '../engine/errors.js';
import type { RunResult } from '../engine/events.js';
import { discardRun, readJournal } from '../engine/journal.js';
import type { Prompter } from '../engine/prompter.js';
import { runFlow } from '../engine/runner.js';
import { NonInteractivePrompter } from './ci-prompter.js';
import { createLineRenderer } from './line-renderer.js';
import { PlainPrompter } from './plain-prompter.js';
import { installCancelHandlers } from './signals.js';

/**
 * The line front ends: `plain` (a person, one line per event, inquirer prompts) and `ci` (nobody to
 * ask; with --json, one result object on stdout and the lines on stderr).
 */
export async function startLines(args: CliArgs, mode: Exclude<Mode, 'tui'>, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const cancel = installCancelHandlers((line) => process.stderr.write(`${line}\n`));
  try {
    const prompter: Prompter = mode === 'plain' ? new PlainPrompter(cancel.signal) : new NonInteractivePrompter(env);
    const out = args.json ? (line: string) => process.stderr.write(`${line}\n`) : (line: string) => process.stdout.write(`${line}\n`);
    const ascii = mode === 'ci' || env.TERM === 'dumb';

    const run = async (flowName: string, journalPath?: string, region?: string, started: CliArgs = args): Promise<number> => {
      const entry = findFlow(flowName);
      if (!entry) throw new UsageError(`This slipway does not know the flow "${flowName}".`, { fix: 'Update slipway, or discard the run with `slipway resume <n> --discard`.' });
      const runArgs = journalPath ? argsForResume(started, readJournal(journalPath).meta) : started;
      const runtime = makeRuntime(runArgs, env, region);
      const given = givenAnswers(args);
      const flow = await entry.load(runtime);
      const result = await runFlow({ flow, given, prompter, emit: createLineRenderer(out, { ascii }), cancel: cancel.signal, acceptDefaults: args.yes, journalPath, env, meta: runMeta(runArgs) });
      if (args.json) process.stdout.write(`${JSON.stringify(jsonResult(result))}\n`);
      return exitCodeOf(result);
    };

    switch (args.command) {
      case 'resume':
        return await resume(args, prompter, out, run, env);
      case 'home':
        return await home(args, prompter, out, run, env);
      default:
        return await run(args.command);
    }
  } finally {
    cancel.dispose();
  }
}

type RunFn = (flow: string, journalPath?: string, region?: string, started?: CliArgs) => Promise<number>;

async function resume(args: CliArgs, prompter: Prompter, out: (line: string) => void, run: RunFn, env: NodeJS.ProcessEnv): Promise<number> {
  const runs = unfinishedRuns(env);
  if (args.list || (runs.length === 0 && !args.rest[0])) {
    if (args.json) process.stdout.write(`${JSON.stringify({ runs: runs.map(toJsonRun) })}\n`);
    else if (runs.length === 0) out('No unfinished runs.');
    else runs.forEach((r, i) => out(`${i + 1}. ${describeRun(r)}`));
    return ExitCode.ok;
  }
  let chosen: RunListing | undefined;
  let discard = args.discard;
  if (args.rest[0] !== undefined) {
    const index = Number(args.rest[0]);
    chosen = Number.isInteger(index) ? runs[index - 1] : undefined;
    if (!chosen) throw new UsageError(`There is no unfinished run number ${args.rest[0]}.`, { fix: 'See the numbers with `slipway resume --list`.' });
  } else if (prompter.interactive) {
    const pick = await prompter.select({
      id: 'run',
      message: 'Which run?',
      choices: runs.map((r, i) => ({ value: String(i), label: describeRun(r) })),
    });
    chosen = runs[Number(pick)];
    discard = (await prompter.select({ id: 'action', message: 'Resume it or discard it?', choices: [{ value: 'resume', label: 'Resume' }, { value: 'discard', label: 'Discard its journal' }] })) === 'discard';
  } else if (runs.length === 1) {
    chosen = runs[0];
  } else {
    throw new UsageError(`There are ${runs.length} unfinished runs; say which.`, { fix: 'slipway resume <n> (numbers from `slipway resume --list`).' });
  }
  if (!chosen) return ExitCode.ok;
  if (discard || isBroken(chosen)) {
    if (!discard) throw new UsageError(`That journal cannot be read: ${chosen.path}.`, { fix: 'Discard it with `slipway resume <n> --discard`.' });
    discardRun(chosen.path);
    out(`Discarded ${describeRun(chosen)}. Resources it made in AWS are left as they are.`);
    return ExitCode.ok;
  }
  const data = readJournal(chosen.path);
  return run(data.flow, chosen.path, data.target.region);
}

async function home(args: CliArgs, prompter: Prompter, out: (line: string) => void, run: RunFn, env: NodeJS.ProcessEnv): Promise<number> {
  const runs = unfinishedRuns(env);
  if (!prompter.interactive) {
    if (args.json) {
      process.stdout.write(`${JSON.stringify({ flows: FLOWS.map(({ name, label, description }) => ({ name, label, description })), runs: runs.map(toJsonRun) })}\n`);
      return ExitCode.ok;
    }
    const noCredentials = !args.sandbox && !awsCredentialsFound(env, args.profile);
    out('slipway — flows:');
    for (const f of FLOWS) out(`  slipway ${f.name.padEnd(10)} ${f.label}: ${f.description}`);
    if (noCredentials) out(NO_CREDENTIALS_REASON);
    if (!args.sandbox) out(`  slipway <flow> --sandbox   ${SANDBOX_ENTRY.hint}`);
    out(runs.length ? 'Unfinished runs (slipway resume <n>):' : 'No unfinished runs.');
    runs.forEach((r, i) => out(`  ${i + 1}. ${describeRun(r)}`));
    return ExitCode.ok;
  }
  // Offered first, with the reason, when this machine has no AWS credentials; gone once in the sandbox.
  const offerSandbox = !args.sandbox;
  const noCredentials = offerSandbox && !awsCredentialsFound(env, args.profile);
  const sandboxChoice = { value: 'sandbox', label: SANDBOX_ENTRY.label, hint: SANDBOX_ENTRY.hint };
  if (noCredentials) out(NO_CREDENTIALS_REASON);
  if (args.sandbox) out(`SANDBOX ${args.sandbox}: what you start now runs against a simulated AWS account on this machine.`);
  const choice = await prompter.select({
    id: 'home',
    message: 'What would you like to do?',
    choices: [
      ...(noCredentials ? [sandboxChoice] : []),
      ...runs.map((r, i) => ({ value: `resume:${i}`, label: `Resume ${describeRun(r)}` })),
      ...FLOWS.map((f) => ({ value: `flow:${f.name}`, label: f.label, hint: f.description })),
      ...(offerSandbox && !noCredentials ? [sandboxChoice] : []),
      ...(runs.length ? [{ value: 'discard', label: 'Discard an unfinished run' }] : []),
      { value: 'quit', label: 'Quit' },
    ],
  });
  if (choice === 'quit') return ExitCode.ok;
  if (choice === 'sandbox') return home({ ...args, sandbox: DEFAULT_SANDBOX }, prompter, out, run, env);
  if (choice === 'discard') return resume({ ...args, discard: true }, prompter, out, run, env);
  if (choice.startsWith('flow:')) return run(choice.slice(5), undefined, undefined, args);
  const chosen = runs[Number(choice.slice(7))];
  if (!chosen || isBroken(chosen)) return ExitCode.usage;
  return run(chosen.flow, chosen.path, chosen.target.region);
}

function exitCodeOf(result: RunResult): number {
  return runExitCode(result);
}

function jsonResult(result: RunResult) {
  const { flow, runId, status, target, journalPath, resumed, outputs, failures, summary, durationMs } = result;
  return { flow, runId, status, exitCode: exitCodeOf(result), target, journalPath, resumed, outputs, failures, summary, durationMs };
}

function toJsonRun(run: RunListing) {
  return isBroken(run) ? { path: run.path, broken: run.broken } : run;
}
