import { describe, expect, it } from 'vitest';
import { visibleSteps } from '../../screens/layout/flow-layout.js';
import type { StepView } from '../../screens/state/run-view.js';

const steps = (done: number, total: number, running = true): StepView[] =>
  Array.from({ length: total }, (_, i) => ({ id: `s${i}`, title: `Step ${i + 1}`, status: i < done ? 'done' : i === done && running ? 'running' : 'pending' }));

describe('visibleSteps: a step list folded to the rows it has', () => {
  it('all of them when they fit', () => {
    expect(visibleSteps(steps(3, 5), 5)).toMatchObject({ before: 0, after: 0 });
  });

  it('the step being worked on stays in view, with the two after it; the finished ones fold above', () => {
    const { before, shown, after } = visibleSteps(steps(12, 17), 8);
    expect(shown.map((s) => s.title)).toContain('Step 13');
    expect(shown.at(-1)?.title).toBe('Step 15');
    expect(after).toBe(2);
    expect(before + shown.length + after).toBe(17);
    // The fold lines count as rows: never more than were given.
    expect((before > 0 ? 1 : 0) + shown.length + (after > 0 ? 1 : 0)).toBeLessThanOrEqual(8);
  });

  it('finished: the last steps, the others counted as done', () => {
    const { before, shown, after } = visibleSteps(steps(17, 17, false), 6);
    expect(after).toBe(0);
    expect(shown.at(-1)?.title).toBe('Step 17');
    expect(before + shown.length).toBe(17);
    expect(1 + shown.length).toBeLessThanOrEqual(6);
  });

  it('at the start of a long flow: no fold above, the rest counted below', () => {
    const { before, shown, after } = visibleSteps(steps(0, 17), 6);
    expect(before).toBe(0);
    expect(shown[0]?.title).toBe('Step 1');
    expect(shown.length + 1).toBeLessThanOrEqual(6);
    expect(after).toBe(17 - shown.length);
  });

  it('fewer than three rows: the step that matters alone, no fold lines that would not fit', () => {
    const { before, shown, after } = visibleSteps(steps(5, 17), 2);
    expect(shown.map((s) => s.title)).toEqual(['Step 6']);
    expect(before + after).toBe(0);
  });
});
