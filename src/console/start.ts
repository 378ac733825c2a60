import type { CliArgs } from '../cli/args.js';
import { FLOWS } from '../cli/flows.js';
import { NO_CREDENTIALS_REASON, SANDBOX_ENTRY } from '../cli/home-sandbox.js';
import type { Mode } from '../cli/mode.js';
import { runExitCode } from '../cli/exit-code.js';
import { describeRun, isBroken, type RunListing } from '../cli/runs.js';
import { ExitCode, UsageError } from '../engine/errors.js';
import type { RunResult } from '../engine/events.js';
import type { Prompter } from '../engine/prompter.js';
import { planLines } from '../engine/plan.js';
import { Session, type RunRequest } from '../session/session.js';
import { NonInteractivePrompter } from './ci-prompter.js';
import { createLineRenderer } from './line-renderer.js';
import { PlainPrompter } from './plain-prompter.js';
import { installCancelHandlers } from './signals.js';

/**
 * The line front ends: `plain` (a person, one line per event, inquirer prompts) and `ci` (nobody to
 * ask; with --json, one result object on stdout and the lines on stderr). What runs is the session's
 * (src/session/session.ts) — the same as the wizard's; this file only asks and prints.
 */
export async function startLines(args: CliArgs, mode: Exclude<Mode, 'tui'>, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const cancel = installCancelHandlers((line) => process.stderr.write(`${line}\n`));
  try {
    const lines: Lines = {
      session: new Session(args, env),
      prompter: mode === 'plain' ? new PlainPrompter(cancel.signal) : new NonInteractivePrompter(env),
      out: args.json ? (line: string) => process.stderr.write(`${line}\n`) : (line: string) => process.stdout.write(`${line}\n`),
      run: async (request) => {
        const prepared = lines.session.prepare(request);
        if (args.plan) {
          const { plan } = await lines.session.plan(prepared, { prompter: lines.prompter, cancel: cancel.signal });
          if (args.json) process.stdout.write(`${JSON.stringify(plan)}\n`);
          else for (const line of planLines(plan)) process.stdout.write(`${line}\n`);
          return args.detailedExitcode && plan.changes ? ExitCode.changesPlanned : ExitCode.ok;
        }
        const emit = createLineRenderer(lines.out, { ascii: mode === 'ci' || env.TERM === 'dumb' });
        const { result, code } = await lines.session.run(prepared, { prompter: lines.prompter, emit, cancel: cancel.signal });
        if (args.json) process.stdout.write(`${JSON.stringify(jsonResult(result))}\n`);
        return code;
      },
    };
    switch (args.command) {
      case 'resume':
        return await resume(lines);
      case 'home':
        return await home(lines);
      default:
        return await lines.run({ flow: args.command });
    }
  } finally {
    cancel.dispose();
  }
}

interface Lines {
  session: Session;
  prompter: Prompter;
  out(line: string): void;
  run(request: RunRequest): Promise<number>;
}

async function resume({ session, prompter, out, run }: Lines): Promise<number> {
  const { args } = session;
  const runs = session.runs();
  if (args.list || (runs.length === 0 && !args.rest[0])) {
    if (args.json) process.stdout.write(`${JSON.stringify({ runs: runs.map(toJsonRun) })}\n`);
    else if (runs.length === 0) out('No unfinished runs.');
    else runs.forEach((r, i) => out(`${i + 1}. ${describeRun(r)}`));
    return ExitCode.ok;
  }
  if (args.rest[0] !== undefined) return act(session.runByNumber(args.rest[0]), args.discard ? 'discard' : 'resume', { session, prompter, out, run });
  if (prompter.interactive) {
    const step = session.choose(await pick(prompter, session.menu(true)));
    return step.kind === 'pick' ? pickedRun(step.run, { session, prompter, out, run }) : ExitCode.ok;
  }
  if (runs.length === 1) return act(runs[0]!, args.discard ? 'discard' : 'resume', { session, prompter, out, run });
  throw new UsageError(`There are ${runs.length} unfinished runs; say which.`, { fix: 'slipway resume <n> (numbers from `slipway resume --list`).' });
}

async function home(lines: Lines): Promise<number> {
  const { session, prompter, out } = lines;
  const { args } = session;
  if (!prompter.interactive) return listHome(session, out);
  if (session.noCredentials) out(NO_CREDENTIALS_REASON);
  if (args.sandbox) out(`SANDBOX ${args.sandbox}: what you start now runs against a simulated AWS account on this machine.`);
  const step = session.choose(await pick(prompter, session.menu()));
  switch (step.kind) {
    case 'quit':
      return ExitCode.ok;
    case 'sandbox':
      return home(lines);
    case 'run':
      return lines.run(step.request);
    case 'pick':
      return pickedRun(step.run, lines);
  }
}

/** A run picked from a menu: resume it or discard its journal (an unreadable one can only go). */
async function pickedRun(run: RunListing, lines: Lines): Promise<number> {
  const choices = [...(isBroken(run) ? [] : [{ value: 'resume', label: 'Resume it' }]), { value: 'discard', label: 'Discard its journal' }];
  const action = await lines.prompter.select({ id: 'action', message: `${describeRun(run)}: resume it or discard it?`, choices });
  return act(run, action === 'discard' ? 'discard' : 'resume', lines);
}

async function act(run: RunListing, action: 'resume' | 'discard', { session, out, run: start }: Lines): Promise<number> {
  if (action === 'discard') {
    out(session.discard(run));
    return ExitCode.ok;
  }
  return start(session.resumeRequest(run));
}

function pick(prompter: Prompter, items: { value: string; label: string; hint?: string }[]): Promise<string> {
  return prompter.select({ id: 'home', message: 'What would you like to do?', choices: items });
}

function listHome(session: Session, out: (line: string) => void): number {
  const { args } = session;
  const runs = session.runs();
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ flows: FLOWS.filter((f) => !f.lineOnly).map(({ name, label, description }) => ({ name, label, description })), runs: runs.map(toJsonRun) })}\n`);
    return ExitCode.ok;
  }
  out('slipway — flows:');
  for (const f of FLOWS.filter((f) => !f.lineOnly)) out(`  slipway ${f.name.padEnd(10)} ${f.label}: ${f.description}`);
  if (session.noCredentials) out(NO_CREDENTIALS_REASON);
  if (!args.sandbox) out(`  slipway <flow> --sandbox   ${SANDBOX_ENTRY.hint}`);
  out(runs.length ? 'Unfinished runs (slipway resume <n>):' : 'No unfinished runs.');
  runs.forEach((r, i) => out(`  ${i + 1}. ${describeRun(r)}`));
  return ExitCode.ok;
}

function jsonResult(result: RunResult) {
  const { flow, runId, status, target, journalPath, resumed, outputs, failures, summary, durationMs } = result;
  return { flow, runId, status, exitCode: runExitCode(result), target, journalPath, resumed, outputs, failures, summary, durationMs };
}

function toJsonRun(run: RunListing) {
  return isBroken(run) ? { path: run.path, broken: run.broken } : run;
}
