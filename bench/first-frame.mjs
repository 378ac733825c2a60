#!/usr/bin/env node
// bench/first-frame: how soon does `slipway` show its first frame, against `aws --version` (Debian's
// awscli) measured in the same run? Both are timed from spawn; slipway runs in a pseudo-terminal (via
// util-linux `script`) and its frame is detected from the outside, in the bytes the terminal receives.
//
//   first frame  — the home screen is on the terminal (painted before ink loads)
//   interactive  — ink has mounted and redrawn the same frame: keys are handled from here on
//   peak RSS     — VmHWM of the slipway process when each moment is seen
//
// Usage: npm run bench   (or node bench/first-frame.mjs [runs])
import { spawn, execFileSync } from 'node:child_process';
import { AWS, median, timeAws } from './baseline.mjs';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const RUNS = Number(process.argv[2] ?? 15);
const WARMUP = 2;
const BIN = new URL('../dist/slipway.js', import.meta.url).pathname;
const MARKER = 'slipway · home';
const CLEAR = '\u001B[2J';

if (!existsSync(AWS)) {
  console.error(`${AWS} not found: apt-get install awscli (the baseline is Debian's AWS CLI).`);
  process.exit(1);
}
if (!existsSync(BIN)) execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });

const home = mkdtempSync(join(tmpdir(), 'slipway-bench-'));
const env = { ...process.env, HOME: home, XDG_STATE_HOME: join(home, 'state'), AWS_REGION: 'us-east-1', TERM: 'xterm-256color' };
delete env.CI;

function peakRssKiB(pid) {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

function childPid(pid) {
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      if (children) return Number(children.split(' ')[0]);
    }
  } catch {}
  return undefined;
}

function timeSlipway() {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const ms = () => Number(process.hrtime.bigint() - started) / 1e6;
    // A 100x30 terminal: without a size, a pty reports 0 columns and ink lays out for width 0.
    const child = spawn('script', ['-qfec', `stty cols 100 rows 30; exec ${process.execPath} ${BIN}`, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'inherit'] });
    let output = '';
    const result = {};
    const timer = setTimeout(() => reject(new Error(`no frame after 10 s; got ${JSON.stringify(output.slice(0, 300))}`)), 10_000);
    child.stdout.on('data', (chunk) => {
      output += chunk.toString('utf8');
      const node = childPid(child.pid);
      if (result.firstFrameMs === undefined && output.includes(MARKER)) {
        result.firstFrameMs = ms();
        result.firstFrameRssKiB = node && peakRssKiB(node);
      }
      const cleared = output.indexOf(CLEAR);
      if (result.interactiveMs === undefined && cleared !== -1 && output.indexOf(MARKER, cleared) !== -1) {
        result.interactiveMs = ms();
        result.interactiveRssKiB = node && peakRssKiB(node);
        child.stdin.write('q');
      }
    });
    child.on('close', () => {
      clearTimeout(timer);
      if (result.interactiveMs === undefined) reject(new Error(`slipway exited before its frame: ${JSON.stringify(output.slice(0, 300))}`));
      else resolve(result);
    });
  });
}



const slipway = [];
const aws = [];
try {
  for (let i = 0; i < RUNS + WARMUP; i++) {
    // Interleaved, so both see the same machine load.
    const s = await timeSlipway();
    const a = timeAws(env);
    if (i >= WARMUP) {
      slipway.push(s);
      aws.push(a);
    }
  }
} finally {
  rmSync(home, { recursive: true, force: true });
}

const awsMs = median(aws);
const first = median(slipway.map((r) => r.firstFrameMs));
const interactive = median(slipway.map((r) => r.interactiveMs));
const rssFirst = Math.max(...slipway.map((r) => r.firstFrameRssKiB ?? 0)) / 1024;
const rssInteractive = Math.max(...slipway.map((r) => r.interactiveRssKiB ?? 0)) / 1024;
const ratio = first / awsMs;

console.log(`bench/first-frame — ${RUNS} runs each (after ${WARMUP} warm-up), medians, Node ${process.version}`);
console.log(`  baseline: ${AWS} --version (exit)         ${awsMs.toFixed(0)} ms`);
console.log(`  slipway first frame (home screen)          ${first.toFixed(0)} ms   ratio ${ratio.toFixed(2)} (goal ≤ 0.25)`);
console.log(`  slipway interactive (ink mounted)          ${interactive.toFixed(0)} ms   ratio ${(interactive / awsMs).toFixed(2)}`);
console.log(`  peak RSS at first frame (max of runs)      ${rssFirst.toFixed(1)} MiB (goal ≤ 80)`);
console.log(`  peak RSS once interactive (max of runs)    ${rssInteractive.toFixed(1)} MiB`);
console.log(`  goals: ratio ${ratio <= 0.25 ? 'met' : 'NOT met'}, memory ${rssFirst <= 80 ? 'met' : 'NOT met'}`);
