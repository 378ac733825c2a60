import { execFileSync } from 'node:child_process';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlipwayError, UsageError } from '../../src/engine/errors.js';
import {
  KeyFileExistsError,
  fingerprintOfImportedKey,
  fingerprintOfPrivateKeyFile,
  generateKeyPair,
  generateKeyPairAsync,
  privateKeyPath,
  publicKeyOfPrivateKeyFile,
  writePrivateKey,
} from '../../src/local/ssh-key.js';
import type { KeyPairMaterial } from '../../src/local/ssh-key.js';

/**
 * A fixed vector, so the fingerprint is checked even where openssl is missing. Made with
 * `ssh-keygen -t rsa -b 1024 -m PEM -N '' -C vector`; the expected value came from
 * `openssl pkey -in vec -pubout -outform DER | openssl md5 -c` (OpenSSL 3.0.19) and agrees with
 * `ssh-keygen -e -m PKCS8 -f vec.pub | openssl pkey -pubin -outform DER | openssl md5 -c`.
 * `ssh-keygen -l -E md5` (the RFC 4716 MD5 the API docs mention) prints 0a:88:c8:…, which is not what EC2 shows.
 */
const VECTOR_PUBLIC =
  'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQCy4iqGD1l4Myr5LtEsWEnHsDXTFGmoQcpcHhBdzdA2Tq3nwwxsXToONTQlHr7q6nYZPnhzQE1hv1mA5YeiHgzFu4mlLidY10hzTCYNFAWZVWvu3/yXiLZEVtGBNG+QfzS26Fhvw0Zjpyr3a7kfihh4CPa6I6dRXxOh9W8hnX1IhQ== vector';
const VECTOR_FINGERPRINT = '47:93:c9:82:d1:04:d1:9d:90:99:af:a7:13:6c:9b:27';
const VECTOR_SSH_KEYGEN_MD5 = '0a:88:c8:42:ef:0c:06:71:67:59:8f:d2:74:c6:ce:b2';

const has = (command: string, args: string[]) => {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const HAS_OPENSSL = has('openssl', ['version']);
const HAS_SSH_KEYGEN = has('sh', ['-c', 'command -v ssh-keygen']);
if (!HAS_OPENSSL) console.warn('ssh-key.test: openssl not found — skipping the openssl cross-checks; the fixed vector still checks the fingerprint.');
if (!HAS_SSH_KEYGEN) console.warn('ssh-key.test: ssh-keygen not found — skipping the check that ssh accepts the written key.');

let scratch: string;
let env: NodeJS.ProcessEnv;
let pair: KeyPairMaterial;
let keyFile: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'slipway-ssh-'));
  env = { HOME: scratch };
  pair = generateKeyPair();
  keyFile = writePrivateKey('admin', pair.privateKeyPem, env).path;
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** `… | openssl <digest> -c` prints `MD5(stdin)= aa:bb:…`. */
function opensslDigest(der: Buffer, digest: 'md5' | 'sha1'): string {
  return execFileSync('openssl', [digest, '-c'], { input: der }).toString().trim().split(/\s+/).at(-1)!;
}

describe('generateKeyPair', () => {
  it('makes an RSA 4096 key: PKCS#1 PEM, an ssh-rsa public line and a colon-hex MD5 fingerprint', () => {
    expect(pair.privateKeyPem.startsWith('-----BEGIN RSA PRIVATE KEY-----\n')).toBe(true);
    expect(pair.privateKeyPem.trimEnd().endsWith('-----END RSA PRIVATE KEY-----')).toBe(true);
    expect(createPrivateKey(pair.privateKeyPem).asymmetricKeyDetails?.modulusLength).toBe(4096);
    expect(pair.publicKeyOpenSsh).toMatch(/^ssh-rsa AAAAB3NzaC1yc2E[0-9A-Za-z+/]+=* slipway$/);
    expect(pair.fingerprint).toMatch(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
    expect(fingerprintOfImportedKey(pair.publicKeyOpenSsh)).toBe(pair.fingerprint);
  });

  it('has an async twin that keeps the event loop free', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const other = await generateKeyPairAsync('me@laptop');
    clearInterval(timer);
    expect(other.publicKeyOpenSsh.endsWith(' me@laptop')).toBe(true);
    expect(other.fingerprint).not.toBe(pair.fingerprint);
    expect(ticks).toBeGreaterThan(0);
  });
});

describe('fingerprints', () => {
  it('matches the documented vector (MD5 of the DER public key, not ssh-keygen’s MD5)', () => {
    expect(fingerprintOfImportedKey(VECTOR_PUBLIC)).toBe(VECTOR_FINGERPRINT);
    expect(fingerprintOfImportedKey(VECTOR_PUBLIC)).not.toBe(VECTOR_SSH_KEYGEN_MD5);
    expect(fingerprintOfImportedKey(VECTOR_PUBLIC.replace(' vector', ''))).toBe(VECTOR_FINGERPRINT); // the comment is optional
  });

  it('reads the same fingerprint and public key back from the written file', () => {
    expect(fingerprintOfPrivateKeyFile(keyFile)).toBe(pair.fingerprint);
    expect(publicKeyOfPrivateKeyFile(keyFile)).toBe(pair.publicKeyOpenSsh);
  });

  it.skipIf(!HAS_OPENSSL)('agrees with openssl for imported keys: openssl pkey -pubout -outform DER | openssl md5 -c [needs openssl]', () => {
    const der = execFileSync('openssl', ['pkey', '-in', keyFile, '-pubout', '-outform', 'DER']);
    expect(fingerprintOfImportedKey(pair.publicKeyOpenSsh)).toBe(opensslDigest(der, 'md5'));
  });

  it.skipIf(!HAS_OPENSSL)('agrees with openssl for keys EC2 created: openssl pkcs8 -topk8 -nocrypt -outform DER | openssl sha1 -c [needs openssl]', () => {
    const der = execFileSync('openssl', ['pkcs8', '-in', keyFile, '-inform', 'PEM', '-outform', 'DER', '-topk8', '-nocrypt']);
    expect(fingerprintOfPrivateKeyFile(keyFile, 'created-by-ec2')).toBe(opensslDigest(der, 'sha1'));
  });

  it.skipIf(!HAS_OPENSSL || !HAS_SSH_KEYGEN)('parses the OpenSSH line itself as ssh-keygen + openssl do [needs openssl and ssh-keygen]', () => {
    const pub = join(scratch, 'line.pub');
    writeFileSync(pub, `${pair.publicKeyOpenSsh}\n`);
    const pkcs8 = execFileSync('ssh-keygen', ['-e', '-m', 'PKCS8', '-f', pub]);
    const der = execFileSync('openssl', ['pkey', '-pubin', '-outform', 'DER'], { input: pkcs8 });
    expect(fingerprintOfImportedKey(pair.publicKeyOpenSsh)).toBe(opensslDigest(der, 'md5'));
  });

  it('refuses what is not an OpenSSH RSA public key', () => {
    const blob = Buffer.from(VECTOR_PUBLIC.split(' ')[1]!, 'base64');
    const cases = [
      '',
      'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl me',
      'ssh-rsa not-base64!',
      `ssh-rsa ${blob.subarray(0, blob.length - 10).toString('base64')}`, // cut short
      `ssh-rsa ${Buffer.concat([blob, Buffer.from([0, 0, 0, 0])]).toString('base64')}`, // trailing bytes
    ];
    for (const line of cases) expect(() => fingerprintOfImportedKey(line), line).toThrow(UsageError);
  });
});

describe('writePrivateKey', () => {
  it('writes ~/.ssh/<name>.pem as 0600 in a 0700 ~/.ssh', () => {
    expect(keyFile).toBe(join(scratch, '.ssh', 'admin.pem'));
    expect(privateKeyPath('admin', env)).toBe(keyFile);
    expect(statSync(join(scratch, '.ssh')).mode & 0o777).toBe(0o700);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(keyFile, 'utf8')).toBe(pair.privateKeyPem);
  });

  it.skipIf(!HAS_SSH_KEYGEN)('is accepted by ssh: ssh-keygen -y gives the same public key [needs ssh-keygen]', () => {
    const derived = execFileSync('ssh-keygen', ['-y', '-f', keyFile]).toString().trim().split(/\s+/).slice(0, 2).join(' ');
    expect(derived).toBe(pair.publicKeyOpenSsh.split(' ').slice(0, 2).join(' '));
  });

  it('keeps the same key without rewriting it, fixing its mode', () => {
    const home = mkdtempSync(join(scratch, 'home-'));
    const first = writePrivateKey('same', pair.privateKeyPem, { HOME: home });
    execFileSync('chmod', ['644', first.path]);
    expect(writePrivateKey('same', pair.privateKeyPem, { HOME: home })).toEqual({ path: first.path, written: false });
    expect(statSync(first.path).mode & 0o777).toBe(0o600);
    // The same key in another encoding is still the same key.
    const pkcs8 = createPrivateKey(pair.privateKeyPem).export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(writePrivateKey('same', pkcs8.trimEnd(), { HOME: home }).written).toBe(false);
    expect(readFileSync(first.path, 'utf8')).toBe(pair.privateKeyPem);
  });

  it('refuses to replace a different key unless told to, and then keeps a backup', () => {
    const home = mkdtempSync(join(scratch, 'home-'));
    mkdirSync(join(home, '.ssh'), { mode: 0o755 });
    const path = join(home, '.ssh', 'admin.pem');
    const old = pair.privateKeyPem;
    writeFileSync(path, old, { mode: 0o600 });
    // 1024 bits is plenty for testing file handling, and quick.
    const other = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();

    const error = (() => {
      try {
        writePrivateKey('admin', other, { HOME: home });
      } catch (caught) {
        return caught as SlipwayError;
      }
      throw new Error('expected a refusal');
    })();
    expect(error).toBeInstanceOf(KeyFileExistsError);
    expect(error.fix).toContain(`mv ${path}`);
    expect(`${error.message}${error.why}${error.fix}`).not.toContain('PRIVATE KEY');
    expect(readFileSync(path, 'utf8')).toBe(old);

    const written = writePrivateKey('admin', other, { HOME: home }, { overwrite: true });
    expect(written).toEqual({ path, written: true, backupPath: `${path}.slipway-backup` });
    expect(readFileSync(path, 'utf8')).toBe(other);
    expect(readFileSync(`${path}.slipway-backup`, 'utf8')).toBe(old);
    expect(statSync(`${path}.slipway-backup`).mode & 0o777).toBe(0o600);
    expect(statSync(join(home, '.ssh')).mode & 0o777).toBe(0o755); // an existing ~/.ssh keeps its mode
  });

  it('refuses bad names and non-keys without echoing the key', () => {
    for (const name of ['', '../evil', 'a/b', '.hidden', 'with space']) {
      expect(() => writePrivateKey(name, pair.privateKeyPem, env), name).toThrow(UsageError);
    }
    const notAKey = '-----BEGIN RSA PRIVATE KEY-----\nc2VjcmV0LWJ1dC1ub3QtYS1rZXk=\n-----END RSA PRIVATE KEY-----\n';
    let error: SlipwayError | undefined;
    try {
      writePrivateKey('broken', notAKey, env);
    } catch (caught) {
      error = caught as SlipwayError;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect(`${error?.message}${error?.why}${error?.fix}`).not.toContain('c2VjcmV0');
    expect(existsSync(privateKeyPath('broken', env))).toBe(false);
  });

  it.skipIf(!HAS_SSH_KEYGEN)('explains a key in OpenSSH’s own format and how to convert it [needs ssh-keygen]', () => {
    const path = join(scratch, 'openssh-format');
    execFileSync('ssh-keygen', ['-q', '-t', 'rsa', '-b', '1024', '-N', '', '-f', path]);
    expect(() => fingerprintOfPrivateKeyFile(path)).toThrow(/OpenSSH's own format/);
  });

  it('says which file is missing', () => {
    expect(() => fingerprintOfPrivateKeyFile(join(scratch, 'nope.pem'))).toThrow(/nope\.pem does not exist/);
  });
});
