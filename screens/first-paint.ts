import type { FlowEntry } from '../src/cli/flows.js';
import { describeRun, type RunListing } from '../src/cli/runs.js';

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
}

export function paintHome({ runs, flows, profile, region, columns, color }: PaintInput): string {
  const style = (codes: string, text: string) => (color && text ? `\u001B[${codes}m${text}\u001B[0m` : text);
  const width = Math.max(40, columns);
  const lines: string[] = [];

  const title = 'slipway · home';
  const info = [`profile ${profile ?? 'default'}`, `region ${region ?? 'not set'}`].join(' · ');
  const inner = width - 4;
  const gap = Math.max(1, inner - title.length - info.length);
  const border = (text: string) => style('36', text);
  lines.push(border(`╭${'─'.repeat(width - 2)}╮`));
  lines.push(`${border('│')} ${style('1;36', title)}${' '.repeat(gap)}${style('2', truncate(info, inner - title.length - gap))} ${border('│')}`);
  lines.push(border(`╰${'─'.repeat(width - 2)}╯`));

  lines.push(` ${style('1', runs.length ? `Unfinished runs (${runs.length}) — pick one to resume or discard:` : 'No unfinished runs.')}`);
  lines.push(` ${style('2', 'Every flow can be stopped at any moment and picked up again here.')}`);
  lines.push('');
  const items = [
    ...runs.map((run) => ({ label: `↻ ${describeRun(run)}`, hint: undefined as string | undefined })),
    ...flows.map((f) => ({ label: `${f.label} (slipway ${f.name})`, hint: f.description })),
    { label: 'Quit', hint: undefined },
  ];
  items.slice(0, 8).forEach((item, i) => {
    const text = truncate(`${i === 0 ? '❯ ' : '  '}${item.label}`, width - 2);
    lines.push(` ${i === 0 ? style('36', text) : text}`);
  });
  if (items.length > 8) lines.push(` ${style('2', `  1–8 of ${items.length}`)}`);
  if (items[0]?.hint) lines.push(` ${style('2', truncate(`  ${items[0].hint}`, width - 2))}`);
  lines.push(` ${style('2', '↑↓ move   enter choose   q quit')}`);
  return lines.join('\n');
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}
