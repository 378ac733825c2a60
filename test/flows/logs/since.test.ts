import { describe, expect, it } from 'vitest';
import { parseSince, validateSince } from '../../../flows/logs/since.js';

const NOW = Date.parse('2026-03-01T12:00:00Z');

describe('--since', () => {
  it.each([
    ['30s', NOW - 30_000],
    ['10m', NOW - 600_000],
    ['2h', NOW - 7_200_000],
    ['1d', NOW - 86_400_000],
    ['1w', NOW - 604_800_000],
    ['0m', NOW],
    ['2026-03-01T11:30:00Z', NOW - 1_800_000],
    ['2026-03-01T11:30:00+01:00', NOW - 5_400_000],
    ['2026-03-01T11:30', NOW - 1_800_000], // no zone: UTC
    ['2026-03-01 11:30:00', NOW - 1_800_000],
    ['2026-03-01', Date.parse('2026-03-01T00:00:00Z')],
  ])('%s is %s', (text, at) => {
    expect(parseSince(text, NOW)).toBe(at);
  });

  it.each(['10x', '10', 'm', '-5m', '1.5h', 'yesterday', '2026-13-45', '99999999999d', ''])('%j is refused with what it takes', (text) => {
    expect(parseSince(text, NOW)).toBeUndefined();
    expect(validateSince(text)).toMatch(/expected how long ago \(30s, 10m, 2h, 1d, 1w, or a time/);
  });
});
