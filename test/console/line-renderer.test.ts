import { describe, expect, it } from 'vitest';
import { createLineRenderer } from '../../src/console/line-renderer.js';
import type { RunEvent, RunResult } from '../../src/engine/events.js';

const result = (over: Partial<RunResult>): RunResult => ({
  flow: 'demo', runId: 'r', status: 'done', kind: 'changes', target: { region: 'us-east-1' }, journalPath: '/j', resumed: false, outputs: {}, failures: [], summary: [], durationMs: 1234, ...over,
});

describe('line renderer', () => {
  it('one line per event, with how a step got done, why and fix for failures', () => {
    const lines: string[] = [];
    const render = createLineRenderer((l) => lines.push(l), { ascii: true });
    const events: RunEvent[] = [
      { type: 'run-started', runId: 'r', flow: 'demo', title: 'Demo', target: { region: 'us-east-1', app: 'todo' }, resumed: true, journalPath: '/j', steps: [{ id: 'a', title: 'Role' }, { id: 'b', title: 'Group' }], at: 0 },
      { type: 'step-started', stepId: 'a', at: 0 },
      { type: 'step-log', stepId: 'a', line: 'waiting for IAM', level: 'warn', at: 100 },
      { type: 'step-done', stepId: 'a', how: 'confirmed', outputs: { arn: 'arn:aws:iam::1:role/admin', nested: { x: 1 } }, at: 1500 },
      { type: 'step-started', stepId: 'b', at: 1500 },
      { type: 'step-progress', stepId: 'b', label: 'layer 1', current: 10, total: 100, unit: 'bytes', at: 1600 },
      { type: 'step-progress', stepId: 'b', label: 'layer 1', current: 20, total: 100, unit: 'bytes', at: 1700 },
      { type: 'step-progress', stepId: 'b', label: 'layer 1', current: 100, total: 100, unit: 'bytes', at: 1800 },
      { type: 'step-failed', stepId: 'b', error: { message: 'denied', why: 'no permission', fix: 'use the admin profile' }, at: 2000 },
      { type: 'run-finished', result: result({ status: 'failed', failures: [{ stepId: 'b', title: 'Group', error: { message: 'denied' } }] }), at: 2000 },
    ];
    events.forEach(render);
    expect(lines).toEqual([
      'Demo · todo · us-east-1 · resuming an unfinished run',
      '    warn: waiting for IAM',
      '  + Role — already done, confirmed · arn arn:aws:iam::1:role/admin (1.5 s)',
      '    layer 1 [##------------------] 10 B / 100 B',
      '    layer 1 [####################] 100 B / 100 B',
      '  x Group — denied (0.5 s)',
      '      why: no permission',
      '      fix: use the admin profile',
      'A step failed. Fix what is named above and run again: finished steps are checked and skipped.',
    ]);
  });

  it('a progress that does not move is not printed again, however often it is reported (a watch polling)', () => {
    const lines: string[] = [];
    const render = createLineRenderer((l) => lines.push(l), { ascii: true });
    render({ type: 'step-started', stepId: 'w', at: 0 });
    for (let at = 0; at < 60_000; at += 10_000) render({ type: 'step-progress', stepId: 'w', label: 'tasks running', current: 0, total: 2, unit: 'items', at });
    render({ type: 'step-progress', stepId: 'w', label: 'tasks running', current: 2, total: 2, unit: 'items', at: 61_000 });
    render({ type: 'step-progress', stepId: 'w', label: 'tasks running', current: 2, total: 2, unit: 'items', at: 71_000 });
    expect(lines).toEqual(['    tasks running [--------------------] 0/2', '    tasks running [####################] 2/2']);
  });

  it('says how to carry on after a cancel', () => {
    const lines: string[] = [];
    createLineRenderer((l) => lines.push(l))({ type: 'run-finished', result: result({ status: 'cancelled' }), at: 0 });
    expect(lines).toEqual(['Cancelled. The journal is kept: `slipway resume` carries on from here.']);
  });
});
