import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// No vitest imports: the global setup (main process) reads these too.

/** One line of the closing table: what was measured, against which floor. */
export interface Figure {
  /** Sort key and title, e.g. "1 kill and resume". */
  name: string;
  /** The measured value in words, e.g. "214 tried / 214 converged". */
  value: string;
  /** The floor in words, e.g. "≥ 200 tried, all converged". */
  floor: string;
  ok: boolean;
  /** Extra lines under the figure (per-flow counts, what was skipped and why). */
  details?: string[];
}

export function figuresDir(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.SLIPWAY_VERIFY_FIGURES;
  if (!dir) throw new Error('SLIPWAY_VERIFY_FIGURES is not set: run through `npm run verify` (vitest.verify.config.ts).');
  return dir;
}

/** Records a figure for the closing table (one file per figure, so files may record in any order). */
export function recordFigure(figure: Figure, env: NodeJS.ProcessEnv = process.env): void {
  const dir = figuresDir(env);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${figure.name.replace(/[^A-Za-z0-9]+/g, '-')}.json`), JSON.stringify(figure, null, 2));
}

/** Adds to a running total shared by every file (secret scans happen in each scenario). */
export function addToTally(name: string, counts: Record<string, number>, env: NodeJS.ProcessEnv = process.env): void {
  const dir = figuresDir(env);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `tally-${name}.json`);
  let current: Record<string, number> = {};
  try {
    current = JSON.parse(readFileSync(file, 'utf8')) as Record<string, number>;
  } catch {
    // first addition
  }
  for (const [key, value] of Object.entries(counts)) current[key] = (current[key] ?? 0) + value;
  writeFileSync(file, JSON.stringify(current));
}

export function readTally(name: string, env: NodeJS.ProcessEnv = process.env): Record<string, number> {
  try {
    return JSON.parse(readFileSync(join(figuresDir(env), `tally-${name}.json`), 'utf8')) as Record<string, number>;
  } catch {
    return {};
  }
}

export function readFigures(dir: string): Figure[] {
  let names: string[] = [];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json') && !n.startsWith('tally-'));
  } catch {
    return [];
  }
  return names.map((n) => JSON.parse(readFileSync(join(dir, n), 'utf8')) as Figure).sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
}

/** The closing table, as `npm run verify` prints it. */
export function renderFigures(figures: Figure[], expected: string[], header: string[]): string {
  const rows = expected.map((name) => figures.find((f) => f.name === name) ?? { name, value: 'not measured (its file failed or did not run)', floor: '', ok: false });
  const extra = figures.filter((f) => !expected.includes(f.name));
  const all = [...rows, ...extra];
  const width = Math.max(...all.map((f) => f.name.length));
  const lines = ['', '── slipway verify: figures ' + '─'.repeat(60), ...header];
  for (const f of all) {
    lines.push(`${f.ok ? 'PASS' : 'FAIL'}  ${f.name.padEnd(width)}  ${f.value}${f.floor ? `   (floor: ${f.floor})` : ''}`);
    for (const d of f.details ?? []) lines.push(`      ${' '.repeat(width)}  · ${d}`);
  }
  const failed = all.filter((f) => !f.ok).length;
  lines.push(failed === 0 ? `verify: all ${all.length} figures at or above their floors` : `verify: ${failed} of ${all.length} figures below their floors`, '─'.repeat(87), '');
  return lines.join('\n');
}
