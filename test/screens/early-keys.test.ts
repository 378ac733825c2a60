import { describe, expect, it } from 'vitest';
import { homeKey, splitKeys } from '../../screens/early-keys.js';

describe('keys read on the first paint, before ink is loaded', () => {
  it('splits a burst into keys: arrows (CSI and SS3) whole, Enter, letters, Ctrl-C', () => {
    expect(splitKeys('\u001B[B\u001B[B\r')).toEqual(['\u001B[B', '\u001B[B', '\r']);
    expect(splitKeys('\u001BOA\u001BOBq')).toEqual(['\u001BOA', '\u001BOB', 'q']);
    expect(splitKeys('jj\r\u0003')).toEqual(['j', 'j', '\r', '\u0003']);
    // A modified arrow (ESC [ 1 ; 5 B) is one key; a lone ESC is one key.
    expect(splitKeys('\u001B[1;5B\u001B')).toEqual(['\u001B[1;5B', '\u001B']);
    // Text after Enter stays whole characters (it is handed to ink as typed).
    expect(splitKeys('\rdé✓')).toEqual(['\r', 'd', 'é', '✓']);
  });

  it('reads them as the home menu does: ↑/k, ↓/j, Enter, q and Ctrl-C; anything else is nothing', () => {
    expect(splitKeys('\u001B[A\u001BOAk').map(homeKey)).toEqual(['up', 'up', 'up']);
    expect(splitKeys('\u001B[B\u001BOBj').map(homeKey)).toEqual(['down', 'down', 'down']);
    expect(['\r', '\n', 'q', '\u0003', 'x', '\u001B', '\u001B[1;5B'].map(homeKey)).toEqual(['choose', 'choose', 'quit', 'quit', 'other', 'other', 'other']);
  });
});
