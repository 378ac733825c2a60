import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LockedError } from '../../src/engine/errors.js';
import { Journal } from '../../src/engine/journal.js';
import { JournalLock } from '../../src/engine/lock.js';
import { journalsDir } from '../../src/engine/paths.js';
import { tempHome } from '../support/temp-home.js';

const homes: ReturnType<typeof tempHome>[] = [];
afterEach(() => homes.splice(0).forEach((h) => h.cleanup()));

function setup() {
  const home = tempHome();
  homes.push(home);
  const dir = journalsDir(home.env);
  mkdirSync(dir, { recursive: true });
  return { env: home.env, journal: join(dir, 'demo.json') };
}

describe('journal lock', () => {
  it('refuses a second holder while the first process lives, naming its pid', async () => {
    const { journal } = setup();
    // A real second process holds the lock (the same code, run by node).
    const holder = spawn(process.execPath, ['-e', `require('fs').writeFileSync(${JSON.stringify(`${journal}.lock`)}, String(process.pid), { flag: 'wx' }); setInterval(() => {}, 1000);`]);
    try {
      // Its pid written, not only the file made: an empty lock file is one slipway rightly takes over.
      await waitFor(() => existsSync(`${journal}.lock`) && readFileSync(`${journal}.lock`, 'utf8') === String(holder.pid));
      let refused: unknown;
      try {
        JournalLock.acquire(journal);
      } catch (error) {
        refused = error;
      }
      expect(refused).toBeInstanceOf(LockedError);
      expect((refused as LockedError).pid).toBe(holder.pid);
      expect((refused as Error).message).toContain(`pid ${holder.pid}`);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('takes over a lock left by a process that was killed', () => {
    const { journal } = setup();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(`${journal}.lock`, dead.stdout);
    const lock = JournalLock.acquire(journal);
    expect(readFileSync(`${journal}.lock`, 'utf8')).toBe(String(process.pid));
    lock.release();
    expect(existsSync(`${journal}.lock`)).toBe(false);
  });

  it('takes over an empty or garbled lock file', () => {
    const { journal } = setup();
    writeFileSync(`${journal}.lock`, 'not a pid');
    const lock = JournalLock.acquire(journal);
    expect(readFileSync(`${journal}.lock`, 'utf8')).toBe(String(process.pid));
    lock.release();
  });

  it('a journal opened by one run cannot be opened by another until closed', () => {
    const { env } = setup();
    const steps = [{ id: 'a', title: 'A' }];
    const first = Journal.open('demo', { region: 'us-east-1' }, steps, { env });
    // Same process, so fake a different live owner by rewriting the pid to our parent's.
    writeFileSync(`${first.journal.path}.lock`, String(process.ppid));
    expect(() => Journal.open('demo', { region: 'us-east-1' }, steps, { env })).toThrow(LockedError);
    writeFileSync(`${first.journal.path}.lock`, String(process.pid));
    first.journal.close();
    const second = Journal.open('demo', { region: 'us-east-1' }, steps, { env });
    expect(second.resumed).toBe(true);
    second.journal.close();
  });
});

async function waitFor(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
