import { describe, expect, it } from 'vitest';
import { describeInputChanges, fingerprintOf, recordInputs } from '../../src/engine/fingerprint.js';

describe('input fingerprints', () => {
  it('the same facts in any key order give the same fingerprint; any change gives another', () => {
    const a = recordInputs({ version: '1a2b3c4', environment: { count: 1, size: '256/512' } });
    const b = recordInputs({ environment: { size: '256/512', count: 1 }, version: '1a2b3c4' });
    expect(fingerprintOf(a)).toBe(fingerprintOf(b));
    expect(fingerprintOf(recordInputs({ version: '1a2b3c4', environment: { count: 2, size: '256/512' } }))).not.toBe(fingerprintOf(a));
  });

  it('says what changed in a line that fits: short values as they are, ARNs by resource, digests by their start, long values as "changed"', () => {
    const digest = (c: string) => `sha256:${c.repeat(64)}`;
    const before = recordInputs({ published: digest('a'), taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/todo-dev:5', environment: { file: 'x'.repeat(100) }, kept: 'same' });
    const now = recordInputs({ published: digest('b'), taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/todo-dev:6', environment: { file: 'y'.repeat(100) }, kept: 'same', added: 'new' });
    expect(describeInputChanges(before, now)).toEqual([
      'added: (none) → new',
      'environment changed',
      `published: sha256:${'a'.repeat(12)}… → sha256:${'b'.repeat(12)}…`,
      'taskDefinition: todo-dev:5 → todo-dev:6',
    ]);
    expect(describeInputChanges(undefined, now)).toEqual(['it was recorded by an older slipway, without its inputs']);
  });
});
