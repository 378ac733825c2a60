import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFigures, renderFigures } from './figures.js';
import { verifySeed } from './seed.js';

export const FIGURES = ['1 kill and resume', '2 faults', '3 bad input', '4 local files', '5 secrets', '6 concurrency'];

/**
 * Builds dist/ once (the bad-input table runs the built binary), gives every file one folder to record
 * its figures in, and prints the closing table after the last file.
 */
export default function setup(): () => void {
  const started = Date.now();
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  const dir = mkdtempSync(join(tmpdir(), 'slipway-verify-figures-'));
  process.env.SLIPWAY_VERIFY_FIGURES = dir;
  const seed = verifySeed();
  process.env.VERIFY_SEED = String(seed);
  return () => {
    const figures = readFigures(dir);
    const header = [`seed ${seed} (VERIFY_SEED=${seed} repeats this run)`, `runtime ${((Date.now() - started) / 1000).toFixed(0)} s`, ''];
    const table = renderFigures(figures, FIGURES, header);
    process.stdout.write(table);
    const failed = FIGURES.some((name) => !figures.find((f) => f.name === name)?.ok);
    if (failed) process.exitCode = 1;
    rmSync(dir, { recursive: true, force: true });
  };
}
