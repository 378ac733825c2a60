// What the start-up benchmarks share: the baseline they are measured against (`aws --version`, from
// Debian's awscli package, not a pip install earlier on PATH) and the median they report.
import { spawnSync } from 'node:child_process';

export const AWS = '/usr/bin/aws';

/** Milliseconds from spawn to exit of `aws --version`. */
export function timeAws(env) {
  const started = process.hrtime.bigint();
  const run = spawnSync(AWS, ['--version'], { env, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`aws --version failed: ${run.stderr}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
