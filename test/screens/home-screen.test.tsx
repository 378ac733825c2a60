import { quickFlow } from '../support/quick-flow.js';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import type { FlowEntry } from '../../src/cli/flows.js';
import { parseCli } from '../../src/cli/args.js';
import { unfinishedRuns, type RunListing } from '../../src/cli/runs.js';
import { Journal } from '../../src/engine/journal.js';
import { journalsDir } from '../../src/engine/paths.js';
import { HomeScreen, type HomeChoice } from '../../screens/home-screen.js';
import { Session } from '../../src/session/session.js';
import { Root } from '../../screens/root.js';
import { PromptBroker } from '../../screens/state/prompt-broker.js';
import type { Runtime } from '../../flows/shared/runtime.js';
import { KEY, plain, press, useTempEnv, waitFor, waitForFrame } from './support.js';

const FLOWS: FlowEntry[] = [
  { name: 'alpha', label: 'First flow', description: 'does the first thing', load: async () => Promise.reject(new Error('not loaded in these tests')) },
  { name: 'beta', label: 'Second flow', description: 'does the second thing', load: async () => Promise.reject(new Error('not loaded in these tests')) },
];

const temp = useTempEnv();

/** A real, unfinished journal: one step of three done, the lock released as after a crash-free stop. */
function writeUnfinishedRun(): void {
  const steps = [
    { id: 'role', title: 'Admin role' },
    { id: 'group', title: 'Administrators group' },
    { id: 'user', title: 'IAM user' },
  ];
  const { journal } = Journal.open('bootstrap', { account: '123456789012', region: 'us-east-1' }, steps, { env: temp.env });
  journal.recordDone('role', 'Admin role', { roleName: 'Admin' });
  journal.finish('cancelled');
  journal.close();
}

function renderHome(runs: RunListing[]) {
  const onChoose = vi.fn<(choice: HomeChoice) => void>();
  const app = render(<HomeScreen runs={runs} flows={FLOWS} profile="default" region="us-east-1" onChoose={onChoose} />);
  return { ...app, onChoose };
}

describe('HomeScreen', () => {
  it('lists the unfinished runs from real journals, then the flows, with the cursor on the first item', async () => {
    writeUnfinishedRun();
    const runs = unfinishedRuns(temp.env);
    expect(runs).toHaveLength(1);
    const { lastFrame } = renderHome(runs);
    const frame = await waitForFrame(lastFrame, 'slipway · home');
    expect(frame).toContain('Unfinished runs (1)');
    expect(frame).toMatch(/❯ ↻ bootstrap · 123456789012 · us-east-1 · 1\/3 done, at "Administrators group"/);
    expect(frame).toContain('  First flow (slipway alpha)');
    expect(frame).toContain('  Second flow (slipway beta)');
    expect(frame).toContain('  Quit');
  });

  it('says there is nothing to resume when there are no journals', async () => {
    const runs = unfinishedRuns(temp.env);
    expect(runs).toEqual([]);
    const { lastFrame } = renderHome(runs);
    const frame = await waitForFrame(lastFrame, 'No unfinished runs.');
    expect(frame).toContain('❯ First flow (slipway alpha)');
  });

  it('↓ then Enter on a flow chooses that flow', async () => {
    writeUnfinishedRun();
    const { lastFrame, stdin, onChoose } = renderHome(unfinishedRuns(temp.env));
    await waitForFrame(lastFrame, 'Unfinished runs (1)');
    await press(stdin, KEY.down);
    await waitForFrame(lastFrame, '❯ First flow (slipway alpha)');
    // The hint line follows the cursor.
    expect(plain(lastFrame())).toContain('does the first thing');
    await press(stdin, KEY.down);
    await waitForFrame(lastFrame, '❯ Second flow (slipway beta)');
    await press(stdin, KEY.enter);
    await waitFor(() => onChoose.mock.calls.length > 0, () => 'onChoose to be called');
    expect(onChoose.mock.calls).toEqual([[{ kind: 'flow', flow: 'beta' }]]);
  });

  it('↓ ↓ Enter in one burst (tmux, a paste, a fast typist) chooses the entry the cursor reached', async () => {
    const { lastFrame, stdin, onChoose } = renderHome([]);
    await waitForFrame(lastFrame, '❯ First flow (slipway alpha)');
    // One write: ink parses three keys and calls the handler three times before React renders again.
    stdin.write(`${KEY.down}${KEY.down}${KEY.enter}`);
    await waitFor(() => onChoose.mock.calls.length > 0, () => 'onChoose to be called');
    expect(onChoose.mock.calls).toEqual([[{ kind: 'sandbox' }]]);
  });

  it('Enter on a run opens the resume/discard menu; Escape goes back', async () => {
    writeUnfinishedRun();
    const { lastFrame, stdin, onChoose } = renderHome(unfinishedRuns(temp.env));
    await waitForFrame(lastFrame, 'Unfinished runs (1)');
    await press(stdin, KEY.enter);
    const menu = await waitForFrame(lastFrame, 'slipway · resume');
    expect(menu).toContain('❯ Resume it');
    expect(menu).toContain('  Discard its journal');
    expect(menu).toContain('  Back');
    expect(menu).toContain('bootstrap · 123456789012 · us-east-1 · 1/3 done');
    expect(onChoose).not.toHaveBeenCalled();

    await press(stdin, KEY.escape);
    await waitForFrame(lastFrame, 'slipway · home');
    expect(onChoose).not.toHaveBeenCalled();
  });

  it('choosing Resume it resumes that run', async () => {
    writeUnfinishedRun();
    const runs = unfinishedRuns(temp.env);
    const { lastFrame, stdin, onChoose } = renderHome(runs);
    await waitForFrame(lastFrame, 'Unfinished runs (1)');
    await press(stdin, KEY.enter);
    await waitForFrame(lastFrame, '❯ Resume it');
    await press(stdin, KEY.enter);
    await waitFor(() => onChoose.mock.calls.length > 0, () => 'onChoose to be called');
    expect(onChoose.mock.calls).toEqual([[{ kind: 'resume', run: runs[0] }]]);
  });

  it('choosing Discard calls onChoose with discard and the run', async () => {
    writeUnfinishedRun();
    const runs = unfinishedRuns(temp.env);
    const { lastFrame, stdin, onChoose } = renderHome(runs);
    await waitForFrame(lastFrame, 'Unfinished runs (1)');
    await press(stdin, KEY.enter);
    await waitForFrame(lastFrame, '❯ Resume it');
    await press(stdin, KEY.down);
    await waitForFrame(lastFrame, '❯ Discard its journal');
    await press(stdin, KEY.enter);
    await waitFor(() => onChoose.mock.calls.length > 0, () => 'onChoose to be called');
    expect(onChoose.mock.calls).toEqual([[{ kind: 'discard', run: runs[0] }]]);
  });

  it('an unreadable journal is listed and can only be discarded, not resumed', async () => {
    mkdirSync(journalsDir(temp.env), { recursive: true });
    writeFileSync(join(journalsDir(temp.env), 'bootstrap__-__-__-__-.json'), '{ not json');
    const runs = unfinishedRuns(temp.env);
    const { lastFrame, stdin } = renderHome(runs);
    await waitForFrame(lastFrame, '↻ unreadable journal');
    await press(stdin, KEY.enter);
    const menu = await waitForFrame(lastFrame, 'slipway · resume');
    expect(menu).not.toContain('Resume it');
    expect(menu).toContain('❯ Discard its journal');
  });

  it('q quits, from the list and from the run menu', async () => {
    writeUnfinishedRun();
    const first = renderHome(unfinishedRuns(temp.env));
    await waitForFrame(first.lastFrame, 'slipway · home');
    await press(first.stdin, 'q');
    await waitFor(() => first.onChoose.mock.calls.length > 0, () => 'onChoose to be called');
    expect(first.onChoose.mock.calls).toEqual([[{ kind: 'quit' }]]);
    first.unmount();

    const second = renderHome(unfinishedRuns(temp.env));
    await waitForFrame(second.lastFrame, 'slipway · home');
    await press(second.stdin, KEY.enter);
    await waitForFrame(second.lastFrame, 'Discard its journal');
    await press(second.stdin, 'q');
    await waitFor(() => second.onChoose.mock.calls.length > 0, () => 'onChoose to be called');
    expect(second.onChoose.mock.calls).toEqual([[{ kind: 'quit' }]]);
  });

  it('Enter on Quit quits', async () => {
    const { lastFrame, stdin, onChoose } = renderHome([]);
    await waitForFrame(lastFrame, '❯ First flow');
    await press(stdin, KEY.up);
    await waitForFrame(lastFrame, '❯ Quit');
    await press(stdin, KEY.enter);
    await waitFor(() => onChoose.mock.calls.length > 0, () => 'onChoose to be called');
    expect(onChoose.mock.calls).toEqual([[{ kind: 'quit' }]]);
  });
});

describe('Root on the home screen', () => {
  async function discardTheOnlyRun() {
    writeUnfinishedRun();
    const [run] = unfinishedRuns(temp.env);
    if (!run) throw new Error('the journal was not listed');
    expect(existsSync(run.path)).toBe(true);
    const onExit = vi.fn();
    // Credentials in the environment: the run, not the sandbox, is offered first.
    const app = render(<Root session={new Session(parseCli([]), { ...temp.env, AWS_PROFILE: 'dev' }, FLOWS)} initial={{ kind: 'home' }} broker={new PromptBroker()} onExit={onExit} />);
    await waitForFrame(app.lastFrame, 'Unfinished runs (1)');
    await press(app.stdin, KEY.enter);
    await waitForFrame(app.lastFrame, '❯ Resume it');
    await press(app.stdin, KEY.down);
    await waitForFrame(app.lastFrame, '❯ Discard its journal');
    await press(app.stdin, KEY.enter);
    await waitFor(() => !existsSync(run.path), () => `${run.path} to be deleted`);
    return { ...app, run, onExit };
  }

  it('discarding a run deletes its journal; the list no longer has it', async () => {
    const { lastFrame, stdin, onExit } = await discardTheOnlyRun();
    expect(unfinishedRuns(temp.env)).toEqual([]);
    // Whatever menu is showing now, Escape leads back to the refreshed list with the notice.
    await press(stdin, KEY.escape);
    const frame = await waitForFrame(lastFrame, 'Discarded bootstrap · 123456789012 · us-east-1');
    expect(frame).toContain('No unfinished runs.');
    expect(frame).not.toContain('↻');
    expect(onExit).not.toHaveBeenCalled();
  });

  // Regression: the home screen used to keep the resume/discard menu of the run just discarded.
  it('after a discard the home list comes back with the notice, without pressing anything', async () => {
    const { lastFrame } = await discardTheOnlyRun();
    const frame = await waitForFrame(lastFrame, 'Discarded bootstrap', 1_000);
    expect(frame).toContain('slipway · home');
  });
});

describe('the record printed when slipway ends', () => {
  it('holds every flow run from the home screen, not only the last', async () => {
    const quick = quickFlow;
    const onExit = vi.fn<(code: number) => void>();
    const session = new Session(parseCli([]), { ...temp.env, AWS_PROFILE: 'dev' }, [quick('alpha'), quick('beta')]);
    const app = render(<Root session={session} initial={{ kind: 'home' }} broker={new PromptBroker()} onExit={onExit} />);
    await waitForFrame(app.lastFrame, '❯ Flow alpha (slipway alpha)');
    await press(app.stdin, KEY.enter);
    await waitForFrame(app.lastFrame, 'Done in');
    await press(app.stdin, 'h');
    await waitForFrame(app.lastFrame, '❯ Flow alpha (slipway alpha)');
    await press(app.stdin, KEY.down);
    await waitForFrame(app.lastFrame, '❯ Flow beta (slipway beta)');
    await press(app.stdin, KEY.enter);
    await waitForFrame(app.lastFrame, 'Done in');
    await press(app.stdin, 'h');
    await waitForFrame(app.lastFrame, 'slipway · home');
    await press(app.stdin, 'q');
    await waitFor(() => onExit.mock.calls.length > 0, () => 'onExit after q');
    const [code] = onExit.mock.calls[0]!;
    const events = session.record;
    expect(code).toBe(0);
    expect(events.flatMap((e) => (e.type === 'run-started' ? [e.flow] : []))).toEqual(['alpha', 'beta']);
    expect(events.filter((e) => e.type === 'run-finished')).toHaveLength(2);
  });
});

describe('Rehearse in the sandbox', () => {
  const REASON = 'No AWS credentials found on this machine — rehearse first; nothing leaves this machine.';

  it('with credentials: offered after the flows, no reason given', async () => {
    const { lastFrame } = renderHome([]);
    const frame = await waitForFrame(lastFrame, 'slipway · home');
    expect(frame).not.toContain(REASON);
    const items = frame.split('\n').filter((line) => /^ (❯ | {2})\S/.test(line)).map((line) => line.slice(3));
    expect(items.slice(0, 4)).toEqual(['First flow (slipway alpha)', 'Second flow (slipway beta)', 'Rehearse in the sandbox (slipway --sandbox)', 'Quit']);
  });

  it('without credentials: offered first, with the reason; Enter chooses it', async () => {
    writeUnfinishedRun();
    const onChoose = vi.fn<(choice: HomeChoice) => void>();
    const { lastFrame, stdin } = render(<HomeScreen runs={unfinishedRuns(temp.env)} flows={FLOWS} noCredentials onChoose={onChoose} />);
    const frame = await waitForFrame(lastFrame, '❯ Rehearse in the sandbox (slipway --sandbox)');
    expect(frame).toContain(REASON);
    expect(frame).toContain('nothing leaves it');
    expect(frame.indexOf('Rehearse in the sandbox')).toBeLessThan(frame.indexOf('↻ bootstrap'));
    await press(stdin, KEY.enter);
    await waitFor(() => onChoose.mock.calls.length > 0, () => 'onChoose to be called');
    expect(onChoose.mock.calls).toEqual([[{ kind: 'sandbox' }]]);
  });

  it('in the sandbox: the SANDBOX badge, and no entry', async () => {
    const { lastFrame } = render(<HomeScreen runs={[]} flows={FLOWS} sandbox="default" noCredentials onChoose={() => {}} />);
    const frame = await waitForFrame(lastFrame, 'SANDBOX default');
    expect(frame).not.toContain('Rehearse in the sandbox');
    expect(frame).not.toContain(REASON);
  });

  it('Root, no credentials: choosing it restarts the home menu in the sandbox, and the flow started from there rehearses in it', async () => {
    const loaded: Runtime[] = [];
    const flows: FlowEntry[] = FLOWS.map((f) => ({
      ...f,
      load: async (runtime) => {
        loaded.push(runtime);
        throw new Error('stopped here by the test');
      },
    }));
    const app = render(<Root session={new Session(parseCli([]), temp.env, flows)} initial={{ kind: 'home' }} broker={new PromptBroker()} profile="default" region="eu-west-1" onExit={() => {}} />);
    const before = await waitForFrame(app.lastFrame, '❯ Rehearse in the sandbox');
    expect(before).toContain(REASON);
    expect(before).not.toContain('SANDBOX');
    await press(app.stdin, KEY.enter);
    const after = await waitForFrame(app.lastFrame, 'SANDBOX default');
    expect(after).toContain('what you start now runs against a simulated AWS account');
    expect(after).toContain('❯ First flow (slipway alpha)');
    expect(after).not.toContain('Rehearse in the sandbox');
    // The sandbox ignores AWS_REGION: its header says where its calls go.
    expect(after).toContain('region us-east-1');
    await press(app.stdin, KEY.enter);
    await waitFor(() => loaded.length > 0, () => 'the flow to be loaded');
    expect(loaded[0]?.sandbox?.file).toBe(join(temp.env.XDG_STATE_HOME ?? '', 'slipway', 'sandbox', 'default.json'));
    expect(loaded[0]?.env.HOME).toBe(join(temp.env.XDG_STATE_HOME ?? '', 'slipway', 'sandbox', 'default.home'));
    await waitForFrame(app.lastFrame, /SANDBOX default[\s\S]*stopped here by the test/);
  });
});
