import { execFileSync } from 'node:child_process';

/**
 * Builds dist/ once before any test file runs, so the binary, tmux and benchmark-style tests all
 * exercise the same bundle and none of them rebuilds it under another's feet.
 */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}
