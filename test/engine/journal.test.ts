import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/engine/atomic-write.js';
import { SlipwayError } from '../../src/engine/errors.js';
import { discardRun, Journal, journalFileName, listUnfinishedRuns, readJournal } from '../../src/engine/journal.js';
import { journalsDir, stateDir } from '../../src/engine/paths.js';
import { buildChild } from '../support/build-child.js';
import { useTempHomes } from '../support/temp-home.js';

const home = useTempHomes();
const STEPS = [
  { id: 'one', title: 'Step one' },
  { id: 'two', title: 'Step two' },
];

describe('state folder', () => {
  it('uses XDG_STATE_HOME, else ~/.local/state', () => {
    expect(stateDir({ HOME: '/h', XDG_STATE_HOME: '/x' })).toBe('/x/slipway');
    expect(stateDir({ HOME: '/h' })).toBe('/h/.local/state/slipway');
    // A relative XDG path is invalid by the spec and ignored.
    expect(stateDir({ HOME: '/h', XDG_STATE_HOME: 'rel' })).toBe('/h/.local/state/slipway');
  });
});

describe('journal', () => {
  it('is one file per flow + account + region + app + env', () => {
    expect(journalFileName('rollout', { account: '123456789012', region: 'eu-west-1', app: 'todo', env: 'dev' })).toBe('rollout__123456789012__eu-west-1__todo__dev.json');
    expect(journalFileName('doctor', {})).toBe('doctor__-__-__-__-.json');
    expect(journalFileName('x', { app: '../../etc' })).not.toContain('/');
  });

  it('records answers, intent and outputs, and resumes an unfinished run', () => {
    const { env } = home();
    const { journal, resumed } = Journal.open('demo', { app: 'a' }, STEPS, { env });
    expect(resumed).toBe(false);
    journal.recordAnswers({ name: 'x' });
    journal.recordIntent('one', 'Step one');
    journal.recordDone('one', 'Step one', { arn: 'arn:1' });
    journal.recordIntent('two', 'Step two');
    journal.close();

    const on = readJournal(journal.path);
    expect(on.steps.one).toMatchObject({ status: 'done', outputs: { arn: 'arn:1' } });
    expect(on.steps.two?.status).toBe('intent');
    expect(statSync(journal.path).mode & 0o777).toBe(0o600);

    const again = Journal.open('demo', { app: 'a' }, STEPS, { env });
    expect(again.resumed).toBe(true);
    expect(again.journal.snapshot.answers).toEqual({ name: 'x' });
    expect(again.journal.snapshot.runId).toBe(on.runId);
    again.journal.finish('done');
    again.journal.close();
    const fresh = Journal.open('demo', { app: 'a' }, STEPS, { env });
    expect(fresh.resumed).toBe(false);
    expect(fresh.journal.snapshot.runId).not.toBe(on.runId);
    fresh.journal.close();
  });

  it('a failure keeps the intent, so the next run probes before applying', () => {
    const { env } = home();
    const { journal } = Journal.open('demo', {}, STEPS, { env });
    journal.recordIntent('one', 'Step one');
    journal.recordFailure('one', 'Step one', 'boom');
    journal.close();
    expect(readJournal(journal.path).steps.one).toMatchObject({ status: 'intent', error: 'boom' });
  });

  it('lists unfinished runs with the step they reached, newest first, and skips finished and check runs', () => {
    const { env } = home();
    const a = Journal.open('demo', { app: 'a' }, STEPS, { env }).journal;
    a.recordDone('one', 'Step one', {});
    a.close();
    const b = Journal.open('demo', { app: 'b' }, STEPS, { env }).journal;
    b.finish('done');
    b.close();
    const c = Journal.open('doctor', {}, STEPS, { env, resumable: false }).journal;
    c.finish('failed');
    c.close();
    const runs = listUnfinishedRuns(env);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ flow: 'demo', target: { app: 'a' }, reached: 'Step two', stepsDone: 1, stepsTotal: 2 });
  });

  it('a corrupted journal is reported with a fix, listed as broken, and can be discarded', () => {
    const { env } = home();
    const dir = journalsDir(env);
    const path = join(dir, journalFileName('demo', {}));
    writeFileAtomic(path, '{"version":1, "runId": "x", trunc');
    expect(() => readJournal(path)).toThrow(SlipwayError);
    try {
      readJournal(path);
    } catch (error) {
      expect((error as SlipwayError).fix).toContain('mv');
    }
    expect(() => Journal.open('demo', {}, STEPS, { env })).toThrow(/cannot be read/);
    const runs = listUnfinishedRuns(env);
    expect(runs).toEqual([{ path, broken: expect.stringContaining('cannot be read') }]);
    discardRun(path);
    expect(listUnfinishedRuns(env)).toEqual([]);
  });

  it('a valid JSON file of the wrong shape is refused', () => {
    const { env } = home();
    const path = join(journalsDir(env), journalFileName('demo', {}));
    writeFileAtomic(path, JSON.stringify({ hello: 'world' }));
    expect(() => readJournal(path)).toThrow(/not a slipway journal/);
  });
});

describe('atomic write', () => {
  it('replaces the file and leaves no temp files', () => {
    const { home: dir } = home();
    const path = join(dir, 'f.json');
    writeFileAtomic(path, 'one');
    writeFileAtomic(path, 'two');
    expect(readFileSync(path, 'utf8')).toBe('two');
    expect(readdirSync(dir).filter((n) => n.includes('.tmp'))).toEqual([]);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('a process killed mid-write leaves the old file or the new one, never a mix', async () => {
    const child = await buildChild('test/support/atomic-writer-child.ts');
    const { home: dir } = home();
    const path = join(dir, 'big.json');
    const oldContent = 'A'.repeat(4 << 20);
    const newContent = 'B'.repeat(4 << 20);
    writeFileAtomic(path, oldContent);
    const seen = new Set<string>();
    for (let i = 0; i < 6; i++) {
      // Killed once it is surely writing (it said so), a random moment later: the machine's load
      // cannot make the kill land before the first write starts.
      const signal = await killWhileWriting(child, path, 5 + i * 17);
      expect(signal).toBe('SIGKILL');
      const content = readFileSync(path, 'utf8');
      expect(content === oldContent || content === newContent).toBe(true);
      seen.add(content === oldContent ? 'old' : 'new');
    }
    // The child did get to replace the file at least once (so the kills landed during real writes).
    expect(seen.has('new')).toBe(true);
  }, 30_000);
});

function killWhileWriting(child: string, path: string, delayMs: number): Promise<NodeJS.Signals | null> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [child, path, 'B'], { stdio: ['ignore', 'pipe', 'inherit'] });
    proc.stdout.once('data', () => setTimeout(() => proc.kill('SIGKILL'), delayMs));
    proc.on('close', (_code, signal) => resolve(signal));
  });
}
