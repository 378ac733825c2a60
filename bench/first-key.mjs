#!/usr/bin/env node
// bench/first-key: how soon does slipway act on the first key pressed, against `aws --version`
// (Debian's awscli) timed in the same run? slipway runs in a pseudo-terminal (util-linux `script`);
// `q` is written the moment the first bytes arrive from it, and the clock stops when the process has
// quit (the pty closes) — the home screen's answer to `q`. A picture that cannot read a key yet
// does not count: until the key is acted on, the clock runs.
//
//   first key  — spawn → first bytes drawn → `q` sent → process gone
//   peak RSS   — GNU time's maximum resident set size of the node process (%M)
//
// Each Node given is measured in turn, interleaved with `aws --version` so both see the same load.
//
// Usage: npm run bench:first-key -- [--runs N] [--node /path/to/node]...   (default: this node)
import { spawn, execFileSync } from 'node:child_process';
import { AWS, median, timeAws } from './baseline.mjs';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' }, node: { type: 'string', multiple: true } } });
const RUNS = Number(values.runs);
const NODES = values.node?.length ? values.node : [process.execPath];
const WARMUP = 2;
const TIME = '/usr/bin/time'; // GNU time, for the peak RSS
const BIN = new URL('../dist/slipway.js', import.meta.url).pathname;

for (const [path, what] of [[AWS, 'apt-get install awscli (the baseline is Debian\'s AWS CLI)'], [TIME, 'apt-get install time (GNU time measures the peak RSS)']]) {
  if (!existsSync(path)) {
    console.error(`${path} not found: ${what}.`);
    process.exit(1);
  }
}
if (!existsSync(BIN)) execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });

const home = mkdtempSync(join(tmpdir(), 'slipway-bench-'));
const env = { ...process.env, HOME: home, XDG_STATE_HOME: join(home, 'state'), XDG_CACHE_HOME: join(home, 'cache'), AWS_REGION: 'us-east-1', TERM: 'xterm-256color' };
delete env.CI;

function timeFirstKey(node) {
  const rssFile = join(home, 'rss');
  rmSync(rssFile, { force: true });
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const ms = () => Number(process.hrtime.bigint() - started) / 1e6;
    // A 100x30 terminal: without a size, a pty reports 0 columns.
    const command = `stty cols 100 rows 30; exec ${TIME} -f %M -o ${rssFile} ${node} ${BIN}`;
    const child = spawn('script', ['-qfec', command, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'inherit'] });
    let output = '';
    let sentMs;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`\`q\` not acted on after 10 s; the screen showed ${JSON.stringify(output.slice(-300))}`));
    }, 10_000);
    child.stdout.on('data', (chunk) => {
      output += chunk.toString('utf8');
      if (sentMs === undefined) {
        sentMs = ms();
        child.stdin.write('q');
      }
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const quitMs = ms();
      if (sentMs === undefined) return reject(new Error('slipway drew nothing'));
      if (code !== 0) return reject(new Error(`slipway exited ${code} after q: ${JSON.stringify(output.slice(-300))}`));
      const rssKiB = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop());
      resolve({ firstBytesMs: sentMs, quitMs, rssKiB });
    });
  });
}



const rows = [];
try {
  for (const node of NODES) {
    const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
    const slipway = [];
    const aws = [];
    for (let i = 0; i < RUNS + WARMUP; i++) {
      const s = await timeFirstKey(node);
      const a = timeAws(env);
      if (i >= WARMUP) {
        slipway.push(s);
        aws.push(a);
      }
    }
    const awsMs = median(aws);
    const keyMs = median(slipway.map((r) => r.quitMs));
    rows.push({
      version,
      awsMs,
      firstBytesMs: median(slipway.map((r) => r.firstBytesMs)),
      keyMs,
      ratio: keyMs / awsMs,
      rssMiB: Math.max(...slipway.map((r) => r.rssKiB)) / 1024,
    });
  }
} finally {
  rmSync(home, { recursive: true, force: true });
}

console.log(`bench/first-key — ${RUNS} runs per Node (after ${WARMUP} warm-up), medians; baseline ${AWS} --version in the same run`);
for (const r of rows) {
  console.log(`  Node ${r.version.padEnd(9)} aws --version ${r.awsMs.toFixed(0).padStart(4)} ms · first bytes ${r.firstBytesMs.toFixed(0).padStart(4)} ms · \`q\` acted on ${r.keyMs.toFixed(0).padStart(4)} ms · ratio ${r.ratio.toFixed(2)} (goal ≤ 0.25) · peak RSS ${r.rssMiB.toFixed(1)} MiB (goal ≤ 80)`);
}
