import { quickFlow } from '../support/quick-flow.js';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCli } from '../../src/cli/args.js';
import { Journal } from '../../src/engine/journal.js';
import type { Prompter } from '../../src/engine/prompter.js';
import { Session } from '../../src/session/session.js';
import { useTempEnv } from '../screens/support.js';

const temp = useTempEnv();

const quick = quickFlow;

const nobodyAsks = { interactive: false } as unknown as Prompter;

function unfinishedSandboxRun(region = 'eu-west-1'): void {
  const { journal } = Journal.open('alpha', { region }, [{ id: 'look', title: 'Look' }], { env: temp.env, meta: { sandbox: 'rehearsal' } });
  journal.finish('cancelled');
  journal.close();
}

describe('Session: one controller for the wizard and the line modes', () => {
  it('menu → choice → run: the record keeps every run of the session, in order', async () => {
    const session = new Session(parseCli([]), { ...temp.env, AWS_PROFILE: 'dev' }, [quick('alpha'), quick('beta')]);
    expect(session.menu().map((item) => item.value)).toEqual(['flow:alpha', 'flow:beta', 'sandbox', 'quit']);
    for (const value of ['flow:alpha', 'flow:beta']) {
      const step = session.choose(value);
      if (step.kind !== 'run') throw new Error(`${value} led to ${step.kind}`);
      const { code } = await session.run(session.prepare(step.request), { prompter: nobodyAsks, emit: () => {}, cancel: new AbortController().signal });
      expect(code).toBe(0);
    }
    expect(session.record.flatMap((e) => (e.type === 'run-started' ? [e.flow] : []))).toEqual(['alpha', 'beta']);
    expect(session.choose('quit')).toEqual({ kind: 'quit' });
  });

  it('no credentials: the sandbox first; choosing it switches every later run to the sandbox', () => {
    const session = new Session(parseCli([]), temp.env, [quick('alpha')]);
    expect(session.noCredentials).toBe(true);
    expect(session.menu()[0]?.value).toBe('sandbox');
    const step = session.choose('sandbox');
    expect(step).toMatchObject({ kind: 'sandbox', notice: expect.stringContaining('simulated AWS account') });
    expect(session.args.sandbox).toBe('default');
    expect(session.menu().map((item) => item.value)).toEqual(['flow:alpha', 'quit']);
    expect(session.prepare({ flow: 'alpha' }).args.sandbox).toBe('default');
  });

  it('a resumed run is prepared as it was first started (its sandbox, its region), whatever was typed now', () => {
    unfinishedSandboxRun();
    const session = new Session(parseCli(['resume', '1', '--profile', 'prod']), temp.env, [quick('alpha')]);
    const run = session.runByNumber('1');
    const prepared = session.prepare(session.resumeRequest(run));
    expect(prepared.args.sandbox).toBe('rehearsal');
    expect(prepared.args.profile).toBeUndefined();
    expect(prepared.runtime.aws.region).toBe('eu-west-1');
    expect(() => session.runByNumber('2')).toThrow(/no unfinished run number 2/);
  });

  it('a picked run can be discarded: its journal goes, the menu no longer lists it', () => {
    unfinishedSandboxRun();
    const session = new Session(parseCli([]), temp.env, [quick('alpha')]);
    const menu = session.menu();
    // The run the menu showed is the one chosen, even if another appeared meanwhile.
    unfinishedSandboxRun('eu-central-1');
    const step = session.choose(menu.find((item) => item.value.startsWith('run:'))!.value);
    if (step.kind !== 'pick') throw new Error(`run:0 led to ${step.kind}`);
    expect(session.discard(step.run)).toMatch(/^Discarded alpha \(sandbox rehearsal\) · eu-west-1/);
    expect(existsSync(step.run.path)).toBe(false);
    expect(session.menu().filter((item) => item.value.startsWith('run:'))).toHaveLength(1);
  });

  it('an unknown flow is bad input, before anything runs', () => {
    const session = new Session(parseCli([]), temp.env, [quick('alpha')]);
    expect(() => session.prepare({ flow: 'gamma' })).toThrow(/does not know the flow "gamma"/);
  });
});
