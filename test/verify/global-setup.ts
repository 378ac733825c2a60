import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFigures, readTally, recordFigure, renderFigures } from './figures.js';
import { verifySeed } from './seed.js';

export const FIGURES = ['1 kill and resume', '2 faults', '3 bad input', '4 local files', '5 secrets', '6 concurrency', '7 changed-input resume'];

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
    // Figure 5 is what every scenario's scan added up (test/verify/secrets.ts).
    const scans = readTally('secrets');
    const hits = readTally('secret-hits');
    if (scans.scans) {
      recordFigure({
        name: '5 secrets',
        value: `${scans.hits ?? 0} hits in ${scans.bytes ?? 0} bytes scanned (${scans.scans} scans: journals, logs, --json output, children's stdout/stderr)`,
        floor: '0 hits',
        ok: (scans.hits ?? 0) === 0,
        details: [
          'secrets looked for: secret access keys, role session keys and tokens, MFA seeds, the console password shown once, the registry (ECR) password and its base64 token',
          ...Object.keys(hits).slice(0, 10).map((h) => `HIT ${h}`),
        ],
      });
    }
    const figures = readFigures(dir);
    const header = [`seed ${seed} (VERIFY_SEED=${seed} repeats this run)`, `runtime ${((Date.now() - started) / 1000).toFixed(0)} s`, ''];
    const table = renderFigures(figures, FIGURES, header);
    process.stdout.write(table);
    const failed = FIGURES.some((name) => !figures.find((f) => f.name === name)?.ok);
    if (failed) process.exitCode = 1;
    rmSync(dir, { recursive: true, force: true });
  };
}
