import type { DoneHow } from '../engine/events.js';

/** Status marks shared by the TUI and the line modes, with ASCII fallbacks for dumb terminals. */
export type StepStatus = 'pending' | 'running' | 'done' | 'failed' | 'cancelled';

const MARKS: Record<StepStatus, { unicode: string; ascii: string }> = {
  pending: { unicode: '·', ascii: '.' },
  running: { unicode: '▸', ascii: '>' },
  done: { unicode: '✔', ascii: '+' },
  failed: { unicode: '✖', ascii: 'x' },
  cancelled: { unicode: '■', ascii: '-' },
};

export function mark(status: StepStatus, ascii = false): string {
  return ascii ? MARKS[status].ascii : MARKS[status].unicode;
}

export function describeHow(how: DoneHow): string | undefined {
  switch (how) {
    case 'applied':
    case 'checked':
      return undefined;
    case 'confirmed':
      return 'already done, confirmed';
    case 'adopted':
      return 'finished by an earlier run, adopted';
    case 'found':
      return 'already in place';
    case 'not-needed':
      return 'not needed here';
  }
}

export function elapsed(ms: number): string {
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** A short, readable rendering of a step's outputs for the step list and the line modes. */
export function describeOutputs(outputs: Record<string, unknown>, max = 3): string {
  return Object.entries(outputs)
    .filter(([, v]) => v !== undefined && v !== '' && typeof v !== 'object' && typeof v !== 'boolean')
    .slice(0, max)
    .map(([k, v]) => `${k} ${String(v)}`)
    .join(' · ');
}

export function bar(current: number, total: number, width: number, ascii = false): string {
  const ratio = total > 0 ? Math.min(1, current / total) : 0;
  const filled = Math.round(ratio * width);
  return ascii ? `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]` : `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
}

/**
 * A title used inside a sentence: its first letter lowered — unless the first word is an acronym or a
 * name ("ECS could not place the tasks" stays, not "eCS could…").
 */
export function inSentence(title: string): string {
  const first = title.split(/\s/, 1)[0] ?? '';
  if (/[A-Z].*[A-Z]/.test(first) || /\d/.test(first)) return title;
  return `${title.charAt(0).toLowerCase()}${title.slice(1)}`;
}
