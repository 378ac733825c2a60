import { parseArgs } from 'node:util';

/**
 * The command line, parsed with Node's own parseArgs (strict: an unknown flag is an error, not a
 * silently ignored typo). Kept free of heavy imports: it runs before the first frame.
 */
export const COMMANDS = ['home', 'doctor', 'resume'] as const;
export type CommandName = (typeof COMMANDS)[number];

export interface CliArgs {
  command: CommandName;
  /** Positional arguments after the command (e.g. the run number for `resume`). */
  rest: string[];
  profile?: string;
  region?: string;
  endpointUrl?: string;
  plain: boolean;
  yes: boolean;
  json: boolean;
  answersFile?: string;
  discard: boolean;
  list: boolean;
  help: boolean;
  version: boolean;
}

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
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

export function parseCli(argv: string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new ArgsError(error instanceof Error ? error.message.replace(/\. To specify a positional argument.*$/s, '.') : String(error));
  }
  const [first, ...rest] = parsed.positionals;
  const command = first ?? 'home';
  if (!(COMMANDS as readonly string[]).includes(command) || command === 'home' && first !== undefined) {
    throw new ArgsError(`Unknown command "${command}".`);
  }
  const v = parsed.values;
  for (const name of ['profile', 'region', 'endpoint-url', 'answers'] as const) {
    if (v[name] !== undefined && v[name].trim() === '') throw new ArgsError(`--${name} needs a value.`);
  }
  if (command !== 'resume' && (v.discard || v.list || rest.length > 0)) {
    throw new ArgsError(rest.length > 0 ? `Unexpected argument "${rest[0]}".` : `--${v.discard ? 'discard' : 'list'} only goes with \`slipway resume\`.`);
  }
  return {
    command: command as CommandName,
    rest,
    profile: v.profile,
    region: v.region,
    endpointUrl: v['endpoint-url'],
    plain: v.plain ?? false,
    yes: v.yes ?? false,
    json: v.json ?? false,
    answersFile: v.answers,
    discard: v.discard ?? false,
    list: v.list ?? false,
    help: v.help ?? false,
    version: v.version ?? false,
  };
}

export const USAGE = `slipway — set up AWS safely, publish to ECR, roll out to ECS; resumable at every step.

Usage:
  slipway                      home screen: start a flow, resume or discard an unfinished run
  slipway doctor               check this machine: Node, Docker, buildx, credentials, identity, region, ~/.aws modes
  slipway resume               list unfinished runs and pick one to resume or discard
  slipway resume <n>           resume run number n (as numbered by \`slipway resume --list\`)
  slipway resume <n> --discard delete run n's journal (AWS resources are left as they are)
  slipway resume --list        list unfinished runs and exit

Options:
  --profile <name>         AWS profile (default: AWS_PROFILE, then the default chain)
  --region <region>        AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile's region)
  --endpoint-url <url>     send AWS calls to another endpoint (default: AWS_ENDPOINT_URL)
  --plain                  one line per event, plain prompts (also when TERM=dumb)
  -y, --yes                take every default, ask nothing
  --answers <file>         answers as a JSON object (keys as in the flow's questions); asks nothing
  --json                   print one JSON result object on stdout; asks nothing
  -h, --help               this help
  -v, --version            the version

Modes: the full-screen wizard on a terminal; --plain or TERM=dumb for line mode; --yes, --answers,
--json, CI=true or no terminal for non-interactive mode (a missing answer is an error naming its flag).

Exit codes: 0 done, 1 a step failed, 2 bad input or usage, 130 cancelled (Ctrl-C).
State: journals under $XDG_STATE_HOME/slipway (default ~/.local/state/slipway).
`;
