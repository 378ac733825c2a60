// Bundles the CLI with esbuild: one entry file holding what the first frame needs, and lazily loaded
// chunks (front ends, flows, the AWS SDK) that are only read when used.
import { build } from 'esbuild';
import { readFileSync, rmSync, chmodSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });

await build({
  entryPoints: { slipway: 'bin/slipway.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  // Prefer packages' ESM builds: a dynamic import of a CommonJS build only exposes `default` once bundled.
  mainFields: ['module', 'main'],
  target: 'node20',
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
chmodSync(new URL('../dist/slipway.js', import.meta.url), 0o755);
