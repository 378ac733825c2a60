import { NO_CREDENTIALS_REASON } from '../src/cli/home-sandbox.js';
import { HOME_MENU_ROWS, homeItems, type HomeMenuInput } from '../src/session/home-menu.js';

/** The first visible row of a menu of `count` entries showing `rows` at once, with `index` focused. */
export function menuWindowStart(index: number, count: number, rows: number): number {
  return Math.min(Math.max(0, index - Math.floor(rows / 2)), Math.max(0, count - rows));
}

export interface PaintInput extends HomeMenuInput {
  profile?: string;
  region?: string;
  columns: number;
  color: boolean;
  /** The focused entry's value (the first entry when absent or gone). */
  selected?: string;
}

/**
 * The home screen as a plain string, painted the moment slipway starts — before ink, React and yoga
 * (most of the start-up cost) are even loaded — and repainted as early keys move its focus
 * (screens/early-keys.ts). Ink then takes over and draws the same frame in the same place, and from
 * then on owns the screen. It mirrors home-screen.tsx line for line; a test renders both and compares
 * them, so they cannot drift apart.
 */
export function paintHome({ runs, flows, profile, region, columns, color, sandbox, noCredentials = false, selected }: PaintInput): string {
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
  if (!sandbox && noCredentials) lines.push(` ${style('33', truncate(NO_CREDENTIALS_REASON, width - 2))}`);
  lines.push('');
  const items = homeItems({ runs, flows, sandbox, noCredentials });
  const index = Math.max(0, items.findIndex((item) => item.value === selected));
  const start = menuWindowStart(index, items.length, HOME_MENU_ROWS);
  const visible = items.slice(start, start + HOME_MENU_ROWS);
  visible.forEach((item, i) => {
    const focused = start + i === index;
    const text = truncate(`${focused ? '❯ ' : '  '}${item.label}`, width - 2);
    lines.push(` ${focused ? style('36', text) : text}`);
  });
  if (items.length > HOME_MENU_ROWS) lines.push(` ${style('2', `  ${start + 1}–${start + visible.length} of ${items.length}`)}`);
  const hint = items[index]?.hint;
  if (hint) lines.push(` ${style('2', truncate(`  ${hint}`, width - 2))}`);
  lines.push(` ${style('2', '↑↓ move   enter choose   p plan   q quit')}`);
  return lines.join('\n');
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}
