/**
 * Splits what one read of a raw-mode terminal returns into keys. A burst (Down then Enter sent at
 * once by tmux or a fast typist) is several keys; an escape sequence (an arrow: ESC [ B, or ESC O B
 * in application mode) is one. Small and dependency-free: it runs before ink is loaded.
 */
export function splitKeys(input: string): string[] {
  const keys: string[] = [];
  let i = 0;
  while (i < input.length) {
    const end = input[i] === '\u001B' ? escapeSequenceEnd(input, i) : i + (input.codePointAt(i)! > 0xffff ? 2 : 1);
    keys.push(input.slice(i, end));
    i = end;
  }
  return keys;
}

/** Where the escape sequence starting at `start` ends: CSI (ESC [ … final byte), SS3 (ESC O x), or a lone ESC. */
function escapeSequenceEnd(input: string, start: number): number {
  const kind = input[start + 1];
  if (kind === 'O' && start + 2 < input.length) return start + 3;
  if (kind !== '[') return start + 1;
  for (let i = start + 2; i < input.length; i++) {
    const code = input.charCodeAt(i);
    if (code >= 0x40 && code <= 0x7e && !(code === 0x5b && i === start + 2)) return i + 1;
  }
  return input.length;
}

export type HomeKey = 'up' | 'down' | 'choose' | 'quit' | 'other';

/** What a key means on the home menu — the keys home-screen.tsx and its select list read. */
export function homeKey(key: string): HomeKey {
  if (key === '\u001B[A' || key === '\u001BOA' || key === 'k') return 'up';
  if (key === '\u001B[B' || key === '\u001BOB' || key === 'j') return 'down';
  if (key === '\r' || key === '\n') return 'choose';
  if (key === 'q' || key === '\u0003') return 'quit';
  return 'other';
}
