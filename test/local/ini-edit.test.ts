import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSharedConfigFiles } from '@smithy/core/config';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/engine/errors.js';
import { countSections, readSection, removeSection, upsertSection } from '../../src/local/ini-edit.js';
import { parseIni } from '../../src/local/ini.js';

const scratch = mkdtempSync(join(tmpdir(), 'slipway-ini-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * How the JS SDK (what slipway itself uses) reads the text: its own loader, fed through a file.
 * Sections come back as `profile.acme` for `[profile acme]`, nested keys as `s3.max_concurrent_requests`.
 */
async function sdkRead(text: string): Promise<Record<string, Record<string, string>>> {
  const path = join(scratch, 'credentials');
  writeFileSync(path, text);
  const { credentialsFile } = await loadSharedConfigFiles({ filepath: path, configFilepath: join(scratch, 'none'), ignoreCache: true });
  return credentialsFile as Record<string, Record<string, string>>;
}

/** Asserts that `after` keeps `before`'s bytes before `start` and from `end` on (end counted from the file's end). */
function expectOnlyChanged(before: string, after: string, editedText: string) {
  const start = before.indexOf(editedText);
  expect(start, 'the edited region is in the input').toBeGreaterThanOrEqual(0);
  const end = start + editedText.length;
  expect(after.slice(0, start)).toBe(before.slice(0, start));
  expect(after.slice(after.length - (before.length - end))).toBe(before.slice(end));
}

const FILE = [
  '# my AWS config — hand-edited, keep the comments',
  '; another comment style',
  '',
  '[default]',
  'region=us-east-1',
  '',
  '[profile acme]',
  'region   =  eu-west-1',
  '  # indented comment',
  'output = json',
  's3 =',
  '  max_concurrent_requests = 20',
  '  # tuned for big files',
  '  multipart_threshold = 64MB',
  '',
  '# trailing comment of acme',
  '',
  '[profile ünïcødé]',
  'role_arn = arn:aws:iam::123456789012:role/admin   ',
  '',
].join('\n');

describe('upsertSection', () => {
  it('replaces a value on its own line, keeping the spacing around "="', () => {
    const after = upsertSection(FILE, 'profile acme', { region: 'us-west-2' });
    expect(after).toBe(FILE.replace('region   =  eu-west-1', 'region   =  us-west-2'));
    expect(parseIni(after).get('profile acme')?.region).toBe('us-west-2');
  });

  it('keeps the tight `key=value` style', () => {
    expect(upsertSection(FILE, 'default', { region: 'eu-north-1' })).toBe(FILE.replace('region=us-east-1', 'region=eu-north-1'));
  });

  it('appends new keys after the last key and its nested lines, before trailing comments', async () => {
    const after = upsertSection(FILE, 'profile acme', { mfa_serial: 'arn:aws:iam::123456789012:mfa/alice' });
    expect(after).toBe(FILE.replace('  multipart_threshold = 64MB\n', '  multipart_threshold = 64MB\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n'));
    expectOnlyChanged(FILE, after, '  multipart_threshold = 64MB\n');
    expect((await sdkRead(after))['profile.acme']).toEqual({
      region: 'eu-west-1',
      output: 'json',
      's3.max_concurrent_requests': '20',
      's3.multipart_threshold': '64MB',
      mfa_serial: 'arn:aws:iam::123456789012:mfa/alice',
    });
  });

  it('replaces a nested key (s3 = …) together with its continuation lines', () => {
    const after = upsertSection(FILE, 'profile acme', { s3: 'off' });
    expect(after).toBe(FILE.replace('s3 =\n  max_concurrent_requests = 20\n  # tuned for big files\n  multipart_threshold = 64MB\n', 's3 = off\n'));
  });

  it('with replace, removes the other keys of the section (and their nested lines) but keeps its comments', async () => {
    const after = upsertSection(FILE, 'profile acme', { region: 'eu-west-1', source_profile: 'acme' }, { replace: true });
    expect(after).toBe(
      FILE.replace('output = json\ns3 =\n  max_concurrent_requests = 20\n  # tuned for big files\n  multipart_threshold = 64MB\n', 'source_profile = acme\n'),
    );
    expect(parseIni(after).get('profile acme')).toEqual({ region: 'eu-west-1', source_profile: 'acme' });
    expect((await sdkRead(after))['profile.acme']).toEqual({ region: 'eu-west-1', source_profile: 'acme' });
  });

  it('appends a missing section at the end after one blank line', () => {
    const after = upsertSection(FILE, 'profile new', { region: 'ap-south-1' });
    // FILE ends with a newline but not with a blank line.
    expect(after).toBe(`${FILE}\n[profile new]\nregion = ap-south-1\n`);
    const withBlank = `${FILE}\n`;
    expect(upsertSection(withBlank, 'profile new', { region: 'ap-south-1' })).toBe(`${withBlank}[profile new]\nregion = ap-south-1\n`);
  });

  it('writes a new file from nothing', () => {
    expect(upsertSection('', 'acme', { aws_access_key_id: 'AKIAEXAMPLE', aws_secret_access_key: 's' })).toBe(
      '[acme]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = s\n',
    );
  });

  it('returns the same text when the section already holds the values', () => {
    expect(upsertSection(FILE, 'profile acme', { region: 'eu-west-1', output: 'json' })).toBe(FILE);
  });

  it('uses CRLF for new lines in a CRLF file and leaves every existing CRLF alone', () => {
    const crlf = FILE.replace(/\n/g, '\r\n');
    const after = upsertSection(crlf, 'profile acme', { region: 'us-west-2', cli_pager: 'less' });
    expect(after).toBe(
      crlf.replace('region   =  eu-west-1', 'region   =  us-west-2').replace('  multipart_threshold = 64MB\r\n', '  multipart_threshold = 64MB\r\ncli_pager = less\r\n'),
    );
    expect(upsertSection(crlf, 'profile z', { region: 'x' })).toBe(`${crlf}\r\n[profile z]\r\nregion = x\r\n`);
  });

  it('in a mixed file, new lines take the ending most lines use', () => {
    const mixed = '[a]\r\nx = 1\r\ny = 2\r\n[b]\nz = 3\n';
    expect(upsertSection(mixed, 'b', { w: '4' })).toBe('[a]\r\nx = 1\r\ny = 2\r\n[b]\nz = 3\nw = 4\r\n');
  });

  it('keeps a missing final newline missing', () => {
    const noFinal = '[a]\nx = 1\n\n[b]\ny = 2';
    expect(upsertSection(noFinal, 'b', { z: '3' })).toBe('[a]\nx = 1\n\n[b]\ny = 2\nz = 3');
    expect(upsertSection(noFinal, 'b', { y: '9' })).toBe('[a]\nx = 1\n\n[b]\ny = 9');
    expect(upsertSection(noFinal, 'a', { z: '3' })).toBe('[a]\nx = 1\nz = 3\n\n[b]\ny = 2');
    expect(upsertSection(noFinal, 'c', { z: '3' })).toBe('[a]\nx = 1\n\n[b]\ny = 2\n\n[c]\nz = 3');
  });

  it('keeps a UTF-8 BOM and non-ASCII text', () => {
    const bom = '\uFEFF[profile ünï]\nrole_session_name = jürgen\n# 日本語のコメント\n[b]\nk = ✓\n';
    const after = upsertSection(bom, 'profile ünï', { role_session_name: 'zoë' });
    expect(after).toBe(bom.replace('jürgen', 'zoë'));
    expect(Buffer.from(after, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(upsertSection('\uFEFF', 'a', { k: 'v' })).toBe('\uFEFF[a]\nk = v\n');
    expect(parseIni(after).get('profile ünï')).toEqual({ role_session_name: 'zoë' });
  });

  it('matches headers after trimming and collapsing spaces, and rewrites the edited one so the SDK reads it', async () => {
    const odd = '[profile  acme]\nregion = a\n  [ other ]  \nk = v\n';
    expect((await sdkRead(odd))['profile.acme']).toBeUndefined(); // the SDK does not see `[profile  acme]` as profile acme
    const after = upsertSection(odd, 'profile acme', { region: 'b' });
    expect(after).toBe('[profile acme]\nregion = b\n  [ other ]  \nk = v\n');
    expect((await sdkRead(after))['profile.acme']).toEqual({ region: 'b' });
    // Indentation and a trailing comment on the header survive the rewrite.
    expect(upsertSection('  [ profile acme ] # work\nregion = a\n', 'profile acme', { region: 'b' })).toBe('  [profile acme] # work\nregion = b\n');
    expect(upsertSection('[other]\nk = v\n', 'other', { k: 'w' })).toBe('[other]\nk = w\n');
    expect(upsertSection(odd, 'other', { k: 'w' })).toBe('[profile  acme]\nregion = a\n  [other]  \nk = w\n');
  });

  it('keeps indented keys indented (botocore would read a deeper line below as part of the value otherwise)', async () => {
    const indented = '[a]\n  region = x\n  output = json\n';
    const after = upsertSection(indented, 'a', { region: 'y' });
    expect(after).toBe('[a]\n  region = y\n  output = json\n');
    expect((await sdkRead(after)).a).toEqual({ region: 'y', output: 'json' });
  });

  it('treats a line indented deeper than its key as part of that key, as botocore does', () => {
    const text = '[a]\nregion = x\n    more = stuff\noutput = json\n';
    expect(readSection(text, 'a')).toEqual({ region: 'x', output: 'json' });
    expect(upsertSection(text, 'a', { region: 'y' })).toBe('[a]\nregion = y\noutput = json\n');
    expect(upsertSection(text, 'a', { more: 'z' })).toBe('[a]\nregion = x\n    more = stuff\noutput = json\nmore = z\n');
  });

  it('matches keys case-insensitively and writes the name as given', async () => {
    const text = '[a]\nREGION = x\nregion = y\n';
    const after = upsertSection(text, 'a', { region: 'z' });
    expect(after).toBe('[a]\nregion = z\n');
    expect((await sdkRead(after)).a).toEqual({ region: 'z' });
  });

  it('leaves every key it sets defined once: first definition rewritten, later ones (also in repeated sections) removed', async () => {
    const dup = ['[a]', 'x = 1', 'secret = old', '', '[b]', 'k = v', '', '[a]', '# second copy', 'secret = older', 'y = 2', ''].join('\n');
    const after = upsertSection(dup, 'a', { secret: 'new', z: '3' });
    expect(after).toBe(['[a]', 'x = 1', 'secret = new', 'z = 3', '', '[b]', 'k = v', '', '[a]', '# second copy', 'y = 2', ''].join('\n'));
    expect(parseIni(after).get('a')).toEqual({ x: '1', secret: 'new', z: '3', y: '2' });
    expect((await sdkRead(after)).a).toEqual({ x: '1', secret: 'new', z: '3', y: '2' });
    expect(after).not.toContain('old');
    expect(countSections(after, 'a')).toBe(2);

    const replaced = upsertSection(dup, 'a', { secret: 'new' }, { replace: true });
    expect(replaced).toBe(['[a]', 'secret = new', '', '[b]', 'k = v', '', '[a]', '# second copy', ''].join('\n'));
    expect(parseIni(replaced).get('a')).toEqual({ secret: 'new' });
  });

  it('a key defined only in a later repeated section is rewritten there', () => {
    const dup = '[a]\nx = 1\n[a]\ny = 2\n';
    expect(upsertSection(dup, 'a', { y: '3' })).toBe('[a]\nx = 1\n[a]\ny = 3\n');
  });

  it('leaves lines before the first section alone', () => {
    const text = 'orphan = 1\n# top\n[a]\nx = 1\n';
    expect(upsertSection(text, 'a', { orphan: '2' })).toBe('orphan = 1\n# top\n[a]\nx = 1\norphan = 2\n');
  });

  it('puts keys right after the header of a section that has none', () => {
    expect(upsertSection('[a]\n# about a\n\n[b]\n', 'a', { k: 'v' })).toBe('[a]\nk = v\n# about a\n\n[b]\n');
  });

  it('does not glue a value to `key =`', () => {
    expect(upsertSection('[a]\ns3 =\n  x = 1\n', 'a', { s3: 'v' })).toBe('[a]\ns3 = v\n');
    expect(upsertSection('[a]\nk=\n', 'a', { k: 'v' })).toBe('[a]\nk=v\n');
  });

  it('drops an inline comment on the line it rewrites (it described the old value)', () => {
    expect(upsertSection('[a]\nregion = x # old region\n', 'a', { region: 'y' })).toBe('[a]\nregion = y\n');
  });

  it('refuses names and values the readers would not read back, without echoing values', () => {
    expect(() => upsertSection('', 'a]b', { k: 'v' })).toThrow(UsageError);
    expect(() => upsertSection('', 'profile  a', { k: 'v' })).toThrow(UsageError);
    expect(() => upsertSection('', '', { k: 'v' })).toThrow(UsageError);
    expect(() => upsertSection('', 'a', { 'bad key': 'v' })).toThrow(UsageError);
    expect(() => upsertSection('', 'a', { k: 'v', K: 'w' })).toThrow(/twice/);
    for (const value of ['', ' padded', 'two\nlines', 'cut # here', '#start', 'x ;y']) {
      let thrown: unknown;
      try {
        upsertSection('', 'a', { aws_secret_access_key: value });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(UsageError);
      const { message, why, fix } = thrown as UsageError;
      if (value.trim()) expect(`${message} ${why} ${fix}`).not.toContain(value.trim());
    }
  });
});

describe('readSection', () => {
  it('reads merged repeated sections, later keys winning, keys lowercased', () => {
    expect(readSection('[a]\nX = 1\ny=2\n[b]\nz = 3\n[ a ]\nx = 4\n', 'a')).toEqual({ x: '4', y: '2' });
    expect(readSection('[a]\n', 'b')).toBeUndefined();
    expect(readSection('[a] # comment\nk = v\n', 'a')).toEqual({ k: 'v' });
  });
});

describe('removeSection', () => {
  it('removes the section and the blank lines after it, keeping the comment that introduces the next one', () => {
    const text = ['[z]', 'q = 1', '', '[a]', '# about a', 'x = 1', '', '# about b', '[b]', 'k = v', ''].join('\n');
    expect(removeSection(text, 'a')).toBe(['[z]', 'q = 1', '', '# about b', '[b]', 'k = v', ''].join('\n'));
  });

  it('at the end of the file removes trailing comments and the blank lines before it', () => {
    expect(removeSection('[z]\nq = 1\n\n[a]\nx = 1\n# end\n', 'a')).toBe('[z]\nq = 1\n');
    expect(removeSection('[z]\r\nq = 1\r\n\r\n[a]\r\nx = 1', 'a')).toBe('[z]\r\nq = 1');
  });

  it('removes every occurrence, with nested lines, and leaves the rest byte for byte', () => {
    const crlf = '\uFEFF# top\r\n[a]\r\ns3 =\r\n  x = 1\r\n[b]\r\nk = v\r\n[ a ]\r\ny = 2\r\n[c]\r\nm = n\r\n';
    expect(removeSection(crlf, 'a')).toBe('\uFEFF# top\r\n[b]\r\nk = v\r\n[c]\r\nm = n\r\n');
    expect(removeSection(crlf, 'missing')).toBe(crlf);
  });
});
