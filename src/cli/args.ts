import { parseArgs } from 'node:util';
import { findCommand, findFlow, FLOWS } from './flows.js';

const PLANNABLE = FLOWS.filter((f) => f.plannable !== false).map((f) => `slipway ${f.name}`);

/**
 * The command line, parsed with Node's own parseArgs (strict: an unknown flag is an error, not a
 * silently ignored typo). Each flow adds the flags of its questions. Kept free of heavy imports: it
 * runs before the first frame.
 */
export type CommandName = 'home' | 'resume' | string;

export interface CliArgs {
  command: CommandName;
  /** Positional arguments after the command (e.g. the run number for `resume`). */
  rest: string[];
  /** Every word after `--`, untouched (the command of `slipway run --env dev -- <command…>`). */
  passthrough: string[];
  profile?: string;
  region?: string;
  endpointUrl?: string;
  plain: boolean;
  yes: boolean;
  json: boolean;
  answersFile?: string;
  discard: boolean;
  list: boolean;
  /** Rehearse against the simulated account (`--sandbox`, named by `--sandbox-name`). */
  sandbox?: string;
  /** Answers given as flow flags (`--user-name bob`), by question id. */
  flowAnswers: Record<string, string>;
  /** `--plan`: say what the flow would do, read-only (no write call, no journal, no file). */
  plan: boolean;
  /** With --plan: exit 0 when nothing would change, 3 when something would (Terraform's convention). */
  detailedExitcode: boolean;
  help: boolean;
  version: boolean;
}

/** The `flag` of a question answered by the words after `--` (see `slipway run`). */
export const PASSTHROUGH = '--';

export class ArgsError extends Error {
  override name = 'ArgsError';
}

const OPTIONS = {
  profile: { type: 'string' },
  region: { type: 'string' },
  'endpoint-url': { type: 'string' },
  plain: { type: 'boolean' },
  yes: { type: 'boolean', short: 'y' },
  json: { type: 'boolean' },
  answers: { type: 'string' },
  discard: { type: 'boolean' },
  list: { type: 'boolean' },
  sandbox: { type: 'boolean' },
  'sandbox-name': { type: 'string' },
  plan: { type: 'boolean' },
  'detailed-exitcode': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

/** The command word (the first positional), found by a tolerant pass; undefined for the home screen. */
export function commandOf(argv: string[]): string | undefined {
  return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: false }).positionals[0];
}

export function parseCli(given: string[]): CliArgs {
  // First pass, tolerant, only to find the command; the second knows that command's flags.
  const first = commandOf(given);
  const command = first ?? 'home';
  const flow = findFlow(command) ?? findCommand(command);
  const argv = withBareYesNo(given, new Set((flow?.questions ?? []).filter((q) => q.kind === 'confirm').map((q) => q.flag)));
  if (command !== 'home' && command !== 'resume' && !flow) throw new ArgsError(`Unknown command "${command}".`);
  if (first === 'home') throw new ArgsError('Unknown command "home".');
  // A question whose flag is `--` takes the words after `--` (as a JSON array), not an option.
  const passthroughQuestion = flow?.questions?.find((q) => q.flag === PASSTHROUGH);
  const flowFlags = (flow?.questions ?? []).filter((q) => q.flag !== '--region' && q.flag !== PASSTHROUGH).map((q) => [q.flag.replace(/^--/, ''), q.id] as const);
  const options = { ...OPTIONS, ...Object.fromEntries(flowFlags.map(([flag]) => [flag, { type: 'string' as const }])) };
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true, tokens: true });
  } catch (error) {
    throw new ArgsError(error instanceof Error ? error.message.replace(/\. To specify a positional argument.*$/s, '.') : String(error));
  }
  const terminator = parsed.tokens.find((t) => t.kind === 'option-terminator')?.index ?? Infinity;
  const passthrough = parsed.tokens.flatMap((t) => (t.kind === 'positional' && t.index > terminator ? [t.value] : []));
  const before = parsed.positionals.slice(0, parsed.positionals.length - passthrough.length);
  if (first !== undefined && before[0] !== first) throw new ArgsError(`The command ("${first}") goes before "--".`);
  const rest = before.slice(1);
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const text = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const flag = (name: string) => values[name] === true;
  for (const name of ['profile', 'region', 'endpoint-url', 'answers', 'sandbox-name'] as const) {
    if (text(name)?.trim() === '') throw new ArgsError(`--${name} needs a value.`);
  }
  const flowAnswers: Record<string, string> = {};
  for (const [name, id] of flowFlags) {
    const value = text(name);
    if (value !== undefined) flowAnswers[id] = value;
  }
  if (passthrough.length > 0) {
    if (!passthroughQuestion) throw new ArgsError(`Unexpected argument "${passthrough[0]}" after "--".`);
    flowAnswers[passthroughQuestion.id] = JSON.stringify(passthrough);
  }
  // --region is global (where AWS calls go) and also the answer of flows that ask for a region.
  const region = text('region');
  if (region && flow?.questions?.some((q) => q.id === 'region')) flowAnswers.region = region;
  if (flag('detailed-exitcode') && !flag('plan')) throw new ArgsError('--detailed-exitcode only goes with --plan.');
  if (flag('plan') && (command === 'home' || command === 'resume' || !findFlow(command) || findFlow(command)?.plannable === false)) {
    throw new ArgsError(`--plan goes with a flow that changes something: ${PLANNABLE.join(', ')}.`);
  }
  if (command !== 'resume' && (flag('discard') || flag('list') || rest.length > 0)) {
    throw new ArgsError(rest.length > 0 ? `Unexpected argument "${rest[0]}".` : `--${flag('discard') ? 'discard' : 'list'} only goes with \`slipway resume\`.`);
  }
  return {
    command,
    sandbox: flag('sandbox') || text('sandbox-name') ? (text('sandbox-name') ?? 'default') : undefined,
    flowAnswers,
    rest,
    passthrough,
    profile: text('profile'),
    region,
    endpointUrl: text('endpoint-url'),
    plain: flag('plain'),
    yes: flag('yes'),
    json: flag('json'),
    answersFile: text('answers'),
    discard: flag('discard'),
    list: flag('list'),
    plan: flag('plan'),
    detailedExitcode: flag('detailed-exitcode'),
    help: flag('help'),
    version: flag('version'),
  };
}

/**
 * A yes/no flag may stand alone (`--approve`) or take a value (`--approve no`): a bare one gets "yes"
 * inserted, so parseArgs (which has no optional values) sees every flow flag with its value.
 */
function withBareYesNo(argv: string[], flags: Set<string>): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    out.push(word);
    if (word === '--') return [...out, ...argv.slice(i + 1)];
    // Bare when nothing follows or the next word is another option; a wrong word stays its value (and is refused as such).
    const next = argv[i + 1];
    if (flags.has(word) && (next === undefined || next.startsWith('-'))) out.push('yes');
  }
  return out;
}
