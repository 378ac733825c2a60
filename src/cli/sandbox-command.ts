import { existsSync, rmSync, unlinkSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { readLocalRegistry, removeLocalRegistry } from '../sandbox/local-registry.js';
import type { RolloutScenario } from '../sandbox/state.js';
import { createSandbox, sandboxFile } from '../sandbox/store.js';
import { ExitCode, SlipwayError, UsageError } from '../engine/errors.js';
import { JournalLock } from '../engine/lock.js';
import { describeRun } from './runs.js';
import { describeSandbox, formatBytes, listSandboxes, sandboxRuns, type SandboxEntry } from './sandbox-inventory.js';

/**
 * `slipway sandbox <command>`: the simulated account's own housekeeping — list the sandboxes, reset
 * one, choose what its next rollout does. Validate → (ask) → act → say what happened; bad input exits
 * 2 before anything is written.
 */
export interface SandboxCommandIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  /** A person can answer a question (a terminal on stdin and stdout, not CI). */
  interactive: boolean;
  /** Asks a yes/no question; the default is no. */
  confirm(question: string): Promise<boolean>;
}

/** What each rollout scenario makes the sandbox's next ECS deployments do. */
export const SCENARIOS: Record<RolloutScenario, string> = {
  success: 'start its tasks, pass the health checks and finish the deployment',
  'crash-loop': 'start tasks whose essential container prints a few log lines and exits 1, again and again, until the circuit breaker rolls back',
  'health-check-failing': 'start tasks that run but fail the target group’s health check (404), so they are drained and replaced',
  'out-of-memory': 'start tasks whose container is killed for using too much memory (OutOfMemoryError, exit code 137)',
  'exec-format': 'start tasks from an arm64 image on X86_64: "exec format error", exit code 255',
  'stuck-pending': 'leave its tasks in PROVISIONING: the deployment never finishes',
  'no-capacity': 'fail to place tasks: the service reports "unable to place a task"',
};

const USAGE = `Usage: slipway sandbox <command>

The sandbox is a simulated AWS account kept on this machine ($XDG_STATE_HOME/slipway/sandbox/):
rehearse any flow in it with --sandbox (or --sandbox-name <name>); nothing leaves this machine.

Commands:
  slipway sandbox list                 the sandboxes: name, account id, created, size, registry
  slipway sandbox reset                delete a sandbox: its account, its HOME, its registry, its unfinished rehearsals
  slipway sandbox scenario <name>      what the sandbox's next rollout does (success, crash-loop, …)

Options:
  --sandbox-name <name>   which sandbox (default: "default")
  -y, --yes               reset without asking
  --json                  one JSON object on stdout (list, reset)
  -h, --help              help (also: slipway sandbox <command> --help)
`;

const HELP: Record<string, string> = {
  list: `Usage: slipway sandbox list [--json]

Lists the sandboxes on this machine: name, simulated account id, when it was made, the space its
account file, HOME (~/.aws, ~/.ssh, docker config) and registry storage take, and its registry.
`,
  reset: `Usage: slipway sandbox reset [--sandbox-name <name>] [--yes] [--json]

Deletes the sandbox (default: "default"): its account file, its HOME (<name>.home: ~/.aws, ~/.ssh,
docker config), the registry slipway started for it (stopped, storage deleted) and its unfinished
rehearsals' journals. The next --sandbox run starts a fresh account. Asks first; --yes does not ask
(and is needed when nobody can be asked: no terminal, CI=true, --json). Nothing in AWS is touched:
there is nothing of the sandbox in AWS.
`,
  scenario: `Usage: slipway sandbox scenario [<name>] [--sandbox-name <name>]

Chooses what the sandbox's next rollouts do, to rehearse a failure. Without a name, shows the current one.

Scenarios:
${Object.entries(SCENARIOS)
  .map(([name, what]) => `  ${name.padEnd(22)} ${what}`)
  .join('\n')}
`,
};

const OPTIONS = {
  sandbox: { type: 'boolean' },
  'sandbox-name': { type: 'string' },
  yes: { type: 'boolean', short: 'y' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function runSandboxCommand(argv: string[], io: SandboxCommandIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    return usageFailure(io, (error as Error).message.replace(/\. To specify a positional argument.*$/s, '.'));
  }
  const [, command, ...rest] = parsed.positionals;
  const { values } = parsed;
  if (command === undefined) {
    io.out(USAGE);
    return ExitCode.ok;
  }
  const help = HELP[command];
  if (!help) return usageFailure(io, `Unknown sandbox command "${command}".`);
  if (values.help) {
    io.out(help);
    return ExitCode.ok;
  }
  const json = values.json === true;
  try {
    if (values['sandbox-name'] !== undefined && values['sandbox-name'].trim() === '') throw new UsageError('--sandbox-name needs a value.');
    const name = values['sandbox-name'] ?? 'default';
    if (command === 'list') {
      if (rest.length) throw new UsageError(`Unexpected argument "${rest[0]}".`, { fix: help });
      return list(io, json);
    }
    checkName(name);
    if (command === 'reset') {
      if (rest.length) throw new UsageError(`Unexpected argument "${rest[0]}".`, { fix: 'Name the sandbox with --sandbox-name <name>.' });
      return await reset(io, name, values.yes === true, json);
    }
    if (rest.length > 1) throw new UsageError(`Unexpected argument "${rest[1]}".`);
    if (json) throw new UsageError('--json goes with `slipway sandbox list` and `slipway sandbox reset`.');
    return scenario(io, name, rest[0]);
  } catch (error) {
    if (!(error instanceof SlipwayError)) throw error;
    const lines = [`slipway: ${error.message}`, ...(error.why ? [`  why: ${error.why}`] : []), ...(error.fix ? [`  fix: ${error.fix}`] : [])];
    if (json) io.out(`${JSON.stringify({ status: 'error', error: { message: error.message, why: error.why, fix: error.fix } })}\n`);
    else io.err(`${lines.join('\n')}\n`);
    return error instanceof UsageError ? ExitCode.usage : ExitCode.failed;
  }
}

function usageFailure(io: SandboxCommandIo, message: string): number {
  io.err(`slipway: ${message}\n\n${USAGE}`);
  return ExitCode.usage;
}

function checkName(name: string): void {
  try {
    sandboxFile(name);
  } catch {
    throw new UsageError(`--sandbox-name: "${name}" is not a sandbox name.`, { fix: 'Use letters, digits, ".", "_" and "-".' });
  }
}

function list(io: SandboxCommandIo, json: boolean): number {
  const sandboxes = listSandboxes(io.env);
  if (json) {
    io.out(`${JSON.stringify({ sandboxes: sandboxes.map(toJson) })}\n`);
    return ExitCode.ok;
  }
  if (!sandboxes.length) {
    io.out('No sandboxes yet. Rehearse any flow with --sandbox (e.g. `slipway bootstrap --sandbox`) to make one.\n');
    return ExitCode.ok;
  }
  const rows = [
    ['NAME', 'ACCOUNT', 'CREATED', 'SIZE', 'REGISTRY'],
    ...sandboxes.map((s) => [s.name, s.accountId ?? (s.unreadable ? 'unreadable' : '(none)'), s.created ? shortDate(s.created) : '—', formatBytes(s.sizeBytes), registryText(s)]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  io.out(`${rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n')}\n`);
  return ExitCode.ok;
}

function toJson(s: SandboxEntry) {
  return { name: s.name, accountId: s.accountId ?? null, created: s.created ?? null, sizeBytes: s.sizeBytes, scenario: s.scenario ?? 'success', registry: s.registry ?? null, file: s.file, home: s.home, ...(s.unreadable ? { unreadable: s.unreadable } : {}) };
}

function registryText(s: SandboxEntry): string {
  if (!s.registry) return s.accountId ? 'none yet (started by the first publish)' : '—';
  if (!s.registry.startedBySlipway) return `${s.registry.endpoint} (configured)`;
  return `${s.registry.endpoint} (${s.registry.running ? 'running' : 'stopped; restarted when needed'})`;
}

function shortDate(iso: string): string {
  return iso.slice(0, 16).replace('T', ' ');
}

async function reset(io: SandboxCommandIo, name: string, yes: boolean, json: boolean): Promise<number> {
  const sandbox = describeSandbox(name, io.env);
  const runs = sandboxRuns(name, io.env);
  const record = readLocalRegistry(sandbox.file);
  const what = [
    existsSync(sandbox.file) ? `its account${sandbox.accountId ? ` ${sandbox.accountId}` : ''} (${sandbox.file})` : undefined,
    existsSync(sandbox.home) ? `its HOME with ~/.aws, ~/.ssh and the docker config (${sandbox.home})` : undefined,
    existsSync(sandbox.registryDir) ? `its registry${record ? ` on ${record.endpoint}` : ''}, stopped, with the images it stores (${sandbox.registryDir})` : undefined,
    ...runs.map((run) => `the unfinished rehearsal ${describeRun(run)}`),
  ].filter((line): line is string => line !== undefined);
  if (!what.length) {
    if (json) io.out(`${JSON.stringify({ status: 'done', sandbox: name, removed: [] })}\n`);
    else io.out(`There is no sandbox "${name}": nothing to reset.\n`);
    return ExitCode.ok;
  }
  if (!yes) {
    if (!io.interactive || json) {
      throw new UsageError(`Resetting sandbox "${name}" deletes its account and everything rehearsed in it; this run cannot ask you to confirm.`, {
        fix: `Add --yes: slipway sandbox reset${name === 'default' ? '' : ` --sandbox-name ${name}`} --yes`,
      });
    }
    io.out(`Reset sandbox "${name}"? This deletes:\n${what.map((line) => `  - ${line}`).join('\n')}\n`);
    if (!(await io.confirm('Delete all of it?'))) {
      io.out('Nothing was deleted.\n');
      return ExitCode.cancelled;
    }
  }
  // A rehearsal running now keeps its journal locked: refuse before deleting anything.
  const locks: JournalLock[] = [];
  try {
    for (const run of runs) locks.push(JournalLock.acquire(run.path));
    await removeLocalRegistry(sandbox.file);
    rmSync(sandbox.file, { force: true });
    rmSync(sandbox.home, { recursive: true, force: true });
    for (const run of runs) unlinkSync(run.path);
  } finally {
    for (const lock of locks) lock.release();
  }
  if (json) io.out(`${JSON.stringify({ status: 'done', sandbox: name, removed: what })}\n`);
  else io.out(`Reset sandbox "${name}": deleted ${what.length === 1 ? what[0] : `${what.length} things:\n${what.map((line) => `  - ${line}`).join('\n')}`}.\nThe next --sandbox run starts with a fresh account.\n`);
  return ExitCode.ok;
}

function scenario(io: SandboxCommandIo, name: string, wanted: string | undefined): number {
  const valid = Object.keys(SCENARIOS) as RolloutScenario[];
  if (wanted === undefined) {
    const current = existsSync(sandboxFile(name, io.env)) ? (describeSandbox(name, io.env).scenario ?? 'success') : 'success';
    io.out(`Sandbox "${name}": scenario ${current} — the next rollout will ${SCENARIOS[current as RolloutScenario] ?? current}.\n\n${HELP.scenario}`);
    return ExitCode.ok;
  }
  if (!valid.includes(wanted as RolloutScenario)) {
    throw new UsageError(`"${wanted}" is not a sandbox scenario.`, { fix: `Use one of: ${valid.join(', ')}.` });
  }
  const chosen = wanted as RolloutScenario;
  const sandbox = createSandbox({ name, env: io.env });
  sandbox.update((state) => {
    state.scenario = chosen;
  });
  io.out(`Sandbox "${name}" (account ${sandbox.accountId}): scenario ${chosen}.\nThe next rollout will ${SCENARIOS[chosen]}.\n${chosen === 'success' ? '' : 'Back to normal: slipway sandbox scenario success\n'}`);
  return ExitCode.ok;
}
