import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import { parseCli } from '../../src/cli/args.js';
import type { FlowEntry } from '../../src/cli/flows.js';
import { Session } from '../../src/session/session.js';
import { rolloutFlow } from '../../flows/rollout/index.js';
import { FlowScreen } from '../../screens/flow-screen.js';
import { PromptBroker } from '../../screens/state/prompt-broker.js';
import { publishImage, useRolloutWorlds, type RolloutWorld } from '../flows/rollout/harness.js';
import { plain, waitForFrame } from './support.js';

const world = useRolloutWorlds();

/** The real rollout flow in the wizard's flow screen, against the sandbox. */
function renderRollout(w: RolloutWorld, ...flags: string[]) {
  const flows: FlowEntry[] = [{ name: 'rollout', label: 'Roll out', description: 'test', load: async () => rolloutFlow(w.runtime) }];
  const onExit = vi.fn<(code: number) => void>();
  const args = parseCli(['rollout', '--env', 'dev', '--region', 'us-east-1', '--app', 'todo', '--yes', ...flags]);
  const session = new Session(args, w.env, flows);
  const app = render(<FlowScreen session={session} request={{ flow: 'rollout' }} broker={new PromptBroker()} onExit={onExit} onHome={vi.fn()} />);
  return { ...app, onExit, session };
}

describe('the live deployment view', () => {
  it('shows the deployment’s state, counts, a tasks bar and the service’s events as they happen, then the URL', async () => {
    const w = await world();
    // Slow enough to see the deployment in progress: one second of sandbox time per task phase.
    w.sandbox.update((s) => {
      s.ecs = { ...(s.ecs ?? {}), taskPhaseSeconds: 1 };
    });
    const { lastFrame, frames, onExit } = renderRollout(w);
    const live = await waitForFrame(lastFrame, /IN_PROGRESS · running 0\/1 · pending 1 · failed 0/, 20_000);
    expect(live).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Deployment/); // still running
    expect(live).toMatch(/tasks running\s+░+ 0\/1/);
    expect(live).toMatch(/\(service todo-dev\) has started 1 tasks/);
    const done = await waitForFrame(lastFrame, /Running at http:\/\/todo-dev-/, 30_000);
    expect(done).toMatch(/✔ Deployment/);
    expect(frames.map(plain).some((f) => /running 1\/1/.test(f))).toBe(true);
    expect(onExit).not.toHaveBeenCalled(); // the person leaves when they have read it
  }, 60_000);

  it('a second rollout’s watch shows only its own deployment’s events, never the last words of the one before', async () => {
    const w = await world();
    const first = renderRollout(w);
    await waitForFrame(first.lastFrame, /Running at http:\/\/todo-dev-/, 30_000);
    first.unmount();
    await publishImage(w.sandbox, w.runtime.cwd, 'v2');
    const second = renderRollout(w);
    await waitForFrame(second.lastFrame, /Running at http:\/\/todo-dev-/, 30_000);
    // The first deployment ended with "has reached a steady state"; the second's watch opens with its own start.
    const watchLog = second.session.record.flatMap((e) => (e.type === 'step-log' && e.stepId === 'watch' ? [e.line] : []));
    expect(watchLog[0]).toMatch(/has started 1 tasks/);
  }, 60_000);

  it('a failed deployment shows each stopped task, then the diagnosis with the log lines and the fix', async () => {
    const w = await world({ scenario: 'crash-loop' });
    const { lastFrame } = renderRollout(w);
    const failed = await waitForFrame(lastFrame, /The deployment failed: the app exited with code 1/, 30_000);
    expect(failed).toMatch(/✖ Deployment/);
    expect(failed).toMatch(/ECONNREFUSED 127\.0\.0\.1:5432/);
    // Read as text: the panel wraps its lines wherever the width puts them.
    expect(failed.replace(/[│╭╮╰╯─]/g, ' ').replace(/\s+/g, ' ')).toMatch(/slipway rollout --env dev/);
  }, 60_000);
});
