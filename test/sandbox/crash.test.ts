import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxState } from '../../src/sandbox/state.js';
import { createSandbox } from '../../src/sandbox/store.js';
import { buildChild } from '../support/build-child.js';

let child: string;
const dir = mkdtempSync(join(tmpdir(), 'slipway-sandbox-crash-'));
beforeAll(async () => {
  child = await buildChild('test/sandbox/kill-child.ts');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the child until it has reported `calls` finished calls (plus a random moment more), then SIGKILLs it. */
function runAndKill(file: string, from: number, calls: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, file, String(from)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let last = from - 1;
    let buffered = '';
    let stderr = '';
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    proc.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) last = Number(line);
      if (last - from + 1 >= calls && !proc.killed) setTimeout(() => proc.kill('SIGKILL'), Math.random() * 15);
    });
    proc.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve(last) : reject(new Error(`child ended without being killed: ${stderr}`))));
  });
}

describe('a sandbox file survives SIGKILL mid-flow', () => {
  it('holds every acknowledged call, whole, after each kill — and a new process carries on from it', async () => {
    const file = join(dir, 'account.json');
    const accountId = createSandbox({ file }).accountId;
    let next = 0;
    for (let round = 0; round < 3; round++) {
      const acknowledged = await runAndKill(file, next, 15);
      const state = JSON.parse(readFileSync(file, 'utf8')) as SandboxState; // parses: never a torn write
      expect(state.accountId).toBe(accountId);
      const indexes = Object.keys(state.iam.users)
        .filter((name) => name.startsWith('user-'))
        .map((name) => Number(name.slice(5)))
        .sort((a, b) => a - b);
      // Every acknowledged user is there; at most the one call in flight went further; no gaps.
      expect(indexes).toEqual(Array.from({ length: indexes.length }, (_, i) => i));
      expect(indexes.length - 1).toBeGreaterThanOrEqual(acknowledged);
      expect(indexes.length - 1).toBeLessThanOrEqual(acknowledged + 1);
      for (const i of indexes) expect(state.iam.users[`user-${i}`]?.tags).toEqual([{ Key: 'index', Value: String(i) }]);
      next = indexes.length;
    }
    // Temp files of killed writers may remain (the rename never happened); the account file is intact.
    expect(readdirSync(dir)).toContain('account.json');
  });
});
