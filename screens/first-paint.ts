import type { FlowEntry } from '../src/cli/flows.js';
import { NO_CREDENTIALS_REASON, SANDBOX_ENTRY } from '../src/cli/home-sandbox.js';
import { describeRun, type RunListing } from '../src/cli/runs.js';

/** How many home menu entries show at once: every flow, the sandbox and Quit fit in a 24-row terminal. */
export const HOME_MENU_ROWS = 12;

/**
 * The home screen as a plain string, painted the moment slipway starts — before ink, React and yoga
 * (most of the start-up cost) are even loaded. Ink then takes over and draws the same frame in the
 * same place, and from then on owns the screen. It mirrors home-screen.tsx line for line; a test
 * renders both and compares them, so they cannot drift apart.
 */
export interface PaintInput {
  runs: RunListing[];
  flows: FlowEntry[];
  profile?: string;
  region?: string;
  columns: number;
  color: boolean;
  /** The sandbox the home screen rehearses in (the SANDBOX badge); no "Rehearse" entry then. */
  sandbox?: string;
  /** No AWS credentials found: the sandbox entry comes first, with the reason. */
  noCredentials?: boolean;
}

export function paintHome({ runs, flows, profile, region, columns, color, sandbox, noCredentials = false }: PaintInput): string {
  const style = (codes: string, text: string) => (color && text ? `\u001B[${codes}m${text}\u001B[0m` : text);
  const width = Math.max(40, columns);
  const lines: string[] = [];

  const title = 'slipway · home';
  const badge = sandbox ? ` SANDBOX ${sandbox} ` : '';
  const info = [`profile ${profile ?? 'default'}`, `region ${region ?? 'not set'}`].join(' · ');
  const inner = width - 4;
  // As the header lays it out: the info right-aligned at least two columns away, cut at its start.
  const room = Math.max(0, inner - title.length - badge.length - 2);
  const shownInfo = info.length <= room ? info : room > 0 ? `…${info.slice(info.length - room + 1)}` : '';
  const gap = Math.max(0, inner - title.length - badge.length - shownInfo.length);
  const border = (text: string) => style('36', text);
  lines.push(border(`╭${'─'.repeat(width - 2)}╮`));
  lines.push(`${border('│')} ${style('1;36', title)}${style('1;7;33', badge)}${' '.repeat(gap)}${style('2', shownInfo)} ${border('│')}`);
  lines.push(border(`╰${'─'.repeat(width - 2)}╯`));

  lines.push(` ${style('1', truncate(runs.length ? `Unfinished runs (${runs.length}) — pick one to resume or discard:` : 'No unfinished runs.', width - 2))}`);
  lines.push(` ${style('2', truncate('Every flow can be stopped at any moment and picked up again here.', width - 2))}`);
  const offerSandbox = !sandbox;
  if (offerSandbox && noCredentials) lines.push(` ${style('33', truncate(NO_CREDENTIALS_REASON, width - 2))}`);
  lines.push('');
  const sandboxItem: { label: string; hint?: string } = { ...SANDBOX_ENTRY };
  const items: { label: string; hint?: string }[] = [
    ...(offerSandbox && noCredentials ? [sandboxItem] : []),
    ...runs.map((run) => ({ label: `↻ ${describeRun(run)}` })),
    ...flows.map((f) => ({ label: `${f.label} (slipway ${f.name})`, hint: f.description })),
    ...(offerSandbox && !noCredentials ? [sandboxItem] : []),
    { label: 'Quit' },
  ];
  items.slice(0, HOME_MENU_ROWS).forEach((item, i) => {
    const text = truncate(`${i === 0 ? '❯ ' : '  '}${item.label}`, width - 2);
    lines.push(` ${i === 0 ? style('36', text) : text}`);
  });
  if (items.length > HOME_MENU_ROWS) lines.push(` ${style('2', `  1–${HOME_MENU_ROWS} of ${items.length}`)}`);
  if (items[0]?.hint) lines.push(` ${style('2', truncate(`  ${items[0].hint}`, width - 2))}`);
  lines.push(` ${style('2', '↑↓ move   enter choose   q quit')}`);
  return lines.join('\n');
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}
