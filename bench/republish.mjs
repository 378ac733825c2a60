#!/usr/bin/env node
// bench/republish: how long does an unchanged republish take, against the first publish of the same
// commit measured in the same run? Both run the bundled CLI (`slipway publish --json`) as a user would,
// against the sandbox's ECR backed by the local test registry (source .ci/docker-env.sh first).
// The first publish of each round uses a fresh app name, so it really builds, creates and pushes.
//
// Usage: npm run build && source .ci/docker-env.sh && node bench/republish.mjs [rounds]
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, copyFileSync, cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROUNDS = Number(process.argv[2] ?? 5);
const BIN = new URL('../dist/slipway.js', import.meta.url).pathname;
const FIXTURE = new URL('../test/fixtures/publish-app', import.meta.url).pathname;
const { SLIPWAY_TEST_REGISTRY: registry, SLIPWAY_TEST_REGISTRY_USER: user, SLIPWAY_TEST_REGISTRY_PASSWORD: password } = process.env;
const busybox = ['/bin/busybox', '/usr/bin/busybox'].find((p) => existsSync(p));
if (!registry || !user || !password || !busybox) {
  console.error('Needs SLIPWAY_TEST_REGISTRY* (source .ci/docker-env.sh) and busybox-static.');
  process.exit(1);
}

const work = mkdtempSync(join(tmpdir(), 'slipway-bench-republish-'));
const home = join(work, 'home');
const env = { PATH: process.env.PATH, HOME: home, XDG_STATE_HOME: join(work, 'state'), AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };

// The sandbox ECR hands out the test registry: seed its file through the library the CLI uses.
const { createSandbox } = await import(new URL('../node_modules/.cache/slipway-bench/sandbox.mjs', import.meta.url).href).catch(async () => {
  const { build } = await import('esbuild');
  const out = new URL('../node_modules/.cache/slipway-bench/sandbox.mjs', import.meta.url).pathname;
  await build({ entryPoints: [new URL('../src/sandbox/store.ts', import.meta.url).pathname], outfile: out, bundle: true, format: 'esm', platform: 'node', packages: 'external', logLevel: 'error' });
  return import(out);
});

function publish(app, name) {
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [BIN, 'publish', '--json', '--sandbox-name', 'bench', '--app', name, '--namespace', 'bench', '--skip-tests', 'no', '--cleanup', 'no'], { cwd: app, env, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const result = JSON.parse(run.stdout || '{}');
  if (run.status !== 0) throw new Error(`publish failed (${run.status}): ${run.stdout}\n${run.stderr}`);
  return { ms, digest: result.outputs?.push?.digest };
}

const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const first = [];
const again = [];
try {
  createSandbox({ name: 'bench', env, registry: { endpoint: registry, username: user, password } });
  for (let round = 0; round < ROUNDS; round++) {
    const name = `bench-${Date.now().toString(36)}-${round}`;
    const app = join(work, name);
    cpSync(FIXTURE, app, { recursive: true });
    copyFileSync(busybox, join(app, 'busybox'));
    // A realistic image: the book's app is ~99 MB (34 MB compressed in ECR). 40 MiB of random bytes
    // (incompressible) in the release stage make the first push cost what a real one does.
    writeFileSync(join(app, 'payload.bin'), randomBytes(40 << 20));
    appendFileSync(join(app, 'Dockerfile'), 'COPY payload.bin /app/\n');
    const git = (...args) => execFileSync('git', ['-c', 'user.name=b', '-c', 'user.email=b@example.com', ...args], { cwd: app });
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'bench');
    const a = publish(app, name);
    const b = publish(app, name);
    if (a.digest !== b.digest) throw new Error(`republish changed the digest: ${a.digest} → ${b.digest}`);
    first.push(a.ms);
    again.push(b.ms);
  }
} finally {
  spawnSync('docker', ['image', 'prune', '--force', '--filter', 'label=slipway.app']);
  rmSync(work, { recursive: true, force: true });
}

const f = median(first);
const r = median(again);
console.log(`bench/republish — ${ROUNDS} rounds, medians; the bundled CLI (--json) against the sandbox ECR + local registry; fixture image ~40 MiB`);
console.log(`  baseline: first publish of a commit (test, build, create repository, log in, push)   ${f.toFixed(0)} ms`);
console.log(`  unchanged republish of the same commit (everything probed, nothing pushed)          ${r.toFixed(0)} ms   ratio ${(r / f).toFixed(2)} (goal ≤ 0.2)`);
