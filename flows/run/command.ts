/**
 * The command of `slipway run`: the words after `--`, kept as a JSON array of strings in the answers
 * (so a journaled run knows exactly what it started). Typed at a prompt, it is split like a shell
 * would split it — quotes and backslashes, nothing else (no variables, no globbing).
 */
export function parseCommand(text: string): string[] | undefined {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    try {
      const value: unknown = JSON.parse(trimmed);
      return Array.isArray(value) && value.length > 0 && value.every((w) => typeof w === 'string') ? (value as string[]) : undefined;
    } catch {
      return undefined;
    }
  }
  const words = splitWords(trimmed);
  return words && words.length > 0 ? words : undefined;
}

export function validateCommand(text: string): string | undefined {
  return parseCommand(text) ? undefined : 'A command to run in the container, e.g. -- ./manage.py migrate (quotes must be closed).';
}

/** The command as one line a person can read and paste: words with spaces or quotes are quoted. */
export function showCommand(words: string[]): string {
  return words.map((w) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(' ');
}

function splitWords(text: string): string[] | undefined {
  const words: string[] = [];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      else word = (word ?? '') + ch;
    } else if (quote === '"') {
      if (ch === '"') quote = undefined;
      else if (ch === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1]!)) word = (word ?? '') + text[++i];
      else word = (word ?? '') + ch;
    } else if (/\s/.test(ch)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      word ??= '';
    } else if (ch === '\\' && i + 1 < text.length) {
      word = (word ?? '') + text[++i];
    } else {
      word = (word ?? '') + ch;
    }
  }
  if (quote) return undefined;
  if (word !== undefined) words.push(word);
  return words;
}
