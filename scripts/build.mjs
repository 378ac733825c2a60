// Bundles the CLI with esbuild: one entry file holding what the first frame needs, and lazily loaded
// chunks (front ends, flows, the AWS SDK) that are only read when used.
import { build } from 'esbuild';
import { chmodSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
// Build beside dist/ and move the files in one by one (each rename is atomic), so a process starting
// slipway while a build runs (tests, the benchmark) never finds dist/ half-written or missing.
const staging = `dist.staging-${process.pid}`;
rmSync(staging, { recursive: true, force: true });

await build({
  entryPoints: { slipway: 'bin/slipway.ts' },
  outdir: staging,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  // Prefer packages' ESM builds: a dynamic import of a CommonJS build only exposes `default` once bundled.
  mainFields: ['module', 'main'],
  target: 'node22',
  chunkNames: 'chunks/[name]-[hash]',
  minify: process.env.SLIPWAY_NO_MINIFY !== "1",
  sourcemap: 'linked',
  legalComments: 'none',
  jsx: 'automatic',
  define: { SLIPWAY_VERSION: JSON.stringify(pkg.version), 'process.env.NODE_ENV': '"production"' },
  // ink imports react-devtools-core only when DEV is set; it is not a dependency.
  external: ['react-devtools-core'],
  banner: {
    // Bundled CommonJS packages still call require(); give ESM output one.
    js: "import { createRequire as __slipwayCreateRequire } from 'node:module'; const require = __slipwayCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
chmodSync(join(staging, 'slipway.js'), 0o755);
const fresh = new Set();
for (const dir of ['chunks', '.']) {
  mkdirSync(join('dist', dir), { recursive: true });
  for (const name of readdirSync(join(staging, dir), { withFileTypes: true })) {
    if (!name.isFile()) continue;
    fresh.add(join(dir, name.name));
    renameSync(join(staging, dir, name.name), join('dist', dir, name.name));
  }
}
// Chunks of earlier builds (their names carry a content hash) are no longer referenced.
for (const dir of ['chunks', '.']) {
  for (const name of readdirSync(join('dist', dir), { withFileTypes: true })) {
    if (name.isFile() && !fresh.has(join(dir, name.name))) rmSync(join('dist', dir, name.name));
  }
}
rmSync(staging, { recursive: true, force: true });
