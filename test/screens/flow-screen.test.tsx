import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import { parseCli } from '../../src/cli/args.js';
import type { FlowEntry } from '../../src/cli/flows.js';
import { unfinishedRuns } from '../../src/cli/runs.js';
import { CancelledError, SlipwayError } from '../../src/engine/errors.js';
import { readJournal } from '../../src/engine/journal.js';
import type { Flow, Step } from '../../src/engine/types.js';
import { Session } from '../../src/session/session.js';
import { FlowScreen } from '../../screens/flow-screen.js';
import { PromptBroker } from '../../screens/state/prompt-broker.js';
import { KEY, plain, press, useTempEnv, type, waitFor, waitForFrame } from './support.js';

const temp = useTempEnv();

function testFlow(steps: Step[]): Flow {
  return {
    name: 'test',
    title: 'Test flow',
    questions: [],
    target: async () => ({ app: 'demo', region: 'us-east-1' }),
    context: async (base) => base,
    steps,
  };
}

/** An in-memory step: nothing exists yet (probe undefined), so apply runs and returns `outputs`. */
function step(id: string, title: string, apply: Step['apply']): Step & { applied: number } {
  const s = {
    id,
    title,
    applied: 0,
    probe: async () => undefined,
    apply: async (c: Parameters<Step['apply']>[0]) => {
      s.applied++;
      return apply(c);
    },
  };
  return s;
}

function renderFlow(flow: Flow) {
  const flows: FlowEntry[] = [{ name: 'test', label: 'Test', description: 'a flow made for this test', load: async () => flow }];
  const onExit = vi.fn<(code: number) => void>();
  const onHome = vi.fn();
  const broker = new PromptBroker();
  const session = new Session(parseCli(['doctor']), temp.env, flows);
  const app = render(
    <FlowScreen session={session} request={{ flow: 'test' }} broker={broker} onExit={onExit} onHome={onHome} />,
  );
  return { ...app, onExit, onHome, broker, session };
}

/** Finds the line of the step list that holds `title`. */
function stepLine(frame: string, title: string): string {
  return frame.split('\n').find((line) => line.includes(title)) ?? '';
}

describe('FlowScreen', () => {
  it('a long flow never draws a frame taller than the terminal: finished steps fold, the log pane shrinks', async () => {
    const steps = Array.from({ length: 17 }, (_, i) =>
      step(`s${i}`, `Step number ${i + 1} with a title long enough to matter`, async (c) => {
        for (let line = 0; line < 6; line++) c.report.log(`step ${i + 1} says line ${line}: ${'a long log line that wraps '.repeat(3)}`);
        if (i === 8) await c.prompter.mfaCode({ serial: 'arn:aws:iam::123456789012:mfa/alice' });
        return { done: `result-${i}` };
      }),
    );
    const flow = { ...testFlow(steps), summary: () => ['Running at http://todo-dev-1645815282.us-east-1.elb.amazonaws.com/', `todo-dev:1 · sha256:${'d'.repeat(64)} · deployed in 2 s`, 'Another summary line'] };
    const { lastFrame, frames, stdin } = renderFlow(flow);
    await waitForFrame(lastFrame, /The app shows a new code in \d+ s/);
    await type(stdin, '123456');
    await press(stdin, KEY.enter);
    const done = await waitForFrame(lastFrame, /Done in/);
    const tooTall = frames.map(plain).filter((f) => f.split('\n').length > 24);
    expect(tooTall, tooTall[0]).toEqual([]);
    expect(frames.map(plain).every((f) => f.startsWith('╭'))).toBe(true);
    expect(done).toMatch(/✔ \d+ steps done/);
    expect(done).toContain('Step number 17');
    expect(done).toContain('Another summary line');
  });

  it('runs the steps, asks the question, shows ✔ marks, the account and the done headline', async () => {
    const account = step('account', 'Look up the account', async () => ({ account: '123456789012' }));
    const name = step('name', 'Name the app', async (c) => ({ appName: await c.prompter.text({ id: 'app-name', message: 'App name', validate: (v) => (/^[a-z]+$/.test(v) ? undefined : 'Lower-case letters only.') }) }));
    const create = step('create', 'Create the thing', async (c) => ({ thing: `thing-${String(c.outputs.name?.appName)}` }));
    const { lastFrame, stdin, onExit, onHome, session } = renderFlow(testFlow([account, name, create]));

    let frame = await waitForFrame(lastFrame, 'App name:');
    expect(frame).toContain('slipway · Test flow');
    expect(stepLine(frame, 'Look up the account')).toMatch(/✔ Look up the account — 123456789012/);
    expect(stepLine(frame, 'Create the thing')).toContain('·');
    expect(frame).toContain('account 123456789012');
    expect(frame).toContain('enter answer');
    expect(create.applied).toBe(0);

    await type(stdin, 'My App');
    await press(stdin, KEY.enter);
    await waitForFrame(lastFrame, 'Lower-case letters only.');
    expect(create.applied).toBe(0);
    // Erase what was typed and answer properly.
    await press(stdin, ...Array.from({ length: 6 }, () => '\u007F'));
    await type(stdin, 'shop');
    await press(stdin, KEY.enter);

    frame = await waitForFrame(lastFrame, /Done in \d/);
    expect(stepLine(frame, 'Look up the account')).toContain('✔');
    expect(stepLine(frame, 'Name the app')).toMatch(/✔ Name the app — shop/);
    expect(stepLine(frame, 'Create the thing')).toMatch(/✔ Create the thing — thing-shop/);
    expect(frame).not.toContain('App name:');
    expect(frame).toContain('enter/q leave');
    expect([account.applied, name.applied, create.applied]).toEqual([1, 1, 1]);
    expect(onExit).not.toHaveBeenCalled();

    await press(stdin, 'q');
    await waitFor(() => onExit.mock.calls.length > 0, () => 'onExit after q');
    const [code] = onExit.mock.calls[0]!;
    expect(code).toBe(0);
    const finished = session.record.find((e) => e.type === 'run-finished');
    expect(finished?.type === 'run-finished' && finished.result.status).toBe('done');
    expect(finished?.type === 'run-finished' && finished.result.outputs.name).toEqual({ appName: 'shop' });
    expect(onHome).not.toHaveBeenCalled();
    // The journal is real and finished; the answer typed mid-step is an output, not a secret.
    expect(finished?.type === 'run-finished' && readJournal(finished.result.journalPath).status).toBe('done');
  });

  it('a failing step shows ✖ and the error panel with its why and fix; q leaves with 1', async () => {
    const first = step('first', 'First step', async () => ({ id: 'one' }));
    const broken = step('broken', 'Create the bucket', async () => {
      throw new SlipwayError('The bucket name is taken.', { why: 'Bucket names are global across all accounts.', fix: 'Pick another name with --bucket.' });
    });
    const never = step('never', 'Never reached', async () => ({}));
    const { lastFrame, stdin, onExit } = renderFlow(testFlow([first, broken, never]));

    const frame = await waitForFrame(lastFrame, 'A step failed.');
    expect(stepLine(frame, 'First step')).toContain('✔');
    expect(stepLine(frame, 'Create the bucket')).toMatch(/^\s*✖ Create the bucket/);
    expect(frame).toContain('✖ Create the bucket: The bucket name is taken.');
    expect(frame).toContain('Why: Bucket names are global across all accounts.');
    expect(frame).toContain('Fix: Pick another name with --bucket.');
    expect(stepLine(frame, 'Never reached')).toMatch(/^\s*· Never reached/);
    expect(never.applied).toBe(0);

    await press(stdin, 'q');
    await waitFor(() => onExit.mock.calls.length > 0, () => 'onExit after q');
    expect(onExit.mock.calls[0]?.[0]).toBe(1);
  });

  it('h on the finished screen goes home', async () => {
    const { lastFrame, stdin, onExit, onHome } = renderFlow(testFlow([step('only', 'Only step', async () => ({}))]));
    await waitForFrame(lastFrame, /Done in \d/);
    await press(stdin, 'h');
    await waitFor(() => onHome.mock.calls.length > 0, () => 'onHome after h');
    expect(onExit).not.toHaveBeenCalled();
  });

  it('Ctrl-C during a slow step cancels it, keeps the journal; Ctrl-C again leaves with 130', async () => {
    let sawAbort = false;
    const slow = step('slow', 'Wait for the deployment', (c) => {
      c.report.log('waiting for the service to settle');
      return new Promise((_resolve, reject) => {
        c.signal.addEventListener('abort', () => {
          sawAbort = true;
          reject(new CancelledError());
        });
      });
    });
    const after = step('after', 'Step after', async () => ({}));
    const { lastFrame, stdin, onExit } = renderFlow(testFlow([step('first', 'First step', async () => ({ id: 'one' })), slow, after]));

    await waitForFrame(lastFrame, 'waiting for the service to settle');
    expect(plain(lastFrame())).toContain('ctrl-c cancel step (journal kept)');
    await press(stdin, KEY.ctrlC);
    const frame = await waitForFrame(lastFrame, 'Cancelled. The journal is kept');
    expect(sawAbort).toBe(true);
    expect(stepLine(frame, 'Wait for the deployment')).toMatch(/^\s*■ Wait for the deployment/);
    expect(stepLine(frame, 'Step after')).toMatch(/^\s*· Step after/);
    expect(after.applied).toBe(0);
    expect(onExit).not.toHaveBeenCalled();

    // The journal stays behind as an unfinished run that the home screen offers to resume.
    const runs = unfinishedRuns(temp.env);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ flow: 'test', status: 'cancelled', stepsDone: 1, reached: 'Wait for the deployment' });

    await press(stdin, KEY.ctrlC);
    await waitFor(() => onExit.mock.calls.length > 0, () => 'onExit after the second Ctrl-C');
    expect(onExit.mock.calls[0]?.[0]).toBe(130);
  });

  it('Ctrl-C while a question is open cancels the step and hides the question', async () => {
    const asking = step('ask', 'Ask for a name', async (c) => ({ appName: await c.prompter.text({ id: 'n', message: 'App name' }) }));
    const { lastFrame, stdin, onExit } = renderFlow(testFlow([asking]));
    await waitForFrame(lastFrame, 'App name:');
    await press(stdin, KEY.ctrlC);
    const frame = await waitForFrame(lastFrame, 'Cancelled. The journal is kept');
    expect(frame).not.toContain('App name:');
    expect(stepLine(frame, 'Ask for a name')).toContain('■');
    await press(stdin, 'q');
    await waitFor(() => onExit.mock.calls.length > 0, () => 'onExit after q');
    expect(onExit.mock.calls[0]?.[0]).toBe(130);
  });

  it('the log stays once finished for a flow whose output is the point (run); for others only warnings stay', async () => {
    const talk = () => step('task', 'Run the task', async (c) => {
      c.report.log('migrated 3 tables');
      c.report.log('careful: 1 table was empty', 'warn');
      return {};
    });
    for (const keepsOutput of [true, false]) {
      const flows: FlowEntry[] = [{ name: 'test', label: 'Test', description: 'a flow made for this test', keepsOutput, load: async () => testFlow([talk()]) }];
      const app = render(<FlowScreen session={new Session(parseCli(['doctor']), temp.env, flows)} request={{ flow: 'test' }} broker={new PromptBroker()} onExit={vi.fn()} onHome={vi.fn()} />);
      const frame = await waitForFrame(app.lastFrame, 'Done in');
      expect(frame).toContain('careful: 1 table was empty');
      expect(frame.includes('migrated 3 tables')).toBe(keepsOutput);
      app.unmount();
    }
  });

  it('Ctrl-C at the flow’s first question: said in yellow as a cancellation, not "Could not start"', async () => {
    const flow = { ...testFlow([step('x', 'Never reached', async () => ({}))]), questions: [{ id: 'name', flag: '--name', message: 'Your name', kind: 'text' as const }] };
    const { lastFrame, stdin, onExit } = renderFlow(flow);
    await waitForFrame(lastFrame, 'Your name');
    await press(stdin, KEY.ctrlC);
    const frame = await waitForFrame(lastFrame, 'Cancelled before anything was done.');
    expect(frame).not.toContain('Could not start');
    await press(stdin, 'q');
    await waitFor(() => onExit.mock.calls.length > 0, () => 'onExit after q');
    expect(onExit.mock.calls[0]?.[0]).toBe(130);
  });

  it('a step that ignores the cancel: the first Ctrl-C says it is cancelling, the second leaves with 130', async () => {
    let release: () => void = () => {};
    const stubborn = step('stubborn', 'Stubborn step', () => new Promise((resolve) => (release = () => resolve({})))); // ignores c.signal
    const { lastFrame, stdin, onExit } = renderFlow(testFlow([stubborn]));
    await waitFor(() => stubborn.applied === 1, () => 'the stubborn step to start');
    await press(stdin, KEY.ctrlC);
    await waitForFrame(lastFrame, 'Cancelling the running step… press Ctrl-C again to leave now.');
    expect(onExit).not.toHaveBeenCalled();
    await press(stdin, KEY.ctrlC);
    await waitFor(() => onExit.mock.calls.length > 0, () => 'onExit after the second Ctrl-C');
    expect(onExit.mock.calls[0]?.[0]).toBe(130);
    release(); // let the runner finish and release the journal lock before the temp dir goes
    await waitForFrame(lastFrame, /Cancelled\.|Done in/);
  });
  it('a typed confirmation shows what it approves, every line reachable by scrolling, at 24 rows', async () => {
    const lines = Array.from({ length: 40 }, (_, i) => `resource ${String(i + 1).padStart(2, '0')}: deleted`);
    const confirm = step('confirm', 'Confirmation', async (c) => ({
      typed: await c.prompter.text({ id: 'confirm-teardown', message: 'Type "dev" to delete all of the above', details: { title: 'What will be deleted in dev:', lines }, validate: (v) => (v === 'dev' ? undefined : 'Type dev exactly.') }),
    }));
    const { lastFrame, stdin, onExit } = renderFlow(testFlow([confirm]));
    let frame = await waitForFrame(lastFrame, 'Type "dev" to delete');
    expect(frame).toContain('What will be deleted in dev:');
    expect(frame).toContain('resource 01: deleted');
    expect(frame).toMatch(/lines 1–\d+ of 40/);
    expect(frame).not.toContain('resource 40: deleted');
    // The whole frame fits the 24 rows the test terminal reports.
    expect(plain(frame).split('\n').length).toBeLessThanOrEqual(24);
    // PgDn twice and a few ↓ reach the end; the text input does not take those keys as text.
    await press(stdin, '\u001B[6~', '\u001B[6~', KEY.down, KEY.down);
    frame = await waitForFrame(lastFrame, 'resource 40: deleted');
    expect(frame).toMatch(/lines \d+–40 of 40/);
    await press(stdin, KEY.up);
    await waitFor(() => !plain(lastFrame() ?? '').includes('resource 40: deleted'), () => '↑ to scroll back');
    await type(stdin, 'dev');
    await press(stdin, KEY.enter);
    await waitFor(() => confirm.applied === 1 && !plain(lastFrame() ?? '').includes('What will be deleted'), () => 'the confirmation to be answered');
    await waitForFrame(lastFrame, 'Done in');
    await press(stdin, 'q');
    await waitFor(() => onExit.mock.calls.length > 0, () => 'onExit');
  });
});
