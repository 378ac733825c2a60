import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import { parseCli } from '../../src/cli/args.js';
import type { FlowEntry } from '../../src/cli/flows.js';
import type { Flow } from '../../src/engine/types.js';
import { Session } from '../../src/session/session.js';
import { Root } from '../../screens/root.js';
import { PromptBroker } from '../../screens/state/prompt-broker.js';
import { KEY, press, type, useTempEnv, waitFor, waitForFrame } from './support.js';

const temp = useTempEnv();

/** A flow with one question, one thing that exists and one that does not (made by apply). */
function shopFlow(made: string[]): Flow {
  return {
    name: 'shop',
    title: 'Open a shop',
    questions: [{ id: 'name', flag: '--name', message: 'Shop name', kind: 'text' }],
    target: async (answers) => ({ app: String(answers.name), region: 'us-east-1' }),
    context: async (base) => base,
    steps: [
      { id: 'street', title: 'The street', probe: async () => ({ street: 'main' }), apply: async () => ({ street: 'main' }) },
      {
        id: 'door',
        title: 'The door',
        plan: (c) => `build a door for ${String(c.answers.name)}`,
        probe: async () => (made.includes('door') ? { door: 'open' } : undefined),
        apply: async () => {
          made.push('door');
          return { door: 'open' };
        },
      },
    ],
  };
}

describe('the wizard’s plan: `p` on a flow of the home menu', () => {
  it('asks the questions, shows what a run would do without doing it; Enter runs it as planned, not asking again', async () => {
    const made: string[] = [];
    const flows: FlowEntry[] = [{ name: 'shop', title: 'Open a shop', label: 'Open a shop', description: 'a test flow', load: async () => shopFlow(made) }];
    const onExit = vi.fn();
    const session = new Session(parseCli([]), { ...temp.env, AWS_PROFILE: 'dev' }, flows);
    const app = render(<Root session={session} initial={{ kind: 'home' }} broker={new PromptBroker()} onExit={onExit} />);
    const home = await waitForFrame(app.lastFrame, '❯ Open a shop (slipway shop)');
    expect(home).toContain('p plan');
    await press(app.stdin, 'p');
    await waitForFrame(app.lastFrame, 'Shop name:');
    await type(app.stdin, 'corner');
    await press(app.stdin, KEY.enter);
    const plan = await waitForFrame(app.lastFrame, /1 to create, 1 unchanged\./);
    expect(plan).toContain('slipway · Plan: Open a shop');
    expect(plan).toContain('= The street (unchanged)');
    expect(plan).toContain('+ The door: build a door for corner');
    expect(plan).toContain('enter run it as planned');
    expect(made).toEqual([]); // a plan makes nothing
    await press(app.stdin, KEY.enter);
    const done = await waitForFrame(app.lastFrame, /Done in/);
    expect(done).not.toContain('Shop name:');
    expect(made).toEqual(['door']);
    const started = session.record.find((e) => e.type === 'run-started');
    expect(started?.type === 'run-started' && started.target.app).toBe('corner');
    await press(app.stdin, 'q');
    await waitFor(() => onExit.mock.calls.length > 0, () => 'onExit after q');
  });
});
