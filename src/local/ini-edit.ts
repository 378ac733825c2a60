import { UsageError } from '../engine/errors.js';

/**
 * Edits AWS-style INI text (`~/.aws/config`, `~/.aws/credentials`) line by line. People keep comments,
 * odd spacing and other tools' profiles in these files, so an edit rewrites only the lines it must and
 * every other byte (comments, blank lines, CRLF, a missing final newline, a UTF-8 BOM) stays as it was.
 *
 * How lines are read, chosen so the three readers that matter agree (the JS SDK, which slipway uses;
 * botocore, behind the AWS CLI; `parseIni` in ./ini.ts):
 * - a header is `[name]` (surrounding spaces and a trailing `# comment` allowed); names compare after
 *   trimming and collapsing spaces, so `[profile  acme]` is `[profile acme]`;
 * - a continuation line is indented deeper than the key line above it (blank and comment lines in
 *   between don't break the run). That is botocore's rule for multi-line values and covers the SDK's
 *   nested `s3 =` sub-settings; such lines belong to their key and go wherever the key goes;
 * - any other `key = value` line is a key, even when indented (both the SDK and botocore read it).
 *
 * Duplicates: the SDK and ini.ts merge repeated sections and let later keys win; botocore (AWS CLI)
 * refuses the whole file ("Unable to parse config file") on a repeated section or key. So an edit leaves
 * every key it sets defined exactly once: the first definition in file order is rewritten in place
 * and later ones (in the same or a repeated section) are removed. Every reader that can read the file
 * at all then reads what we wrote, and an old secret never lingers further down. New keys go into the
 * first occurrence, whose header is respelled `[name]` if needed (the SDK reads no other spelling);
 * a definition under a repeat spelled otherwise is moved there too. Repeated sections themselves
 * are left alone — see `countSections` to warn about them.
 */

type Eol = '\r\n' | '\n' | '';
interface Line {
  text: string;
  eol: Eol;
}

type Kind = 'header' | 'key' | 'continuation' | 'blank' | 'comment' | 'other';
interface LineInfo {
  kind: Kind;
  /** Header: the normalised section name. Key: the lowercased key name (keys compare case-insensitively, as in botocore). */
  name?: string;
}

interface Doc {
  bom: string;
  lines: Line[];
  info: LineInfo[];
  /** The line ending most lines use; new lines get it. */
  eol: '\r\n' | '\n';
  finalNewline: boolean;
}

/** A key line and its continuation lines: [start, end). */
interface KeyBlock {
  key: string;
  start: number;
  end: number;
}

/** One `[name]` header and the lines up to the next header: [header, end). */
interface Occurrence {
  header: number;
  end: number;
  blocks: KeyBlock[];
}

export interface UpsertOptions {
  /** Remove the section's keys that are not in `values`, so the section holds exactly `values`. */
  replace?: boolean;
}

// Matches a trimmed line. A trailing comment is allowed because the SDK and botocore both accept it.
const HEADER = /^\[([^\]]*)\]\s*(?:[#;].*)?$/;
const KEY = /^([^=]+?)\s*=\s*(.*)$/;
const VALID_KEY = /^[A-Za-z0-9_.-]+$/;

/** The keys of section `name` as readers see them: repeated sections merged, later keys win, keys lowercased. */
export function readSection(text: string, name: string): Record<string, string> | undefined {
  const doc = parse(text);
  const found = occurrences(doc, normaliseName(name));
  if (found.length === 0) return undefined;
  const values: Record<string, string> = {};
  for (const occurrence of found) {
    for (const block of occurrence.blocks) values[block.key] = valueOf(doc.lines[block.start]!.text);
  }
  return values;
}

/** How many `[name]` headers the text has; more than one makes the AWS CLI refuse the file. */
export function countSections(text: string, name: string): number {
  return occurrences(parse(text), normaliseName(name)).length;
}

/**
 * Sets `values` in section `name`, rewriting only the lines of the keys it sets (and, with `replace`,
 * removing the section's other keys). A missing section is appended at the end after one blank line.
 */
export function upsertSection(text: string, name: string, values: Record<string, string>, options: UpsertOptions = {}): string {
  const section = checkSectionName(name);
  const wanted = checkValues(values);
  const doc = parse(text);
  const found = occurrences(doc, section);
  const first = found[0];
  if (!first) return appendSection(doc, section, wanted);

  const replaced = new Map<number, Line[]>();
  const placed = new Set<string>();
  for (const occurrence of found) {
    // The SDK reads a repeat only when it is spelled exactly `[name]`; a value must not land where it cannot see it.
    const readable = occurrence === first || headerInner(doc, occurrence) === section;
    for (const block of occurrence.blocks) {
      const want = wanted.get(block.key);
      if (want && readable && !placed.has(block.key)) {
        placed.add(block.key);
        replaced.set(block.start, [withValue(doc.lines[block.start]!, want.key, want.value)]);
        removeRange(replaced, block.start + 1, block.end);
      } else if (want || options.replace) {
        removeRange(replaced, block.start, block.end);
      }
    }
  }

  // The SDK only recognises `[profile acme]` spelled exactly so (one space, no padding); make the
  // header of the section we edit readable to it. Indentation and a trailing comment are kept.
  const header = doc.lines[first.header]!;
  if (headerInner(doc, first) !== section) replaced.set(first.header, [{ text: header.text.replace(/\[[^\]]*\]/, `[${section}]`), eol: header.eol }]);

  const missing = [...wanted.entries()].filter(([key]) => !placed.has(key));
  const inserts = new Map<number, Line[]>();
  if (missing.length > 0) {
    // After the last key (and its continuation lines), before trailing blank lines and comments,
    // which usually introduce what follows.
    const at = first.blocks.at(-1)?.end ?? first.header + 1;
    inserts.set(at, missing.map(([, want]) => ({ text: `${want.key} = ${want.value}`, eol: doc.eol })));
  }
  return serialise(doc, replaced, inserts);
}

/**
 * Removes every `[name]` section: its header, keys, and the comments between them. Comments after its
 * last key are kept when another section follows (they usually describe that one); at the end of the
 * file they go too, with the blank lines that separated the section from the one before.
 */
export function removeSection(text: string, name: string): string {
  const doc = parse(text);
  const found = occurrences(doc, normaliseName(name));
  if (found.length === 0) return text;
  const replaced = new Map<number, Line[]>();
  for (const occurrence of found) {
    let end = occurrence.blocks.at(-1)?.end ?? occurrence.header + 1;
    if (occurrence.end === doc.lines.length) {
      end = occurrence.end;
      for (let i = occurrence.header - 1; i >= 0 && doc.info[i]!.kind === 'blank' && !replaced.has(i); i--) replaced.set(i, []);
    } else {
      while (end < occurrence.end && doc.info[end]!.kind === 'blank') end++;
    }
    removeRange(replaced, occurrence.header, end);
  }
  return serialise(doc, replaced, new Map());
}

function parse(text: string): Doc {
  const bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
  const body = text.slice(bom.length);
  const lines: Line[] = [];
  let crlf = 0;
  let lf = 0;
  for (let pos = 0; pos < body.length; ) {
    const nl = body.indexOf('\n', pos);
    if (nl === -1) {
      lines.push({ text: body.slice(pos), eol: '' });
      break;
    }
    // A lone \r is not a line break for any of the readers, so it stays part of the text.
    const isCrlf = nl > pos && body[nl - 1] === '\r';
    if (isCrlf) crlf++;
    else lf++;
    lines.push({ text: body.slice(pos, isCrlf ? nl - 1 : nl), eol: isCrlf ? '\r\n' : '\n' });
    pos = nl + 1;
  }
  const last = lines.at(-1);
  return { bom, lines, info: classify(lines), eol: crlf > lf ? '\r\n' : '\n', finalNewline: !last || last.eol !== '' };
}

function classify(lines: Line[]): LineInfo[] {
  let ownerIndent: number | undefined; // indentation of the key that deeper lines continue
  return lines.map(({ text }) => {
    const trimmed = text.trim();
    const indent = text.length - text.trimStart().length;
    if (trimmed === '') return { kind: 'blank' };
    if (trimmed.startsWith('#') || trimmed.startsWith(';')) return { kind: 'comment' };
    const header = HEADER.exec(trimmed);
    if (header) {
      ownerIndent = undefined;
      return { kind: 'header', name: normaliseName(header[1]!) };
    }
    if (ownerIndent !== undefined && indent > ownerIndent) return { kind: 'continuation' };
    const pair = KEY.exec(trimmed);
    if (pair) {
      ownerIndent = indent;
      return { kind: 'key', name: pair[1]!.toLowerCase() };
    }
    ownerIndent = undefined;
    return { kind: 'other' };
  });
}

function occurrences(doc: Doc, name: string): Occurrence[] {
  const found: Occurrence[] = [];
  let current: Occurrence | undefined;
  doc.info.forEach((info, i) => {
    if (info.kind === 'header') {
      if (current) current.end = i;
      current = info.name === name ? { header: i, end: doc.lines.length, blocks: [] } : undefined;
      if (current) found.push(current);
    } else if (current && info.kind === 'key') {
      current.blocks.push({ key: info.name!, start: i, end: i + 1 });
    } else if (current && info.kind === 'continuation') {
      const block = current.blocks.at(-1);
      if (block) block.end = i + 1;
    }
  });
  return found;
}

function appendSection(doc: Doc, section: string, wanted: Map<string, { key: string; value: string }>): string {
  const added: Line[] = [];
  const last = doc.lines.at(-1);
  if (last && last.text.trim() !== '') added.push({ text: '', eol: doc.eol });
  added.push({ text: `[${section}]`, eol: doc.eol });
  for (const { key, value } of wanted.values()) added.push({ text: `${key} = ${value}`, eol: doc.eol });
  return serialise(doc, new Map(), new Map([[doc.lines.length, added]]));
}

/** Keeps the key line's indentation and its spacing around `=`; drops the old value and any inline comment. */
function withValue(line: Line, key: string, value: string): Line {
  const match = /^(\s*)[^=]*?(\s*)=(\s*)/.exec(line.text);
  const indent = match?.[1] ?? '';
  const before = match?.[2] ?? ' ';
  // `s3 =` followed by nested lines has nothing after `=`; don't glue the new value to it.
  const after = match?.[3] || (before ? ' ' : '');
  return { text: `${indent}${key}${before}=${after}${value}`, eol: line.eol };
}

function headerInner(doc: Doc, occurrence: Occurrence): string | undefined {
  return HEADER.exec(doc.lines[occurrence.header]!.text.trim())?.[1];
}

function valueOf(text: string): string {
  return KEY.exec(text.trim())?.[2] ?? '';
}

function removeRange(replaced: Map<number, Line[]>, start: number, end: number): void {
  for (let i = start; i < end; i++) replaced.set(i, []);
}

function serialise(doc: Doc, replaced: Map<number, Line[]>, inserts: Map<number, Line[]>): string {
  const out: Line[] = [];
  for (let i = 0; i <= doc.lines.length; i++) {
    out.push(...(inserts.get(i) ?? []));
    if (i < doc.lines.length) out.push(...(replaced.get(i) ?? [doc.lines[i]!]));
  }
  // A line that now has another after it needs an ending; the last line keeps the file's habit
  // of ending (or not) with a newline. Without a final newline an empty last line would vanish
  // and leave one after all (the edit removed what followed it), so it goes.
  if (!doc.finalNewline) while (out.length > 1 && out.at(-1)!.text === '') out.pop();
  const fixed = out.map((line, i): Line => {
    if (i < out.length - 1) return line.eol === '' ? { ...line, eol: doc.eol } : line;
    if (!doc.finalNewline) return { ...line, eol: '' };
    return line.eol === '' ? { ...line, eol: doc.eol } : line;
  });
  return doc.bom + fixed.map((line) => line.text + line.eol).join('');
}

function normaliseName(name: string): string {
  return name.trim().replace(/\s+/g, ' ');
}

function checkSectionName(name: string): string {
  if (name === '' || name !== normaliseName(name) || /[[\]\r\n]/.test(name)) {
    throw new UsageError(`"${name}" cannot be used as a section name in an AWS config file.`, {
      why: 'Section names must be non-empty, without brackets or line breaks, and with single spaces only.',
    });
  }
  return name;
}

/** Keyed by lowercased name. Error messages name the key but never show a value: values may be secrets. */
function checkValues(values: Record<string, string>): Map<string, { key: string; value: string }> {
  const wanted = new Map<string, { key: string; value: string }>();
  for (const [key, value] of Object.entries(values)) {
    if (!VALID_KEY.test(key)) {
      throw new UsageError(`"${key}" cannot be used as a setting name in an AWS config file.`, {
        why: 'Setting names use letters, digits, "_", "-" and "." only.',
      });
    }
    if (wanted.has(key.toLowerCase())) {
      throw new UsageError(`The setting "${key}" is given twice (names are not case-sensitive).`);
    }
    if (typeof value !== 'string' || value === '' || value !== value.trim() || /[\r\n]/.test(value) || /(^|\s)[#;]/.test(value)) {
      throw new UsageError(`The value for "${key}" cannot be written to an AWS config file as it is.`, {
        why: 'It must be one non-empty line without leading or trailing spaces, and without " #" or " ;" (the SDK would cut it there as a comment).',
      });
    }
    wanted.set(key.toLowerCase(), { key, value });
  }
  return wanted;
}
