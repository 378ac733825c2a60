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
});
