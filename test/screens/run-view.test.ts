import { describe, expect, it } from 'vitest';
import type { RunEvent, RunResult } from '../../src/engine/events.js';
import type { Target } from '../../src/engine/types.js';
import { initialRunView, MAX_LOG_LINES, reduceRunView, type RunView } from '../../screens/state/run-view.js';

const STEPS = [
  { id: 'role', title: 'Admin role' },
  { id: 'group', title: 'Administrators group' },
  { id: 'user', title: 'IAM user' },
];

function started(target: Target = { region: 'us-east-1' }): RunEvent {
  return { type: 'run-started', runId: 'r1', flow: 'bootstrap', title: 'Bootstrap', target, resumed: false, journalPath: '/tmp/j.json', steps: STEPS, at: 1 };
}

function fold(events: RunEvent[], view: RunView = initialRunView('bootstrap')): RunView {
  return events.reduce(reduceRunView, view);
}

const statuses = (view: RunView) => view.steps.map((s) => s.status);

describe('run-view reducer', () => {
  it('starts with every step pending and the flow title', () => {
    const view = fold([started()]);
    expect(view.title).toBe('Bootstrap');
    expect(view.steps.map((s) => s.title)).toEqual(['Admin role', 'Administrators group', 'IAM user']);
    expect(statuses(view)).toEqual(['pending', 'pending', 'pending']);
    expect(view.target).toEqual({ region: 'us-east-1' });
    expect(view.account).toBeUndefined();
  });

  it('moves steps through running, done, failed and cancelled, stamping times and how', () => {
    let view = fold([started(), { type: 'step-started', stepId: 'role', at: 10 }]);
    expect(statuses(view)).toEqual(['running', 'pending', 'pending']);
    expect(view.steps[0]?.startedAt).toBe(10);

    view = fold([{ type: 'step-done', stepId: 'role', how: 'found', outputs: { roleName: 'Admin', arn: 'arn:aws:iam::1:role/Admin', tags: { a: 1 } }, at: 25 }], view);
    expect(statuses(view)).toEqual(['done', 'pending', 'pending']);
    expect(view.steps[0]).toMatchObject({ how: 'found', endedAt: 25, detail: 'Admin · arn:aws:iam::1:role/Admin' });

    const error = { message: 'Access denied', why: 'No iam:CreateGroup', fix: 'Use an admin profile.' };
    view = fold(
      [
        { type: 'step-started', stepId: 'group', at: 30 },
        { type: 'step-failed', stepId: 'group', error, at: 40 },
        { type: 'step-started', stepId: 'user', at: 50 },
        { type: 'step-cancelled', stepId: 'user', at: 60 },
      ],
      view,
    );
    expect(statuses(view)).toEqual(['done', 'failed', 'cancelled']);
    expect(view.steps[1]).toMatchObject({ error, endedAt: 40 });
    expect(view.steps[2]).toMatchObject({ startedAt: 50, endedAt: 60 });
  });

  it('keeps only the last MAX_LOG_LINES log lines', () => {
    const lines: RunEvent[] = Array.from({ length: MAX_LOG_LINES + 50 }, (_, i) => ({ type: 'step-log', stepId: 'role', line: `line ${i}`, level: 'info', at: 100 + i }));
    const view = fold([started(), { type: 'step-started', stepId: 'role', at: 10 }, ...lines]);
    expect(view.log).toHaveLength(MAX_LOG_LINES);
    expect(view.log[0]?.text).toBe('line 50');
    expect(view.log.at(-1)?.text).toBe(`line ${MAX_LOG_LINES + 49}`);
  });

  it('replaces a progress bar by its label, keeps its place, and clears bars when the step ends', () => {
    let view = fold([
      started(),
      { type: 'step-started', stepId: 'role', at: 10 },
      { type: 'step-progress', stepId: 'role', label: 'layer a', current: 1, total: 10, unit: 'bytes', at: 11 },
      { type: 'step-progress', stepId: 'role', label: 'layer b', current: 2, total: 10, unit: 'bytes', at: 12 },
      { type: 'step-progress', stepId: 'role', label: 'layer a', current: 5, total: 10, unit: 'bytes', at: 13 },
    ]);
    expect(view.progress).toEqual([
      { label: 'layer a', current: 5, total: 10, unit: 'bytes' },
      { label: 'layer b', current: 2, total: 10, unit: 'bytes' },
    ]);
    view = fold([{ type: 'step-done', stepId: 'role', how: 'applied', outputs: {}, at: 20 }], view);
    expect(view.progress).toEqual([]);
  });

  it('picks the account up from a step’s outputs, and from the target when it has one', () => {
    let view = fold([started(), { type: 'step-started', stepId: 'role', at: 10 }, { type: 'step-done', stepId: 'role', how: 'checked', outputs: { account: '123456789012' }, at: 11 }]);
    expect(view.account).toBe('123456789012');
    // A later step without an account does not forget it.
    view = fold([{ type: 'step-started', stepId: 'group', at: 12 }, { type: 'step-done', stepId: 'group', how: 'applied', outputs: { name: 'Administrators' }, at: 13 }], view);
    expect(view.account).toBe('123456789012');

    expect(fold([started({ account: '999988887777', region: 'eu-west-1' })]).account).toBe('999988887777');
  });

  it('keeps a step’s lines after step-done; the next step keeps only the warnings and errors', () => {
    const done = [
      started(),
      { type: 'step-started', stepId: 'role', at: 10 },
      { type: 'step-log', stepId: 'role', line: 'calling iam', level: 'info', at: 11 },
      { type: 'step-log', stepId: 'role', line: 'these are root credentials', level: 'warn', at: 12 },
      { type: 'step-log', stepId: 'role', line: 'policy too wide', level: 'error', at: 13 },
      { type: 'step-done', stepId: 'role', how: 'applied', outputs: {}, at: 14 },
    ] as const;
    expect(fold([...done]).log.map((l) => l.text)).toEqual(['calling iam', 'these are root credentials', 'policy too wide']);
    expect(fold([...done, { type: 'step-started', stepId: 'group', at: 15 }]).log).toEqual([
      { text: 'these are root credentials', level: 'warn' },
      { text: 'policy too wide', level: 'error' },
    ]);
  });

  it('a step line says its outputs that read alone: no stage index, count or epoch time', () => {
    const done = (outputs: Record<string, unknown>) =>
      fold([started(), { type: 'step-started', stepId: 'role', at: 10 }, { type: 'step-done', stepId: 'role', how: 'applied', outputs, at: 14 }]).steps.find((s) => s.id === 'role')?.detail;
    expect(done({ dockerfile: 'Dockerfile', testTarget: '', releaseTarget: '0', stages: 2 })).toBe('Dockerfile');
    expect(done({ roleArn: 'arn:aws:iam::123456789012:role/x', createdAt: 1796649075045 })).toBe('arn:aws:iam::123456789012:role/x');
    expect(done({ account: '123456789012', arn: 'arn:aws:iam::123456789012:user/a' })).toBe('123456789012 · arn:aws:iam::123456789012:user/a');
  });

  it('stores the result when the run finishes', () => {
    const result: RunResult = {
      flow: 'bootstrap',
      runId: 'r1',
      status: 'done',
      kind: 'changes',
      target: {},
      journalPath: '/tmp/j.json',
      resumed: false,
      outputs: {},
      failures: [],
      summary: [],
      durationMs: 5,
    };
    const view = fold([started(), { type: 'run-finished', result, at: 99 }]);
    expect(view.result).toBe(result);
  });
});
