import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { NonInteractivePrompter } from '../../src/console/ci-prompter.js';
import { CancelledError, MissingAnswerError, SlipwayError, UsageError } from '../../src/engine/errors.js';
import type { RunEvent } from '../../src/engine/events.js';
import { readJournal } from '../../src/engine/journal.js';
import type { ConfirmAsk, Prompter, SelectAsk, TextAsk } from '../../src/engine/prompter.js';
import { runFlow } from '../../src/engine/runner.js';
import type { Flow, Step } from '../../src/engine/types.js';
import { useTempHomes } from '../support/temp-home.js';

const home = useTempHomes();
const env = () => home().env;

/** A scripted person: answers in order, and records what was asked. */
class ScriptedPrompter implements Prompter {
  readonly interactive = true;
  asked: string[] = [];
  constructor(private readonly answers: string[]) {}
  private next(id: string): string {
    this.asked.push(id);
    const answer = this.answers.shift();
    if (answer === undefined) throw new Error(`unexpected question ${id}`);
    return answer;
  }
  async text(ask: TextAsk) {
    let value = this.next(ask.id);
    // Like the real prompts: an invalid answer is asked again.
    while (ask.validate?.(value)) value = this.next(ask.id);
    return value;
  }
  async secret(ask: TextAsk) {
    return this.next(ask.id);
  }
  async select<T extends string>(ask: SelectAsk<T>) {
    return this.next(ask.id) as T;
  }
  async confirm(ask: ConfirmAsk) {
    return this.next(ask.id) === 'yes';
  }
  async mfaCode() {
    return this.next('mfa');
  }
  async showQr() {}
  async showSecret() {}
}

function memoryFlow(options: { failAt?: string; secretQuestion?: boolean; kind?: 'checks' } = {}) {
  const made = new Map<string, string>();
  const applied: string[] = [];
  const step = (id: string): Step => ({
    id,
    title: `Make ${id}`,
    async probe() {
      return made.has(id) ? { id: made.get(id) } : undefined;
    },
    async apply(c) {
      if (options.failAt === id) throw new SlipwayError(`${id} broke`, { fix: `fix ${id}` });
      applied.push(id);
      made.set(id, `${id}-${String(c.answers.name)}`);
      c.report.log(`made ${id}`);
      return { id: made.get(id) };
    },
  });
  const steps = ['a', 'b', 'c'].map(step);
  const flow: Flow & { steps: Step[] } = {
    name: 'memory',
    title: 'Memory',
    kind: options.kind,
    questions: [
      { id: 'name', flag: '--name', message: 'Name', kind: 'text', validate: (v) => (/^[a-z]+$/.test(v) ? undefined : 'lowercase only') },
      { id: 'size', flag: '--size', message: 'Size', kind: 'number', default: 3 },
      ...(options.secretQuestion ? [{ id: 'password', flag: '--password', message: 'Password', kind: 'text' as const, secret: true }] : []),
    ],
    target: async (answers) => ({ app: String(answers.name) }),
    context: async (base) => base,
    steps,
  };
  return { flow, made, applied };
}

async function run(flow: Flow, prompter: Prompter, environment: NodeJS.ProcessEnv, given = {}, cancel = new AbortController().signal) {
  const events: RunEvent[] = [];
  const result = await runFlow({ flow, given, prompter, emit: (e) => events.push(e), cancel, env: environment });
  return { result, events };
}

describe('runner', () => {
  it('a settled default is not asked: the run says what it took and from where; a flag still wins', async () => {
    const { flow } = memoryFlow();
    const settledFlow: Flow = { ...flow, questions: flow.questions.map((q) => (q.id === 'size' ? { ...q, settled: 'slipway/project.json' } : q)) };
    const prompter = new ScriptedPrompter(['demo']);
    const { result, events } = await run(settledFlow, prompter, env());
    expect(prompter.asked).toEqual(['name']);
    const started = events.find((e) => e.type === 'run-started');
    expect(started?.type === 'run-started' && started.settled).toEqual(['size 3 (slipway/project.json)']);
    expect(result.status).toBe('done');

    const flagged = await run(settledFlow, new ScriptedPrompter(['other']), env(), { size: '4' });
    const again = flagged.events.find((e) => e.type === 'run-started');
    expect(again?.type === 'run-started' && again.settled).toBeUndefined();
  });

  it('probes, records intent, applies and journals outputs in order', async () => {
    const e = env();
    const { flow, applied } = memoryFlow();
    const { result, events } = await run(flow, new ScriptedPrompter(['demo', '5']), e);
    expect(result.status).toBe('done');
    expect(applied).toEqual(['a', 'b', 'c']);
    expect(result.outputs).toEqual({ a: { id: 'a-demo' }, b: { id: 'b-demo' }, c: { id: 'c-demo' } });
    expect(events.map((x) => x.type)).toEqual(['run-started', ...['a', 'b', 'c'].flatMap(() => ['step-started', 'step-log', 'step-done']), 'run-finished']);
    const journal = readJournal(result.journalPath);
    expect(journal.answers).toEqual({ name: 'demo', size: 5 });
    expect(journal.status).toBe('done');
  });

  it('asks again after an invalid answer', async () => {
    const prompter = new ScriptedPrompter(['Bad Name', 'good', '1']);
    const { result } = await run(memoryFlow().flow, prompter, env());
    expect(result.target).toEqual({ app: 'good' });
    expect(prompter.asked).toEqual(['name', 'name', 'size']);
  });

  it('stops at a failing step, and the re-run skips what was done without asking again', async () => {
    const e = env();
    const first = memoryFlow({ failAt: 'b' });
    const { result } = await run(first.flow, new ScriptedPrompter(['demo', '2']), e);
    expect(result.status).toBe('failed');
    expect(result.failures).toEqual([{ stepId: 'b', title: 'Make b', error: { message: 'b broke', fix: 'fix b' } }]);
    expect(first.applied).toEqual(['a']);

    // Same cloud (the map), fixed code: a person who would answer nothing.
    const second = memoryFlow();
    second.made.set('a', first.made.get('a') ?? '');
    const prompter = new ScriptedPrompter([]);
    const { result: again, events } = await run(second.flow, prompter, e, { name: 'demo' });
    expect(again.status).toBe('done');
    expect(again.resumed).toBe(true);
    expect(prompter.asked).toEqual([]);
    expect(second.applied).toEqual(['b', 'c']);
    expect(events.find((x) => x.type === 'step-done' && x.stepId === 'a')).toMatchObject({ how: 'confirmed' });
  });

  it('check flows run every step and never resume', async () => {
    const e = env();
    const { flow } = memoryFlow({ failAt: 'a', kind: 'checks' });
    const { result } = await run(flow, new ScriptedPrompter(['demo', '1']), e);
    expect(result.status).toBe('failed');
    expect(Object.keys(result.outputs)).toEqual(['b', 'c']);
    const { result: second } = await run(memoryFlow({ kind: 'checks' }).flow, new ScriptedPrompter(['demo', '1']), e);
    expect(second.resumed).toBe(false);
  });

  it('never journals secret answers', async () => {
    const { result } = await run(memoryFlow({ secretQuestion: true }).flow, new ScriptedPrompter(['demo', '1', 'hunter2hunter2']), env());
    const raw = JSON.stringify(readJournal(result.journalPath));
    expect(raw).not.toContain('hunter2');
    expect(readJournal(result.journalPath).answers).toEqual({ name: 'demo', size: 1 });
  });

  it('steps given as a function of the answers are chosen once the answers are known', async () => {
    const { flow, applied } = memoryFlow();
    const all = flow.steps;
    const chosen: string[] = [];
    const byAnswers: Flow = { ...flow, steps: (answers) => (chosen.push(String(answers.name)), answers.name === 'short' ? all.slice(0, 1) : all) };
    const { result, events } = await run(byAnswers, new ScriptedPrompter(['short', '1']), env());
    expect(chosen).toEqual(['short']);
    expect(result.status).toBe('done');
    expect(applied).toEqual(['a']);
    const started = events.find((e) => e.type === 'run-started');
    expect(started?.type === 'run-started' && started.steps.map((s) => s.id)).toEqual(['a']);
  });

  it('refuses a step whose outputs look like a secret', async () => {
    const { flow } = memoryFlow();
    flow.steps[0] = { id: 'leaky', title: 'Leaky', probe: async () => undefined, apply: async () => ({ secretAccessKey: 'wJalrXUtnFEMIK7MDENG' }) };
    const { result } = await run(flow, new ScriptedPrompter(['demo', '1']), env());
    expect(result.failures[0]?.error.message).toMatch(/looks like a secret/);
    expect(JSON.stringify(readJournal(result.journalPath))).not.toContain('wJalrXUtnFEMIK7MDENG');
  });

  it('non-interactive: a missing answer names its flag; defaults are used; bad given answers are usage errors before anything is written', async () => {
    const e = env();
    await expect(run(memoryFlow().flow, new NonInteractivePrompter(), e)).rejects.toThrow(MissingAnswerError);
    await expect(run(memoryFlow().flow, new NonInteractivePrompter(), e)).rejects.toMatchObject({ fix: expect.stringContaining('--name') });
    await expect(run(memoryFlow().flow, new NonInteractivePrompter(), e, { name: 'BAD' })).rejects.toThrow(UsageError);
    await expect(run(memoryFlow().flow, new NonInteractivePrompter(), e, { nope: 'x' })).rejects.toThrow(/Unknown answer "nope"/);
    await expect(run(memoryFlow().flow, new NonInteractivePrompter(), e, { name: 'ok', size: 'many' })).rejects.toThrow(/expected a number/);
    const { existsSync } = await import('node:fs');
    const { journalsDir } = await import('../../src/engine/paths.js');
    expect(existsSync(journalsDir(e))).toBe(false);
    const { result } = await run(memoryFlow().flow, new NonInteractivePrompter(), e, { name: 'ok' });
    expect(readJournal(result.journalPath).answers).toEqual({ name: 'ok', size: 3 });
  });

  it('cancelling stops the running step, keeps the journal with its intent, and reports cancelled', async () => {
    const e = env();
    const { flow } = memoryFlow();
    const controller = new AbortController();
    flow.steps[1] = {
      id: 'slow',
      title: 'Slow',
      probe: async () => undefined,
      apply: (c) =>
        new Promise((_resolve, reject) => {
          c.signal.addEventListener('abort', () => reject(new CancelledError()));
          setTimeout(() => controller.abort(), 20);
        }),
    };
    const { result, events } = await run(flow, new ScriptedPrompter(['demo', '1']), e, {}, controller.signal);
    expect(result.status).toBe('cancelled');
    expect(events.some((x) => x.type === 'step-cancelled' && x.stepId === 'slow')).toBe(true);
    const journal = readJournal(result.journalPath);
    expect(journal.status).toBe('cancelled');
    expect(journal.steps.slow?.status).toBe('intent');
    expect(journal.steps.a?.status).toBe('done');
  });

  it('with several unfinished runs of a flow, the person picks one', async () => {
    const e = env();
    // A given answer that differs from the unfinished run's starts a second run rather than resuming.
    await run(memoryFlow({ failAt: 'a' }).flow, new ScriptedPrompter(['1']), e, { name: 'one' });
    const { result: two } = await run(memoryFlow({ failAt: 'a' }).flow, new ScriptedPrompter(['1']), e, { name: 'two' });
    expect(two.resumed).toBe(false);
    const prompter = new ScriptedPrompter(['1']); // second candidate in the list
    const { result } = await run(memoryFlow().flow, prompter, e);
    expect(prompter.asked).toEqual(['resume-run']);
    expect(result.resumed).toBe(true);
    expect(['one', 'two']).toContain(result.target.app);
  });

  describe('results bound to their inputs', () => {
    /** A step that trusts its journaled result (like a test stage that passed) — as long as its inputs hold. */
    function commitFlow(commit: { sha: string }, failAfterTests = false) {
      const tested: string[] = [];
      const tests: Step = {
        id: 'tests',
        title: 'Tests',
        inputs: () => ({ sha: commit.sha }),
        async probe(c) {
          return c.journaled?.status === 'done' ? c.journaled.outputs : undefined;
        },
        async apply() {
          tested.push(commit.sha);
          return { passed: commit.sha };
        },
      };
      const ship: Step = {
        id: 'ship',
        title: 'Ship',
        async probe() {
          return undefined;
        },
        async apply() {
          if (failAfterTests) throw new SlipwayError('registry down');
          return { shipped: commit.sha };
        },
      };
      const flow: Flow = { name: 'commit', title: 'Commit', questions: [], target: async () => ({ app: 'x' }), context: async (base) => base, steps: [tests, ship] };
      return { flow, tested };
    }

    it('a journaled result made from other inputs is not trusted: the step runs again and says what changed', async () => {
      const e = env();
      const commit = { sha: 'aaaaaaa' };
      const first = commitFlow(commit, true);
      expect((await run(first.flow, new ScriptedPrompter([]), e)).result.status).toBe('failed');
      expect(first.tested).toEqual(['aaaaaaa']);

      commit.sha = 'bbbbbbb';
      const second = commitFlow(commit);
      const { result, events } = await run(second.flow, new ScriptedPrompter([]), e);
      expect(result.resumed).toBe(true);
      expect(second.tested).toEqual(['bbbbbbb']);
      expect(result.outputs.tests).toEqual({ passed: 'bbbbbbb' });
      const said = events.flatMap((x) => (x.type === 'step-log' && x.stepId === 'tests' ? [x.line] : []));
      expect(said).toEqual(['Changed since an earlier run did this step (sha: aaaaaaa → bbbbbbb): it runs again.']);
      expect(events.find((x) => x.type === 'step-done' && x.stepId === 'tests')).toMatchObject({ how: 'applied' });
      expect(readJournal(result.journalPath).steps.tests).toMatchObject({ inputs: { sha: 'bbbbbbb' } });
    });

    it('the same inputs: the journaled result is confirmed, not redone', async () => {
      const e = env();
      const commit = { sha: 'aaaaaaa' };
      await run(commitFlow(commit, true).flow, new ScriptedPrompter([]), e);
      const again = commitFlow(commit);
      const { events } = await run(again.flow, new ScriptedPrompter([]), e);
      expect(again.tested).toEqual([]);
      expect(events.find((x) => x.type === 'step-done' && x.stepId === 'tests')).toMatchObject({ how: 'confirmed' });
    });

    it('the same answer given as a flag\'s text ("no") as was journaled (false) resumes the run', async () => {
      const e = env();
      const base = memoryFlow({ failAt: 'b' });
      const withConfirm = (flow: Flow): Flow => ({ ...flow, questions: [...flow.questions, { id: 'keep', flag: '--keep', message: 'Keep?', kind: 'confirm' }] });
      await run(withConfirm(base.flow), new ScriptedPrompter([]), e, { name: 'demo', size: 1, keep: 'no' });
      const { result, events } = await run(withConfirm(memoryFlow().flow), new ScriptedPrompter([]), e, { name: 'demo', size: '1', keep: 'no' });
      expect(result.resumed).toBe(true);
      expect(events[0]).not.toHaveProperty('setAside');
    });

    it('an unfinished run with other answers is set aside: a new run starts and says what differed', async () => {
      const e = env();
      const target = async () => ({ app: 'same' });
      const first = memoryFlow({ failAt: 'b' });
      await run({ ...first.flow, target }, new ScriptedPrompter([]), e, { name: 'one', size: 1 });
      const second = memoryFlow();
      const { result, events } = await run({ ...second.flow, target }, new ScriptedPrompter([]), e, { name: 'one', size: 2 });
      expect(result.resumed).toBe(false);
      expect(events[0]).toMatchObject({ type: 'run-started', resumed: false, setAside: ['size: 1 → 2'] });
      expect(second.applied).toEqual(['a', 'b', 'c']);
      expect(readJournal(result.journalPath).answers).toEqual({ name: 'one', size: 2 });
    });
  });

  describe('bad input found by a step', () => {
    const refusing = (when: 'first' | 'after-a-change') => {
      const { flow, applied } = memoryFlow();
      const steps = flow.steps;
      const refuse: Step = {
        id: 'refuse',
        title: 'Refuse',
        async probe() {
          throw new UsageError('no Dockerfile here', { fix: 'pass --file' });
        },
        async apply() {
          return {};
        },
      };
      return { flow: { ...flow, steps: when === 'first' ? [refuse, ...steps] : [...steps, refuse] }, applied };
    };

    it('before anything changed: a usage error (exit 2), and no journal is written', async () => {
      const e = env();
      const events: RunEvent[] = [];
      await expect(runFlow({ flow: refusing('first').flow, given: { name: 'demo' }, prompter: new NonInteractivePrompter(e), emit: (x) => events.push(x), cancel: new AbortController().signal, env: e })).rejects.toBeInstanceOf(UsageError);
      const started = events.find((x) => x.type === 'run-started');
      expect(started && existsSync(started.journalPath)).toBe(false);
    });

    it('on a resumed run: the journal is left exactly as it was', async () => {
      const e = env();
      const { result } = await run(memoryFlow({ failAt: 'b' }).flow, new ScriptedPrompter([]), e, { name: 'demo', size: 1 });
      const before = readFileSync(result.journalPath, 'utf8');
      await expect(run(refusing('first').flow, new ScriptedPrompter([]), e, { name: 'demo' })).rejects.toBeInstanceOf(UsageError);
      expect(readFileSync(result.journalPath, 'utf8')).toBe(before);
    });

    it('after a step changed something: a failed step (exit 1), journaled as usual', async () => {
      const e = env();
      const { result } = await run(refusing('after-a-change').flow, new ScriptedPrompter([]), e, { name: 'demo', size: 1 });
      expect(result.status).toBe('failed');
      expect(readJournal(result.journalPath).steps.refuse?.error).toBe('no Dockerfile here');
    });
  });
});
