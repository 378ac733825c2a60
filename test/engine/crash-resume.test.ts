import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/engine/events.js';
import { journalFileName, type JournalData } from '../../src/engine/journal.js';
import { journalsDir } from '../../src/engine/paths.js';
import { buildChild } from '../support/build-child.js';
import { LEDGER_KINDS, LedgerCloud, type KillPhase } from '../support/ledger-flow.js';
import { tempHome } from '../support/temp-home.js';

let child: string;
beforeAll(async () => {
  child = await buildChild('test/support/crash-child.ts');
});

const homes: ReturnType<typeof tempHome>[] = [];
afterEach(() => homes.splice(0).forEach((h) => h.cleanup()));

function runChild(env: NodeJS.ProcessEnv, cloudPath: string, given: Record<string, string>, kill?: string) {
  const result = spawnSync(process.execPath, [child, cloudPath, JSON.stringify(given)], {
    env: { ...env, ...(kill ? { SLIPWAY_TEST_KILL: kill } : {}) },
    encoding: 'utf8',
    timeout: 30_000,
  });
  const events = result.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as RunEvent);
  return { status: result.status, signal: result.signal, events, stderr: result.stderr };
}

function journalOf(env: NodeJS.ProcessEnv): JournalData {
  const path = join(journalsDir(env), journalFileName('ledger', { account: '123456789012', region: 'us-east-1', app: 'demo' }));
  return JSON.parse(readFileSync(path, 'utf8')) as JournalData;
}

const PHASES: KillPhase[] = ['probe', 'before-create', 'after-create'];
const KILL_POINTS = LEDGER_KINDS.flatMap((step) => PHASES.map((phase) => `${step}:${phase}`));

describe('a flow killed with SIGKILL and run again', () => {
  it('an uninterrupted run makes one of each resource', () => {
    const home = tempHome();
    homes.push(home);
    const cloud = new LedgerCloud(join(home.home, 'cloud.json'));
    const run = runChild(home.env, cloud.path, { prefix: 'demo' });
    expect(run.status).toBe(0);
    expect(cloud.list().map((r) => r.name).sort()).toEqual(LEDGER_KINDS.map((k) => `demo-${k}`).sort());
    expect(journalOf(home.env).status).toBe('done');
  });

  it.each(KILL_POINTS)('killed at %s: resuming converges with nothing duplicated and nothing re-asked', (killPoint) => {
    const home = tempHome();
    homes.push(home);
    const cloud = new LedgerCloud(join(home.home, 'cloud.json'));

    const killed = runChild(home.env, cloud.path, { prefix: 'demo' }, killPoint);
    expect(killed.signal).toBe('SIGKILL');
    const interrupted = journalOf(home.env);
    expect(interrupted.status).toBe('running');
    expect(interrupted.answers).toEqual({ prefix: 'demo' });

    // No answers given this time and no way to ask: the journal must supply the prefix.
    const resumed = runChild(home.env, cloud.path, {});
    expect(resumed.stderr).toBe('');
    expect(resumed.status).toBe(0);
    expect(resumed.events[0]).toMatchObject({ type: 'run-started', resumed: true });

    const names = cloud.list().map((r) => r.name);
    expect(names.sort()).toEqual(LEDGER_KINDS.map((k) => `demo-${k}`).sort());
    expect(new Set(names).size).toBe(names.length);

    const journal = journalOf(home.env);
    expect(journal.status).toBe('done');
    for (const kind of LEDGER_KINDS) {
      expect(journal.steps[kind]?.status).toBe('done');
      expect(journal.steps[kind]?.outputs).toEqual({ id: cloud.find(kind, `demo-${kind}`)?.id });
    }

    // The step that died after its create but before its outputs were journaled is adopted, not redone.
    const [killedStep, phase] = killPoint.split(':');
    const done = resumed.events.find((e) => e.type === 'step-done' && e.stepId === killedStep);
    const expectedHow = phase === 'after-create' ? 'adopted' : 'applied';
    expect(done).toMatchObject({ how: expectedHow });
    // Steps finished before the kill are confirmed by their probe, not applied again.
    const before = LEDGER_KINDS.slice(0, LEDGER_KINDS.indexOf(killedStep as (typeof LEDGER_KINDS)[number]));
    for (const kind of before) expect(resumed.events.find((e) => e.type === 'step-done' && e.stepId === kind)).toMatchObject({ how: 'confirmed' });
  });

  it('a lost journal still converges: every step finds its resource in the cloud', () => {
    const home = tempHome();
    homes.push(home);
    const cloud = new LedgerCloud(join(home.home, 'cloud.json'));
    expect(runChild(home.env, cloud.path, { prefix: 'demo' }, 'bucket:after-create').signal).toBe('SIGKILL');
    const other = tempHome(); // a second machine: same cloud, no journal
    homes.push(other);
    const run = runChild(other.env, cloud.path, { prefix: 'demo' });
    expect(run.status).toBe(0);
    const how = Object.fromEntries(run.events.flatMap((e) => (e.type === 'step-done' ? [[e.stepId, e.how]] : [])));
    expect(how).toEqual({ network: 'found', role: 'found', bucket: 'found', key: 'applied' });
    expect(cloud.list()).toHaveLength(4);
  });
});
