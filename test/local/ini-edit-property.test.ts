import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSharedConfigFiles } from '@smithy/core/config';
import { afterAll, describe, expect, it } from 'vitest';
import { removeSection, upsertSection } from '../../src/local/ini-edit.js';
import { parseIni } from '../../src/local/ini.js';

/**
 * Property test: random AWS-style files (sections, repeats, comments, odd spacing, nested `s3 =`
 * blocks, CRLF/LF/mixed, BOM, final newline or not, non-ASCII). After upsertSection every other
 * section is byte-identical and the edited one reads as wanted — by the JS SDK's own loader and by
 * ./ini.ts; after removeSection nobody sees the section and the rest is unchanged.
 * Seeded, so a failure names the case to replay.
 */

// INI_PROPERTY_SEED / INI_PROPERTY_FILES explore other files; a failure prints its seed and case number.
const SEED = Number(process.env.INI_PROPERTY_SEED ?? 0x5eed1e55);
const FILES = Number(process.env.INI_PROPERTY_FILES ?? 1500);

const scratch = mkdtempSync(join(tmpdir(), 'slipway-ini-prop-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

type Random = () => number;

/** mulberry32: tiny, seedable, good enough to pick shapes. */
function seeded(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T,>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const chance = (random: Random, p: number) => random() < p;

const NAMES = ['default', 'profile acme', 'profile dev', 'acme', 'profile ünï-cødé', 'sso-session corp', 'profile prod.eu'] as const;
const KEYS = ['region', 'output', 'role_arn', 'source_profile', 'mfa_serial', 'aws_access_key_id', 'aws_secret_access_key', 'REGION', 'Output', 'cli_pager'] as const;
const VALUES = ['us-east-1', 'json', 'arn:aws:iam::123456789012:role/admin', 'AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', 'café ☕', 'a=b=c', '日本語', 'x # inline comment'] as const;
const WANTED_VALUES = ['eu-central-1', 'text', 'arn:aws:iam::210987654321:role/admin', 'ünïcødé-✓', 'k=v', 'AKIA0000000000000000', 'zzz/+=='] as const;
const SEPARATORS = [' = ', '=', '   =  ', ' =', '= ', '\t=\t'] as const;
const COMMENTS = ['# comment', '; semicolon comment', '   # indented comment', '#tight', '# ünïcødé ✓ コメント', '# region = commented-out'] as const;
const BLANKS = ['', '   ', '\t'] as const;

interface Case {
  text: string;
  target: string;
  values: Record<string, string>;
  replace: boolean;
  /** ./ini.ts ignores indented keys (the SDK and botocore read them), so it is only asked when the target has none. */
  targetIndented: boolean;
  features: Set<string>;
}

function headerFor(random: Random, name: string): string {
  return pick(random, [`[${name}]`, `[${name}]`, `[ ${name} ]`, `  [${name}]`, `[${name.replace(' ', '  ')}]`, `[${name}]   `, `\t[${name}]`]);
}

function sectionBody(random: Random, indent: string, features: Set<string>): string[] {
  const lines: string[] = [];
  const used: string[] = [];
  const count = Math.floor(random() * 7);
  for (let i = 0; i < count; i++) {
    const roll = random();
    if (roll < 0.45) {
      const key = used.length > 0 && chance(random, 0.15) ? pick(random, used) : pick(random, KEYS);
      if (used.includes(key)) features.add('repeated key');
      used.push(key);
      lines.push(`${indent}${key}${pick(random, SEPARATORS)}${pick(random, VALUES)}`);
    } else if (roll < 0.6 && indent === '') {
      // Nested settings are written unindented with deeper sub-lines, as the CLI does.
      features.add('nested block');
      lines.push(pick(random, ['s3 =', 's3=', 'sts =']));
      const subs = 1 + Math.floor(random() * 3);
      for (let j = 0; j < subs; j++) {
        if (j > 0 && chance(random, 0.2)) lines.push(pick(random, ['  # sub comment', '']));
        lines.push(`${pick(random, ['  ', '    ', '\t'])}${pick(random, ['max_concurrent_requests', 'multipart_threshold', 'use_accelerate_endpoint'])} = ${pick(random, ['10', '64MB', 'true'])}`);
      }
    } else if (roll < 0.8) {
      lines.push(pick(random, COMMENTS));
    } else if (roll < 0.95) {
      lines.push(pick(random, BLANKS));
    } else {
      features.add('junk line');
      lines.push(pick(random, ['just some text', '= no key']));
    }
  }
  return lines;
}

function generate(random: Random): Case {
  const features = new Set<string>();
  const target = pick(random, NAMES);
  const targetIndented = chance(random, 0.15);
  const lines: string[] = [];
  if (chance(random, 0.4)) lines.push(...[pick(random, COMMENTS), pick(random, BLANKS), 'orphan_key = before any section'].slice(0, 1 + Math.floor(random() * 3)));
  const sections = Math.floor(random() * 7);
  const seen = new Set<string>();
  for (let s = 0; s < sections; s++) {
    const name = chance(random, 0.5) ? target : pick(random, NAMES);
    if (seen.has(name)) features.add(name === target ? 'repeated target' : 'repeated section');
    seen.add(name);
    const indent = name === target ? (targetIndented ? '  ' : '') : pick(random, ['', '', '', '  ']);
    lines.push(headerFor(random, name), ...sectionBody(random, indent, features));
  }
  if (!seen.has(target)) features.add('target missing');
  else if (targetIndented) features.add('indented target');

  const style = pick(random, ['lf', 'crlf', 'mixed'] as const);
  features.add(style);
  const eol = () => (style === 'lf' ? '\n' : style === 'crlf' ? '\r\n' : pick(random, ['\n', '\r\n']));
  let text = lines.map((line) => line + eol()).join('');
  if (text && chance(random, 0.4)) {
    text = text.replace(/\r?\n$/, '');
    features.add('no final newline');
  }
  if (chance(random, 0.1)) {
    text = `\uFEFF${text}`;
    features.add('bom');
  }
  if (/[^\x00-\x7f]/.test(text.replace(/^\uFEFF/, ''))) features.add('non-ascii');

  const values: Record<string, string> = {};
  const wantedKeys = new Set<string>();
  for (let i = 0, n = 1 + Math.floor(random() * 4); i < n; i++) {
    const key = pick(random, ['region', 'output', 'role_arn', 'mfa_serial', 'aws_secret_access_key', 'Output', 's3', 'new_key']);
    if (wantedKeys.has(key.toLowerCase())) continue;
    wantedKeys.add(key.toLowerCase());
    values[key] = pick(random, WANTED_VALUES);
  }
  return { text, target, values, replace: chance(random, 0.4), targetIndented, features };
}

interface Chunk {
  /** Normalised header name; null for the lines before the first header. */
  name: string | null;
  text: string;
}

/** An independent splitter (not the editor's): a header line starts a chunk. */
function chunks(text: string): Chunk[] {
  const body = text.replace(/^\uFEFF/, '');
  const lines = body.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const out: Chunk[] = [{ name: null, text: '' }];
  for (const line of lines) {
    const header = /^\[([^\]]*)\]$/.exec(line.trim());
    if (header) out.push({ name: header[1]!.trim().replace(/\s+/g, ' '), text: line });
    else out.at(-1)!.text += line;
  }
  return out;
}

/** Chunks of other sections, in order, marking the one that ends the file. */
function othersOf(text: string, target: string): { text: string; last: boolean }[] {
  const all = chunks(text);
  return all.flatMap((chunk, i) => (chunk.name === target ? [] : [{ text: chunk.text, last: i === all.length - 1 }]));
}

/**
 * Every other chunk is byte-identical. Only a chunk at the end of either file may differ, and only in
 * its final newline and trailing blank lines (the separator before an appended or removed section).
 */
function sameOthers(before: string, after: string, target: string): boolean {
  const a = othersOf(before, target);
  const b = othersOf(after, target);
  const trimEnd = (text: string) => text.replace(/(\r?\n[ \t]*)*$/, '');
  return (
    a.length === b.length &&
    a.every((chunk, i) => {
      const other = b[i]!;
      if (chunk.text === other.text) return true;
      return (chunk.last || other.last) && trimEnd(chunk.text) === trimEnd(other.text);
    })
  );
}

/**
 * After removeSection: the other chunks, in order, each intact, followed only by lines kept from a
 * removed section (comments, blank or junk lines, never a key or header). The file's last chunk may
 * also lose its trailing blank lines and final newline (the separator of a section removed at the end).
 */
function removalKeepsOthers(before: string, after: string, target: string): boolean {
  const a = chunks(before).filter((chunk) => chunk.name !== target);
  const b = chunks(after);
  if (a.length !== b.length || a.some((chunk, i) => chunk.name !== b[i]!.name)) return false;
  return a.every((chunk, i) => {
    const x = chunk.text;
    const y = b[i]!.text;
    if (y.startsWith(x)) {
      const kept = y.slice(x.length).match(/[^\n]*\n|[^\n]+$/g) ?? [];
      return kept.every((line) => {
        const trimmed = line.trim();
        return /^[#;]/.test(trimmed) || (!/^\[[^\]]*\]$/.test(trimmed) && !/^[^=]+?\s*=/.test(trimmed));
      });
    }
    return i === b.length - 1 && x.startsWith(y) && /^\s*$/.test(x.slice(y.length));
  });
}

/** The SDK's name for a section: `[profile acme]` → `profile.acme` (exact spelling only). */
function sdkName(name: string): string {
  const match = /^(profile|sso-session|services) ([\w\-@+.%:/]+)$/.exec(name);
  return match ? `${match[1]}.${match[2]}` : name;
}

let fileNumber = 0;
async function sdkRead(text: string): Promise<Record<string, Record<string, string>>> {
  const path = join(scratch, `credentials-${fileNumber++ % 4}`);
  writeFileSync(path, text);
  const { credentialsFile } = await loadSharedConfigFiles({ filepath: path, configFilepath: join(scratch, 'none'), ignoreCache: true });
  return credentialsFile as Record<string, Record<string, string>>;
}

const lower = (values: Record<string, string>) => Object.fromEntries(Object.entries(values).map(([k, v]) => [k.toLowerCase(), v]));
/** `record` minus `keys`, and minus the SDK's nested `key.sub` entries, which go when `key` is replaced. */
const without = (record: Record<string, string> | undefined, keys: string[], caseInsensitive: boolean) =>
  Object.fromEntries(
    Object.entries(record ?? {}).filter(([k]) => {
      const name = caseInsensitive ? k.toLowerCase() : k;
      return !keys.includes(name) && !keys.includes(name.split('.')[0]!);
    }),
  );

describe(`upsertSection / removeSection over ${FILES} generated files (seed ${SEED.toString(16)})`, () => {
  it('keep other sections byte for byte and make the section read as wanted', async () => {
    const random = seeded(SEED);
    const tally = new Map<string, number>();
    let checks = 0;
    for (let n = 0; n < FILES; n++) {
      const c = generate(random);
      const label = `case ${n} (seed ${SEED.toString(16)}): ${JSON.stringify(c)}`;
      for (const feature of c.features) tally.set(feature, (tally.get(feature) ?? 0) + 1);
      tally.set(c.replace ? 'replace' : 'merge', (tally.get(c.replace ? 'replace' : 'merge') ?? 0) + 1);
      const wantedLower = lower(c.values);
      const wantedKeys = Object.keys(wantedLower);

      const after = upsertSection(c.text, c.target, c.values, { replace: c.replace });
      expect(sameOthers(c.text, after, c.target), `other sections changed — ${label}\n--- after:\n${JSON.stringify(after)}`).toBe(true);
      expect(after.startsWith('\uFEFF'), `BOM kept — ${label}`).toBe(c.text.startsWith('\uFEFF'));
      if (c.text.replace(/^\uFEFF/, '') !== '') expect(/\n$/.test(after), `final-newline habit kept — ${label}`).toBe(/\n$/.test(c.text));
      expect(upsertSection(after, c.target, c.values, { replace: c.replace }), `idempotent — ${label}`).toBe(after);

      // The JS SDK, which slipway itself uses to read these files.
      const sdkBefore = (await sdkRead(c.text))[sdkName(c.target)];
      const sdkAfter = (await sdkRead(after))[sdkName(c.target)];
      if (c.replace) {
        expect(sdkAfter, `SDK reading — ${label}\n--- after:\n${JSON.stringify(after)}`).toEqual(c.values);
      } else {
        // Before the edit the SDK may not have seen the section at all (`[ profile x ]` is not
        // `profile x` to it; the edit respells the header), so what it read then is a lower bound.
        const expected = { ...without(sdkBefore, wantedKeys, true), ...c.values };
        expect(sdkAfter, `SDK reading — ${label}\n--- after:\n${JSON.stringify(after)}`).toMatchObject(expected);
        const spellings = Object.keys(sdkAfter ?? {}).filter((key) => wantedKeys.includes(key.toLowerCase()));
        expect(spellings.sort(), `each wanted key once — ${label}`).toEqual(Object.keys(c.values).sort());
      }

      // ./ini.ts, which the rest of slipway reads with.
      if (!c.targetIndented) {
        const iniBefore = parseIni(c.text).get(c.target);
        const expectedIni = c.replace ? wantedLower : { ...without(iniBefore, wantedKeys, false), ...wantedLower };
        expect(parseIni(after).get(c.target), `ini.ts reading — ${label}\n--- after:\n${JSON.stringify(after)}`).toEqual(expectedIni);
      }

      const removed = removeSection(c.text, c.target);
      expect(removalKeepsOthers(c.text, removed, c.target), `removeSection changed other sections — ${label}\n--- after:\n${JSON.stringify(removed)}`).toBe(true);
      expect(chunks(removed).some((chunk) => chunk.name === c.target), `removeSection left the section — ${label}`).toBe(false);
      expect(parseIni(removed).has(c.target)).toBe(false);
      expect((await sdkRead(removed))[sdkName(c.target)]).toBeUndefined();
      checks += 1;
    }
    expect(checks).toBeGreaterThanOrEqual(1000);
    expect(checks).toBe(FILES);
    // The generator must really produce each shape, or the test proves little.
    const summary = Object.fromEntries([...tally.entries()].sort());
    console.log(`ini-edit property test: ${FILES} files, seed ${SEED.toString(16)}`, summary);
    for (const feature of ['indented target', 'lf', 'crlf', 'mixed', 'bom', 'no final newline', 'non-ascii', 'nested block', 'repeated target', 'repeated section', 'repeated key', 'target missing', 'junk line', 'replace', 'merge']) {
      expect(tally.get(feature) ?? 0, `generated files with ${feature}`).toBeGreaterThanOrEqual(50);
    }
  });
});
