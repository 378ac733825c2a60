import { build } from 'esbuild';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';

/** Bundles a TypeScript entry into a runnable .mjs, so tests can run it as a real child process. */
export async function buildChild(entry: string): Promise<string> {
  // Inside the repo, so the child resolves npm packages from node_modules like the real CLI does.
  const cache = join(process.cwd(), 'node_modules', '.cache', 'slipway-test');
  mkdirSync(cache, { recursive: true });
  const outfile = join(mkdtempSync(join(cache, 'child-')), 'child.mjs');
  await build({ entryPoints: [entry], outfile, bundle: true, format: 'esm', platform: 'node', target: 'node22', packages: 'external', logLevel: 'error' });
  return outfile;
}
