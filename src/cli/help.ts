import type { Question } from '../engine/types.js';
import { PASSTHROUGH } from './args.js';
import type { CommandEntry, FlowEntry } from './flows.js';

/** What help needs of a flow or a command. */
type HelpEntry = Pick<FlowEntry | CommandEntry, 'name' | 'label' | 'description' | 'questions'> & { plannable?: boolean; load?: unknown };

const PLAN_FLAGS = new Set(['--plan', '--detailed-exitcode']);

/**
 * `slipway --help` and `slipway <command> --help`, made from the flow registry and each flow's
 * questions — the same list the command line parses — so a flag cannot exist without its help line,
 * nor a help line without its flag. Kept free of heavy imports: help is printed before any flow loads.
 */

const GLOBAL_OPTIONS: [string, string][] = [
  ['--profile <name>', 'AWS profile (default: AWS_PROFILE, then the default chain)'],
  ['--region <region>', 'AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile’s region)'],
  ['--endpoint-url <url>', 'send AWS calls to another endpoint (default: AWS_ENDPOINT_URL)'],
  ['--plain', 'one line per event, plain prompts (also when TERM=dumb)'],
  ['-y, --yes', 'take every default, ask nothing'],
  ['--answers <file>', 'answers as a JSON object (keys as in the flow’s questions); asks nothing'],
  ['--json', 'print one JSON result object on stdout; asks nothing'],
  ['--plan', 'say what the flow would do, step by step, and change nothing (read-only)'],
  ['--detailed-exitcode', 'with --plan: exit 0 when nothing would change, 3 when something would'],
  ['--sandbox', 'rehearse against a simulated AWS account on this machine (nothing leaves it)'],
  ['--sandbox-name <name>', 'the same, in the sandbox of that name (default: "default")'],
  ['-h, --help', 'this help; `slipway <command> --help` for a command’s own flags'],
  ['-v, --version', 'the version'],
];

const FOOTER = `Modes: the full-screen wizard on a terminal; --plain or TERM=dumb for line mode;
--yes, --answers, --json, CI=true or no terminal for non-interactive mode (a
missing answer is an error naming its flag).

Exit codes: 0 done, 1 a step failed, 2 bad input or usage, 3 a plan found
changes (only when asked for), 130 cancelled.
State: journals under $XDG_STATE_HOME/slipway (default ~/.local/state/slipway).
`;

/** How a command is written in the overview: its required flags (no default) and passthrough words. */
function synopsis(entry: HelpEntry): string {
  const words = [`slipway ${entry.name}`];
  for (const q of entry.questions ?? []) {
    if (q.flag === PASSTHROUGH) words.push(q.default === undefined ? '-- <command…>' : '[-- <command…>]');
    else if (q.id === 'env' && !q.advanced) words.push('--env <e>');
  }
  return words.join(' ');
}

export function mainHelp(flows: HelpEntry[], commands: HelpEntry[] = []): string {
  const rows: [string, string][] = [
    ['slipway', 'home screen: start a flow, resume or discard an unfinished run'],
    ...[...flows, ...commands].map((f): [string, string] => [synopsis(f), f.description]),
    ['slipway resume', 'list unfinished runs and pick one to resume or discard'],
    ['slipway resume <n>', 'resume run number n (as numbered by `slipway resume --list`)'],
    ['slipway resume <n> --discard', 'delete run n’s journal (AWS resources are left as they are)'],
    ['slipway resume --list', 'list unfinished runs and exit'],
    ['slipway sandbox <command>', 'the sandbox’s own commands: list, reset, scenario (slipway sandbox --help)'],
  ];
  return `slipway — set up AWS safely, publish to ECR, roll out to ECS; resumable at every step.

Usage:
${table(rows)}

Every command's own flags: slipway <command> --help

Options:
${table(GLOBAL_OPTIONS)}

${FOOTER}`;
}

export function commandHelp(entry: HelpEntry): string {
  const questions = (entry.questions ?? []).filter((q) => q.flag !== PASSTHROUGH);
  const passthrough = entry.questions?.find((q) => q.flag === PASSTHROUGH);
  const asked = questions.filter((q) => !q.advanced);
  const advanced = questions.filter((q) => q.advanced);
  const sections = [`slipway ${entry.name} — ${entry.label}.\n${wrap(`${entry.description[0]?.toUpperCase()}${entry.description.slice(1)}.`, WIDTH, '')}`, `Usage:\n  slipway ${entry.name} [options]${passthrough ? (passthrough.default === undefined ? ' -- <command…>' : ' [-- <command…>]') : ''}`];
  if (passthrough) sections.push(`Arguments:\n${table([['-- <command…>', `${passthrough.message}; the words after --, as given${passthrough.defaultHelp ? ` (default: ${passthrough.defaultHelp})` : ''}`]])}`);
  if (asked.length) sections.push(`Its questions (asked when not given; each flag answers one):\n${table(asked.map(optionRow))}`);
  if (advanced.length) sections.push(`Settings with a good default (never asked; a flag or --answers changes them):\n${table(advanced.map(optionRow))}`);
  if (!questions.length && !passthrough) sections.push('It asks nothing.');
  // --plan only with a flow that changes something (not status, doctor or logs, which only look).
  const plannable = entry.load !== undefined && entry.plannable !== false;
  const global = GLOBAL_OPTIONS.filter(([flag]) => (flag !== '--region <region>' || !questions.some((q) => q.flag === '--region')) && (plannable || !PLAN_FLAGS.has(flag)));
  sections.push(`Options of every command:\n${table(global)}`);
  return `${sections.join('\n\n')}\n\n${FOOTER}`;
}

function optionRow(q: Question): [string, string] {
  const choices = q.kind === 'select' ? (q.choices ?? []) : [];
  const value = q.kind === 'confirm' ? ' [yes|no]' : q.kind === 'number' ? ' <n>' : choices.length && choices.length <= 3 ? ` <${choices.map((c) => c.value).join('|')}>` : q.kind === 'select' ? ' <choice>' : ' <value>';
  const notes: string[] = [];
  const fallback = /\(default: /.test(q.message) ? undefined : defaultText(q);
  if (fallback) notes.push(`default: ${fallback}`);
  if (q.when) notes.push('asked for a new environment only');
  const text = `${q.message.replace(/\?$/, '')}${notes.length ? ` — ${notes.join('; ')}` : ''}`;
  // Each choice on a line of its own: its value, then what it means (when the label says more).
  const listed = choices.map((c) => `\n• ${c.value}${c.label.startsWith(`${c.value}  `) ? c.label.slice(c.value.length) : ` — ${c.label}`}`).join('');
  return [`${q.flag}${value}`, `${text}${listed}`];
}

function defaultText(q: Question): string | undefined {
  if (q.defaultHelp) return q.defaultHelp;
  if (typeof q.default === 'function') return 'depends on the other answers';
  if (q.default === undefined) return undefined;
  if (q.default === '') return q.kind === 'text' ? 'none' : undefined;
  if (typeof q.default === 'boolean') return q.default ? 'yes' : 'no';
  return String(q.default);
}

/** Help fits an 80-column terminal. */
const WIDTH = 80;

/**
 * Two columns: the left padded to its widest entry (at most 26), the right wrapped to fit WIDTH; a
 * left entry too long for its column gets a line of its own.
 */
function table(rows: [string, string][]): string {
  const width = Math.min(26, Math.max(...rows.map(([left]) => left.length)) + 4);
  const indent = ' '.repeat(2 + width);
  return rows
    .map(([left, right]) => {
      const body = right.split('\n').map((part, i) => wrap(part, WIDTH - 2 - width, i === 0 ? '' : '  ')).join('\n').replaceAll('\n', `\n${indent}`);
      return left.length + 2 > width ? `  ${left}\n${indent}${body}` : `  ${left.padEnd(width)}${body}`;
    })
    .join('\n');
}

/** Wraps text at spaces to `width` columns; lines after the first get `hang` in front. */
function wrap(text: string, width: number, hang: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = hang + word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return lines.join('\n');
}
