import { describe, expect, it } from 'vitest';
import { formatEvent } from '../../../flows/logs/print.js';
import { filterPatternOf, logPlace, streamTask } from '../../../flows/logs/source.js';
import { matchesPattern } from '../../../src/sandbox/logs/filter-pattern.js';

const event = (message: string, stream = 'ecs/app/3f2a9c1e0b1c4d5e8f90a1b2c3d4e5f6') => ({ eventId: '1', timestamp: Date.parse('2026-03-01T12:00:00.250Z'), message, stream });

describe('where slipway logs reads, and how it prints', () => {
  it('the group and stream prefix a rollout set up: a task narrows the prefix where slipway named the container', () => {
    expect(logPlace('todo', 'dev', 'FARGATE')).toEqual({ logGroupName: '/slipway/todo/dev', logStreamNamePrefix: 'ecs/', task: '' });
    expect(logPlace('todo', 'dev', 'EC2', '3f2a')).toEqual({ logGroupName: '/slipway/todo/dev', logStreamNamePrefix: 'ecs/app/3f2a', task: '3f2a' });
    // ECS Express names its container itself: the task is told by the stream's last part.
    expect(logPlace('todo', 'prod', 'EXPRESS', '3f2a')).toEqual({ logGroupName: '/slipway/todo/prod', logStreamNamePrefix: 'ecs/', task: '3f2a' });
    expect(streamTask('ecs/Main/abc123')).toBe('abc123');
  });

  it('--filter is one quoted term: found exactly, punctuation and pattern syntax included', () => {
    expect(filterPatternOf('')).toBeUndefined();
    expect(filterPatternOf('GET /health 500')).toBe('"GET /health 500"');
    const tricky = 'said "hi" -x ?y C:\\temp';
    const pattern = filterPatternOf(tricky)!;
    expect(pattern).toBe('"said \\"hi\\" -x ?y C:\\\\temp"');
    expect(matchesPattern(pattern, `>> ${tricky} <<`)).toBe(true);
    expect(matchesPattern(pattern, 'said "hi" -x')).toBe(false);
  });

  it('a line: the short task id, then the message; each line of a multi-line message keeps the prefix', () => {
    expect(formatEvent(event('Listening on 0.0.0.0:8080\n'), { json: false, color: false })).toBe('3f2a9c1e Listening on 0.0.0.0:8080');
    expect(formatEvent(event('Error: boom\n    at main (app.js:3)'), { json: false, color: false })).toBe('3f2a9c1e Error: boom\n3f2a9c1e     at main (app.js:3)');
    expect(formatEvent(event('x', 'ecs/app/abc'), { json: false, color: false })).toBe('abc      x');
    expect(formatEvent(event('x'), { json: false, color: true })).toMatch(/^\u001B\[3\dm3f2a9c1e\u001B\[39m x$/);
  });

  it('--json: one object, its timestamp in ISO 8601 and the whole task id', () => {
    expect(JSON.parse(formatEvent(event('a\nb'), { json: true, color: true }))).toEqual({
      timestamp: '2026-03-01T12:00:00.250Z',
      task: '3f2a9c1e0b1c4d5e8f90a1b2c3d4e5f6',
      message: 'a\nb',
      stream: 'ecs/app/3f2a9c1e0b1c4d5e8f90a1b2c3d4e5f6',
    });
  });
});
