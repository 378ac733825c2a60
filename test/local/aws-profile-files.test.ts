import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromIni } from '@aws-sdk/credential-providers';
import { afterEach, describe, expect, it } from 'vitest';
import { SlipwayError, UsageError } from '../../src/engine/errors.js';
import { profileConflicts, readAwsProfile, writeAwsProfile } from '../../src/local/aws-profile-files.js';
import { explainFileError } from '../../src/local/backup.js';
import { parseIni } from '../../src/local/ini.js';

const KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const ROLE_CONFIG = {
  source_profile: 'acme',
  role_arn: 'arn:aws:iam::123456789012:role/admin',
  role_session_name: 'alice',
  mfa_serial: 'arn:aws:iam::123456789012:mfa/alice',
  region: 'us-east-1',
};

const EXISTING_CREDENTIALS = [
  '# keys — managed by hand',
  '[work]',
  'aws_access_key_id=AKIAWORKWORKWORK0000',
  'aws_secret_access_key   =   workworkworkworkworkworkworkworkworkwork',
  '',
  '; old acme keys below',
  '[acme]',
  'aws_access_key_id = AKIAOLDOLDOLDOLD0000',
  'aws_secret_access_key = oldsecretoldsecretoldsecretoldsecret0000',
  'aws_session_token = stale-token',
  '',
  '[personal]',
  'aws_access_key_id = AKIAPERSONAL00000000',
  'aws_secret_access_key = personalpersonalpersonalpersonal00000000',
  '',
].join('\r\n');

const EXISTING_CONFIG = ['[profile work]', 'region = eu-west-1', 'output = json', '', '[profile acme]', 'region = eu-central-1', 'output = table', 's3 =', '  max_concurrent_requests = 20', ''].join('\n');

interface Home {
  home: string;
  aws: string;
  credentials: string;
  config: string;
  env: NodeJS.ProcessEnv;
}

const homes: string[] = [];
afterEach(() => {
  for (const home of homes.splice(0)) {
    chmodTree(home);
    rmSync(home, { recursive: true, force: true });
  }
});

function tempHome(files: { credentials?: string; config?: string; mode?: number } = {}): Home {
  const home = mkdtempSync(join(tmpdir(), 'slipway-awsfiles-'));
  homes.push(home);
  const aws = join(home, '.aws');
  const credentials = join(aws, 'credentials');
  const config = join(aws, 'config');
  if (files.credentials !== undefined || files.config !== undefined) mkdirSync(aws, { mode: 0o755 });
  if (files.credentials !== undefined) writeFileSync(credentials, files.credentials, { mode: files.mode ?? 0o600 });
  if (files.config !== undefined) writeFileSync(config, files.config, { mode: files.mode ?? 0o600 });
  return { home, aws, credentials, config, env: { HOME: home, AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials } };
}

function chmodTree(dir: string) {
  try {
    chmodSync(dir, 0o700);
    for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) chmodTree(join(dir, entry.name));
  } catch {
    // already gone
  }
}

const mode = (path: string) => statSync(path).mode & 0o777;
const read = (path: string) => readFileSync(path, 'utf8');

/** Whether chmod 0500 on a folder stops this process from writing into it (it does not for root). */
function chmodBlocksWrites(): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-probe-'));
  try {
    chmodSync(dir, 0o500);
    writeFileSync(join(dir, 'x'), '');
    return false;
  } catch {
    return true;
  } finally {
    chmodSync(dir, 0o700);
    rmSync(dir, { recursive: true, force: true });
  }
}

function thrown(fn: () => unknown): SlipwayError {
  try {
    fn();
  } catch (error) {
    return error as SlipwayError;
  }
  throw new Error('expected an error');
}

const errorText = (error: SlipwayError) => `${error.message}\n${error.why ?? ''}\n${error.fix ?? ''}`;

describe('writeAwsProfile', () => {
  it('creates ~/.aws (0700) and both files (0600) from nothing, readable by the SDK', async () => {
    const h = tempHome();
    const result = writeAwsProfile({ profile: 'acme', credentials: { accessKeyId: KEY_ID, secretAccessKey: SECRET }, config: { region: 'us-east-1' } }, h.env);

    expect(mode(h.aws)).toBe(0o700);
    expect(mode(h.credentials)).toBe(0o600);
    expect(mode(h.config)).toBe(0o600);
    expect(read(h.credentials)).toBe(`[acme]\naws_access_key_id = ${KEY_ID}\naws_secret_access_key = ${SECRET}\n`);
    expect(read(h.config)).toBe('[profile acme]\nregion = us-east-1\n');
    expect(result.credentials).toMatchObject({ path: h.credentials, changed: true, created: true, added: ['aws_access_key_id', 'aws_secret_access_key'] });
    expect(result.credentials?.backupPath).toBeUndefined();
    expect(result.warnings).toEqual([]);
    expect(JSON.stringify(result)).not.toContain(SECRET);

    const credentials = await fromIni({ profile: 'acme', filepath: h.credentials, configFilepath: h.config, ignoreCache: true })();
    expect(credentials).toMatchObject({ accessKeyId: KEY_ID, secretAccessKey: SECRET });
  });

  it('edits only the profile: other profiles, comments and CRLF stay byte for byte; a 0600 backup keeps the old file', () => {
    const h = tempHome({ credentials: EXISTING_CREDENTIALS, config: EXISTING_CONFIG, mode: 0o644 });
    const result = writeAwsProfile({ profile: 'acme', credentials: { accessKeyId: KEY_ID, secretAccessKey: SECRET }, config: ROLE_CONFIG }, h.env);

    // Credentials: the section is replaced whole (a stale session token would break the new keys).
    const credentials = read(h.credentials);
    const before = EXISTING_CREDENTIALS;
    const start = before.indexOf('aws_access_key_id = AKIAOLD');
    const end = before.indexOf('\r\n\r\n[personal]');
    expect(credentials.slice(0, start)).toBe(before.slice(0, start));
    expect(credentials.endsWith(before.slice(end))).toBe(true);
    expect(credentials).toBe(before.replace('aws_access_key_id = AKIAOLDOLDOLDOLD0000\r\naws_secret_access_key = oldsecretoldsecretoldsecretoldsecret0000\r\naws_session_token = stale-token', `aws_access_key_id = ${KEY_ID}\r\naws_secret_access_key = ${SECRET}`));
    expect(result.credentials).toMatchObject({ changed: true, created: false, modeFixed: true, updated: ['aws_access_key_id', 'aws_secret_access_key'], removed: ['aws_session_token'] });

    // Config: merged; keys slipway does not set (output, s3) stay.
    const config = read(h.config);
    expect(config.startsWith('[profile work]\nregion = eu-west-1\noutput = json\n\n[profile acme]\nregion = us-east-1\n')).toBe(true);
    expect(parseIni(config).get('profile acme')).toEqual({ ...ROLE_CONFIG, output: 'table', s3: '' });
    expect(parseIni(config).get('profile work')).toEqual({ region: 'eu-west-1', output: 'json' });
    expect(result.config?.added.sort()).toEqual(['mfa_serial', 'role_arn', 'role_session_name', 'source_profile']);
    expect(result.config?.updated).toEqual(['region']);

    for (const path of [h.credentials, h.config]) {
      expect(mode(path)).toBe(0o600);
      expect(mode(`${path}.slipway-backup`)).toBe(0o600);
    }
    expect(read(`${h.credentials}.slipway-backup`)).toBe(EXISTING_CREDENTIALS);
    expect(read(`${h.config}.slipway-backup`)).toBe(EXISTING_CONFIG);
    expect(result.credentials?.backupPath).toBe(`${h.credentials}.slipway-backup`);
    expect(readdirSync(h.aws).sort()).toEqual(['config', 'config.slipway-backup', 'credentials', 'credentials.slipway-backup']);
  });

  it('makes no backup when nothing changes, but still fixes a loose mode', () => {
    const h = tempHome({ credentials: `[acme]\naws_access_key_id = ${KEY_ID}\naws_secret_access_key = ${SECRET}\n`, mode: 0o644 });
    const result = writeAwsProfile({ profile: 'acme', credentials: { accessKeyId: KEY_ID, secretAccessKey: SECRET } }, h.env);
    expect(result.credentials).toMatchObject({ changed: false, modeFixed: true, added: [], updated: [], removed: [] });
    expect(existsSync(`${h.credentials}.slipway-backup`)).toBe(false);
    expect(mode(h.credentials)).toBe(0o600);
  });

  it('refuses to write a default profile, writing nothing', () => {
    const h = tempHome();
    const error = thrown(() => writeAwsProfile({ profile: 'default', credentials: { accessKeyId: KEY_ID, secretAccessKey: SECRET } }, h.env));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.fix).toMatch(/profile name/);
    expect(existsSync(h.aws)).toBe(false);
  });

  it('refuses profile names the AWS tools cannot read back', () => {
    const h = tempHome();
    for (const name of ['', 'my profile', '[acme]', 'a]b', 'a#b', 'a;b', 'a=b', 'tab\tname', 'ünï']) {
      const error = thrown(() => writeAwsProfile({ profile: name, config: { region: 'us-east-1' } }, h.env));
      expect(error, name).toBeInstanceOf(UsageError);
      expect(error.why).toMatch(/no spaces, brackets, #, ; or =/);
    }
    expect(existsSync(h.aws)).toBe(false);
  });

  it('never puts a secret into an error', () => {
    const h = tempHome();
    const badSecret = 'secret with spaces';
    const error = thrown(() => writeAwsProfile({ profile: 'acme', credentials: { accessKeyId: KEY_ID, secretAccessKey: badSecret } }, h.env));
    expect(error).toBeInstanceOf(UsageError);
    expect(errorText(error)).not.toContain('with spaces');
    const badId = thrown(() => writeAwsProfile({ profile: 'acme', credentials: { accessKeyId: SECRET, secretAccessKey: SECRET } }, h.env));
    expect(errorText(badId)).not.toContain(SECRET);
  });

  it('warns about a [default] profile and a repeated section, and still leaves the profile readable', () => {
    const h = tempHome({ credentials: '[default]\naws_access_key_id = AKIADEFAULT000000000\n[acme]\nx = 1\n[acme]\ny = 2\n' });
    const result = writeAwsProfile({ profile: 'acme', credentials: { accessKeyId: KEY_ID, secretAccessKey: SECRET } }, h.env);
    expect(result.warnings).toHaveLength(2);
    expect(result.warnings[0]).toMatch(/\[default\] profile/);
    expect(result.warnings[1]).toMatch(/\[acme\] more than once.*AWS CLI refuses/);
    expect(parseIni(read(h.credentials)).get('acme')).toEqual({ aws_access_key_id: KEY_ID, aws_secret_access_key: SECRET });
  });

  it('keeps a byte-order mark but warns that the AWS CLI cannot read such a file', () => {
    const h = tempHome({ config: '\uFEFF[profile work]\nregion = eu-west-1\n' });
    const result = writeAwsProfile({ profile: 'acme', config: { region: 'us-east-1' } }, h.env);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toContain("sed -i '1s/^\\xEF\\xBB\\xBF//'");
    expect(read(h.config)).toBe('\uFEFF[profile work]\nregion = eu-west-1\n\n[profile acme]\nregion = us-east-1\n');
  });

  it('writes through a symlinked credentials file instead of replacing the link', () => {
    const h = tempHome();
    const elsewhere = join(h.home, 'dotfiles');
    mkdirSync(elsewhere);
    mkdirSync(h.aws, { mode: 0o700 });
    writeFileSync(join(elsewhere, 'credentials'), '[work]\naws_access_key_id = AKIAWORKWORKWORK0000\n', { mode: 0o600 });
    symlinkSync(join(elsewhere, 'credentials'), h.credentials);
    writeAwsProfile({ profile: 'acme', credentials: { accessKeyId: KEY_ID, secretAccessKey: SECRET } }, h.env);
    expect(lstatSync(h.credentials).isSymbolicLink()).toBe(true);
    expect(readlinkSync(h.credentials)).toBe(join(elsewhere, 'credentials'));
    expect(parseIni(read(join(elsewhere, 'credentials'))).get('acme')?.aws_access_key_id).toBe(KEY_ID);
    expect(existsSync(join(elsewhere, 'credentials.slipway-backup'))).toBe(true);
  });

  it('refuses to rewrite a file that is not UTF-8, leaving it untouched', () => {
    const h = tempHome({ config: '' });
    const latin1 = Buffer.from('[profile work]\n# Jürgen\n', 'latin1');
    writeFileSync(h.config, latin1);
    const error = thrown(() => writeAwsProfile({ profile: 'acme', config: { region: 'us-east-1' } }, h.env));
    expect(error.message).toMatch(/not UTF-8/);
    expect(readFileSync(h.config)).toEqual(latin1);
  });

  describe('when a write fails, nothing is half-written', () => {
    it('a folder where the config file should be: clear error before anything is written', () => {
      const h = tempHome({ credentials: EXISTING_CREDENTIALS });
      mkdirSync(h.config);
      const error = thrown(() => writeAwsProfile({ profile: 'acme', credentials: { accessKeyId: KEY_ID, secretAccessKey: SECRET }, config: ROLE_CONFIG }, h.env));
      expect(error).toBeInstanceOf(SlipwayError);
      expect(error.message).toBe(`Cannot read ${h.config}.`);
      expect(error.fix).toContain(`mv ${h.config}`);
      expect(read(h.credentials)).toBe(EXISTING_CREDENTIALS);
      expect(errorText(error)).not.toContain(SECRET);
    });

    it('the second file failing at the last step (its rename) puts the first one back — works as root too', () => {
      const h = tempHome({ credentials: EXISTING_CREDENTIALS, config: EXISTING_CONFIG });
      // A folder at the backup's path makes the config write fail after the credentials were written.
      mkdirSync(`${h.config}.slipway-backup`);
      const error = thrown(() => writeAwsProfile({ profile: 'acme', credentials: { accessKeyId: KEY_ID, secretAccessKey: SECRET }, config: ROLE_CONFIG }, h.env));
      expect(error).toBeInstanceOf(SlipwayError);
      expect(error.message).toBe(`Cannot write ${h.config}.slipway-backup.`);
      expect(error.fix).toContain(h.config);
      expect(errorText(error)).not.toContain(SECRET);
      expect(read(h.credentials)).toBe(EXISTING_CREDENTIALS);
      expect(read(h.config)).toBe(EXISTING_CONFIG);
      // No temp file (which would hold the new secret) is left behind.
      expect(readdirSync(h.aws).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    });

    it('a new credentials file is removed again when the config write fails', () => {
      const h = tempHome({ config: EXISTING_CONFIG });
      mkdirSync(`${h.config}.slipway-backup`);
      thrown(() => writeAwsProfile({ profile: 'acme', credentials: { accessKeyId: KEY_ID, secretAccessKey: SECRET }, config: ROLE_CONFIG }, h.env));
      expect(existsSync(h.credentials)).toBe(false);
      expect(read(h.config)).toBe(EXISTING_CONFIG);
    });

    const blocks = chmodBlocksWrites();
    if (!blocks) console.warn('aws-profile-files.test: running as root, where chmod 0500 does not stop writes — skipping the read-only ~/.aws case (the folder-in-the-way cases above cover the same path).');
    it.skipIf(!blocks)('an unwritable ~/.aws (chmod 0500) gives an error naming the path and chmod/chown, files intact [skipped as root]', () => {
      const h = tempHome({ credentials: EXISTING_CREDENTIALS, config: EXISTING_CONFIG });
      chmodSync(h.aws, 0o500);
      const error = thrown(() => writeAwsProfile({ profile: 'acme', credentials: { accessKeyId: KEY_ID, secretAccessKey: SECRET } }, h.env));
      chmodSync(h.aws, 0o700);
      expect(error.message).toContain(h.credentials);
      expect(error.fix).toContain(h.aws);
      expect(error.fix).toMatch(/chmod 700/);
      expect(error.fix).toMatch(/chown/);
      expect(errorText(error)).not.toContain(SECRET);
      expect(read(h.credentials)).toBe(EXISTING_CREDENTIALS);
      expect(read(h.config)).toBe(EXISTING_CONFIG);
    });
  });

  it.skipIf(!hasAwsCli())('the AWS CLI (botocore) reads the written profile back [skipped without the aws command]', () => {
    const h = tempHome({ credentials: EXISTING_CREDENTIALS, config: EXISTING_CONFIG });
    writeAwsProfile({ profile: 'acme', credentials: { accessKeyId: KEY_ID, secretAccessKey: SECRET }, config: { region: 'ap-south-1', output: 'text' } }, h.env);
    const get = (key: string, profile: string) =>
      execFileSync('aws', ['configure', 'get', key, '--profile', profile], { env: { ...process.env, ...h.env, AWS_PROFILE: '' }, encoding: 'utf8' }).trim();
    expect(get('region', 'acme')).toBe('ap-south-1');
    expect(get('aws_access_key_id', 'acme')).toBe(KEY_ID);
    expect(get('region', 'work')).toBe('eu-west-1');
  });
});

describe('readAwsProfile', () => {
  it('tells whether a secret is there but never returns it', () => {
    const h = tempHome({ credentials: EXISTING_CREDENTIALS, config: EXISTING_CONFIG });
    const profile = readAwsProfile('acme', h.env);
    expect(profile).toEqual({
      credentials: { accessKeyId: 'AKIAOLDOLDOLDOLD0000', hasSecret: true },
      config: { region: 'eu-central-1', output: 'table', s3: '' },
    });
    expect(JSON.stringify(profile)).not.toContain('oldsecret');
    expect(readAwsProfile('missing', h.env)).toEqual({});
    expect(readAwsProfile('acme', tempHome().env)).toEqual({});
  });
});

describe('profileConflicts', () => {
  it('lists the existing keys that would get another value or be dropped — names only', () => {
    const h = tempHome({ credentials: EXISTING_CREDENTIALS, config: EXISTING_CONFIG });
    expect(profileConflicts('acme', { config: { region: 'eu-central-1', role_arn: 'arn:aws:iam::1:role/admin' } }, h.env)).toEqual([]);
    expect(profileConflicts('acme', { config: { region: 'us-east-1', OUTPUT: 'table' } }, h.env)).toEqual(['region']);
    const conflicts = profileConflicts('acme', { credentials: { accessKeyId: KEY_ID, secretAccessKey: SECRET }, config: ROLE_CONFIG }, h.env);
    expect(conflicts).toEqual(['aws_access_key_id', 'aws_secret_access_key', 'aws_session_token', 'region']);
    expect(profileConflicts('new', { config: ROLE_CONFIG }, h.env)).toEqual([]);
  });
});

describe('explainFileError', () => {
  const path = '/home/me/.aws/credentials';
  const fsError = (code: string) => Object.assign(new Error(`${code}: failed, open '${path}'`), { code });

  it('EACCES names the folder, chmod and chown', () => {
    const error = explainFileError(fsError('EACCES'), path, 'write');
    expect(error.message).toBe(`Cannot write ${path}.`);
    expect(error.fix).toContain('chmod 700 /home/me/.aws');
    expect(error.fix).toContain('chmod 600 /home/me/.aws/credentials');
    expect(error.fix).toContain('sudo chown -R');
  });

  it('EROFS explains the read-only filesystem and names the folder', () => {
    const error = explainFileError(fsError('EROFS'), path, 'write');
    expect(error.why).toMatch(/read-only/);
    expect(error.fix).toContain('/home/me/.aws');
  });
});

function hasAwsCli(): boolean {
  try {
    execFileSync('aws', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
