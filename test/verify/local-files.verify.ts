import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { writeAwsProfile } from '../../src/local/aws-profile-files.js';
import { readSection } from '../../src/local/ini-edit.js';
import { buildChild } from '../support/build-child.js';
import { recordFigure } from './figures.js';
import { random, verifySeed } from './seed.js';

/**
 * Figure 4: the ~/.aws editor (writeAwsProfile, as bootstrap calls it) over generated config and
 * credentials files — comments, odd spacing, duplicate sections, CRLF and mixed endings, no final
 * newline, non-ASCII, a BOM, loose modes: every byte outside the edited section is kept, the section
 * reads as written, both files end 0600. Then a child writing the files over and over is SIGKILLed at
 * seeded random moments: each file is always a whole version (before or after some write), never a mix.
 */
const FILES = 1000;
const KILLS = 60;
const seed = verifySeed();
const root = mkdtempSync(join(tmpdir(), 'slipway-verify-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const BOM = '\uFEFF';
const CONFIG_TARGET = 'profile verify';
const CREDENTIALS_TARGET = 'verify';
const OTHER_CONFIG = ['default', 'profile dev', 'profile acme', 'sso-session corp', 'profile ünï-cødé', 'profile prod.eu', 'services local'];
const OTHER_CREDENTIALS = ['default', 'dev', 'acme', 'ünï-cødé', 'prod.eu'];

const eol = fc.constantFrom('\n', '\n', '\r\n');
const comment = fc.constantFrom('# comment', '; semicolon', '   # indented', '#tight', '# ünïcødé ✓ コメント', '# region = commented-out', '#[profile verify] not a header');
const blank = fc.constantFrom('', '   ', '\t');
const key = fc.constantFrom('region', 'output', 'role_arn', 'source_profile', 'mfa_serial', 'aws_access_key_id', 'aws_secret_access_key', 'cli_pager', 'REGION');
const value = fc.constantFrom('us-east-1', 'json', 'arn:aws:iam::123456789012:role/admin', 'AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', 'café ☕', 'a=b=c', '日本語', '');
const separator = fc.constantFrom(' = ', '=', '   =  ', ' =', '= ', '\t=\t');
const keyLine = fc.tuple(key, separator, value).map(([k, s, v]) => `${k}${s}${v}`);
const nested = fc.tuple(fc.constantFrom('s3 =', 's3='), fc.constantFrom('  max_concurrent_requests = 20', '    addressing_style = path')).map(([a, b]) => [a, b]);
const bodyLine = fc.oneof({ weight: 5, arbitrary: keyLine.map((l) => [l]) }, { weight: 2, arbitrary: comment.map((l) => [l]) }, { weight: 1, arbitrary: blank.map((l) => [l]) }, { weight: 1, arbitrary: nested });

function header(name: string) {
  return fc.constantFrom(`[${name}]`, `[ ${name} ]`, `  [${name}]`, `[${name}]   `, `[${name}] # why`, `\t[${name}]`);
}

interface GeneratedFile {
  text: string;
  mode: number;
}

/** An AWS-style file: an optional BOM and preamble, sections (the target 0, 1 or 2 times), endings of both kinds. */
function awsFile(target: string, others: string[]): fc.Arbitrary<GeneratedFile> {
  const name = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...others) }, { weight: 1, arbitrary: fc.constant(target) });
  const section = name.chain((n) => fc.tuple(header(n), fc.array(bodyLine, { maxLength: 6 }))).map(([h, body]) => [h, ...body.flat()]);
  return fc
    .record({
      bom: fc.boolean(),
      preamble: fc.array(fc.oneof(comment, blank), { maxLength: 3 }),
      sections: fc.array(section, { maxLength: 7 }),
      endings: fc.array(eol, { minLength: 64, maxLength: 64 }),
      finalNewline: fc.boolean(),
      mode: fc.constantFrom(0o600, 0o644, 0o664, 0o640),
    })
    .map(({ bom, preamble, sections, endings, finalNewline, mode }) => {
      const lines = [...preamble, ...sections.flat()];
      let text = lines.map((l, i) => `${l}${i === lines.length - 1 && !finalNewline ? '' : (endings[i % endings.length] ?? '\n')}`).join('');
      if (bom) text = BOM + text;
      return { text, mode };
    });
}

const HEADER_LINE = /^[\s\uFEFF]*\[([^\]]*)\]/;

/** The file cut into chunks at each header line (the first chunk is what comes before any header). */
function chunks(text: string): { name?: string; text: string }[] {
  const out: { name?: string; text: string }[] = [{ text: '' }];
  for (const line of text.match(/[^\n]*\n|[^\n]+$/g) ?? []) {
    const match = HEADER_LINE.exec(line);
    if (match) out.push({ name: match[1]!.trim().replace(/\s+/g, ' '), text: line });
    else out[out.length - 1]!.text += line;
  }
  return out;
}

/** Everything but the target's sections, its very end trimmed (a section appended after a last line without a newline gives it one). */
function outside(text: string, target: string): string {
  return chunks(text)
    .filter((c) => c.name !== target)
    .map((c) => c.text)
    .join('')
    .replace(/\s+$/, '');
}

const WANTED = { config: { region: 'eu-central-1', output: 'text', mfa_serial: 'arn:aws:iam::210987654321:mfa/ünï' }, credentials: { accessKeyId: 'AKIA0000000000000000', secretAccessKey: 'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz/' } };

describe('the ~/.aws editor', () => {
  let checked = 0;
  let killsTried = 0;
  let killsWhole = 0;
  let leftovers = 0;

  it(`keeps every byte outside the edited section, over ${FILES} generated files of each kind`, () => {
    const home = join(root, 'home');
    const env: NodeJS.ProcessEnv = { HOME: home, AWS_CONFIG_FILE: join(home, '.aws', 'config'), AWS_SHARED_CREDENTIALS_FILE: join(home, '.aws', 'credentials') };
    fc.assert(
      fc.property(awsFile(CONFIG_TARGET, OTHER_CONFIG), awsFile(CREDENTIALS_TARGET, OTHER_CREDENTIALS), (config, credentials) => {
        rmSync(home, { recursive: true, force: true });
        mkdirSync(join(home, '.aws'), { recursive: true, mode: 0o700 });
        const paths = { config: join(home, '.aws', 'config'), credentials: join(home, '.aws', 'credentials') };
        writeFileSync(paths.config, config.text);
        chmodSync(paths.config, config.mode);
        writeFileSync(paths.credentials, credentials.text);
        chmodSync(paths.credentials, credentials.mode);

        writeAwsProfile({ profile: 'verify', ...WANTED }, env);

        const after = { config: readFileSync(paths.config, 'utf8'), credentials: readFileSync(paths.credentials, 'utf8') };
        expect(outside(after.config, CONFIG_TARGET)).toBe(outside(config.text, CONFIG_TARGET));
        expect(outside(after.credentials, CREDENTIALS_TARGET)).toBe(outside(credentials.text, CREDENTIALS_TARGET));
        expect(after.config.startsWith(BOM)).toBe(config.text.startsWith(BOM));
        expect(readSection(after.config, CONFIG_TARGET)).toMatchObject(WANTED.config);
        expect(readSection(after.credentials, CREDENTIALS_TARGET)).toEqual({ aws_access_key_id: WANTED.credentials.accessKeyId, aws_secret_access_key: WANTED.credentials.secretAccessKey });
        expect(statSync(paths.config).mode & 0o777).toBe(0o600);
        expect(statSync(paths.credentials).mode & 0o777).toBe(0o600);
        checked++;
      }),
      { numRuns: FILES, seed },
    );
  });

  it(`SIGKILLed at ${KILLS} random moments while writing: each file is one whole version, never a mix`, async () => {
    const child = await buildChild('test/support/aws-writer-verify-child.ts');
    const rng = random(seed);
    const starts = fc.sample(fc.tuple(awsFile(CONFIG_TARGET, OTHER_CONFIG), awsFile(CREDENTIALS_TARGET, OTHER_CREDENTIALS)), { numRuns: KILLS, seed });
    const sets = [
      { config: { region: 'eu-west-1', output: 'json' }, credentials: { accessKeyId: 'AKIAVERIFYAAAAAAAAAA', secretAccessKey: 'verifyAsecretverifyAsecretverifyAsecret1' } },
      { config: { region: 'ap-south-1', output: 'text' }, credentials: { accessKeyId: 'AKIAVERIFYBBBBBBBBBB', secretAccessKey: 'verifyBsecretverifyBsecretverifyBsecret2' } },
    ];
    const problems: string[] = [];
    for (const [index, [config, credentials]] of starts.entries()) {
      const home = join(root, `kill-${index}`);
      const env: NodeJS.ProcessEnv = { HOME: home, AWS_CONFIG_FILE: join(home, '.aws', 'config'), AWS_SHARED_CREDENTIALS_FILE: join(home, '.aws', 'credentials') };
      const paths = { config: join(home, '.aws', 'config'), credentials: join(home, '.aws', 'credentials') };
      // The versions a file can be in: the original, then what each write in turn makes of it.
      const reference = join(root, `reference-${index}`);
      const referenceEnv: NodeJS.ProcessEnv = { HOME: reference, AWS_CONFIG_FILE: join(reference, '.aws', 'config'), AWS_SHARED_CREDENTIALS_FILE: join(reference, '.aws', 'credentials') };
      const whole = { config: new Set<string>(), credentials: new Set<string>() };
      for (const dir of [home, reference]) {
        mkdirSync(join(dir, '.aws'), { recursive: true, mode: 0o700 });
        writeFileSync(join(dir, '.aws', 'config'), config.text, { mode: 0o600 });
        writeFileSync(join(dir, '.aws', 'credentials'), credentials.text, { mode: 0o600 });
      }
      whole.config.add(config.text);
      whole.credentials.add(credentials.text);
      for (let i = 0; i < 6; i++) {
        writeAwsProfile({ profile: 'verify', ...sets[i % 2]! }, referenceEnv);
        whole.config.add(readFileSync(join(reference, '.aws', 'config'), 'utf8'));
        whole.credentials.add(readFileSync(join(reference, '.aws', 'credentials'), 'utf8'));
      }
      const proc = spawn(process.execPath, [child, home], { stdio: ['ignore', 'pipe', 'pipe'] });
      await new Promise<void>((resolve) => proc.stdout.once('data', () => resolve()));
      await new Promise((resolve) => setTimeout(resolve, Math.floor(rng() * 60)));
      proc.kill('SIGKILL');
      await new Promise((resolve) => proc.on('close', resolve));
      killsTried++;
      const now = { config: readFileSync(paths.config, 'utf8'), credentials: readFileSync(paths.credentials, 'utf8') };
      const ok = whole.config.has(now.config) && whole.credentials.has(now.credentials) && (statSync(paths.config).mode & 0o777) === 0o600 && (statSync(paths.credentials).mode & 0o777) === 0o600;
      if (ok) killsWhole++;
      else problems.push(`kill ${index}: config whole=${whole.config.has(now.config)} credentials whole=${whole.credentials.has(now.credentials)}`);
      leftovers += readdirSync(join(home, '.aws')).filter((n) => n.endsWith('.tmp')).length;

      rmSync(home, { recursive: true, force: true });
      rmSync(reference, { recursive: true, force: true });
    }
    expect(problems).toEqual([]);
  });

  afterAll(() => {
    recordFigure({
      name: '4 local files',
      value: `${checked} generated file pairs edited, bytes outside the section kept, 0600; ${killsWhole}/${killsTried} SIGKILLs mid-write left whole files`,
      floor: `≥ ${FILES} files, every kill whole`,
      ok: checked >= FILES && killsTried >= KILLS && killsWhole === killsTried,
      details: [`fast-check seed ${seed}; temp files left in ~/.aws by a kill inside an atomic write: ${leftovers} (0600, in the 0700 folder; no reader sees them)`],
    });
  });
});


