import { createHash, createPrivateKey, createPublicKey, generateKeyPair as generateKeyPairCallback, generateKeyPairSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SlipwayError, UsageError } from '../engine/errors.js';
import { home } from '../engine/paths.js';
import { makePrivate, readExisting, writeBackup, writePrivateFile } from './backup.js';
import { colonHex, readSshStrings, rsaOpenSsh, unsigned } from './openssh-wire.js';

/**
 * EC2 key pairs made on this machine and imported (ec2:ImportKeyPair), so the private key exists on
 * disk before AWS knows the key: a flow interrupted at any point can resume without losing it, which
 * CreateKeyPair (private key returned once) cannot promise.
 */

export interface KeyPairMaterial {
  /** PKCS#1 ("BEGIN RSA PRIVATE KEY"): what ssh reads and what EC2's own .pem downloads look like. */
  privateKeyPem: string;
  /** `ssh-rsa AAAA… <comment>`, the form ImportKeyPair accepts. */
  publicKeyOpenSsh: string;
  /** What EC2 reports as KeyFingerprint once this public key is imported. */
  fingerprint: string;
}

export class KeyFileExistsError extends SlipwayError {
  readonly path: string;
  constructor(path: string) {
    super(`${path} already exists and holds a different key.`, {
      why: 'Replacing it would lose that key, and with it SSH access to the instances that use it.',
      fix: `Keep it and pick another key name, or move it away (mv ${path} ${path}.old) and run this again.`,
    });
    this.name = 'KeyFileExistsError';
    this.path = path;
  }
}

const RSA = { modulusLength: 4096, publicExponent: 0x10001 } as const;
const generateRsa = promisify(generateKeyPairCallback);

/**
 * A new RSA 4096 key pair. This blocks the event loop for one to four seconds (measured on these
 * machines); in the TUI prefer generateKeyPairAsync, so the screen and Ctrl-C stay responsive.
 */
export function generateKeyPair(comment = 'slipway'): KeyPairMaterial {
  return materialOf(generateKeyPairSync('rsa', RSA).privateKey, comment);
}

/** The same as generateKeyPair, computed on libuv's thread pool. */
export async function generateKeyPairAsync(comment = 'slipway'): Promise<KeyPairMaterial> {
  return materialOf((await generateRsa('rsa', RSA)).privateKey, comment);
}

/**
 * EC2's KeyFingerprint for an imported RSA key: MD5 of the DER SubjectPublicKeyInfo, as
 * `openssl pkey -pubout -outform DER | openssl md5 -c` prints it. (The API docs say "RFC 4716 MD5",
 * which would be `ssh-keygen -l -E md5`; EC2's own user guide and its answers use the openssl form.)
 */
export function fingerprintOfImportedKey(publicKeyOpenSsh: string): string {
  return colonHex(createHash('md5').update(spkiDer(publicKeyFromOpenSsh(publicKeyOpenSsh))).digest());
}

/**
 * The fingerprint EC2 shows for the key in `path`. `imported` (slipway's keys): MD5 of the public key.
 * `created-by-ec2` (a key from CreateKeyPair or the console, like the book's admin.pem): SHA-1 of the
 * PKCS#8 DER private key, as `openssl pkcs8 -topk8 -nocrypt -outform DER | openssl sha1 -c` prints it.
 */
export function fingerprintOfPrivateKeyFile(path: string, origin: 'imported' | 'created-by-ec2' = 'imported'): string {
  const key = loadPrivateKey(path);
  if (origin === 'created-by-ec2') return colonHex(createHash('sha1').update(key.export({ type: 'pkcs8', format: 'der' })).digest());
  return colonHex(createHash('md5').update(spkiDer(createPublicKey(key))).digest());
}

/** The OpenSSH public key of an existing private key file: to import a key left by an interrupted run. */
export function publicKeyOfPrivateKeyFile(path: string, comment = 'slipway'): string {
  return `${openSshPublicKey(createPublicKey(loadPrivateKey(path)))} ${comment}`;
}

export function privateKeyPath(name: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(home(env), '.ssh', `${checkKeyName(name)}.pem`);
}

/**
 * Writes `~/.ssh/<name>.pem` (0600; `~/.ssh` created 0700). The same key already there is kept (its
 * mode fixed); a different one is only replaced with `overwrite`, and then backed up first.
 */
export function writePrivateKey(name: string, pem: string, env: NodeJS.ProcessEnv = process.env, options: { overwrite?: boolean } = {}): { path: string; written: boolean; backupPath?: string } {
  const path = privateKeyPath(name, env);
  const key = parsePrivateKey(pem, 'The key to write');
  const content = pem.endsWith('\n') ? pem : `${pem}\n`; // some ssh versions reject a key without a final newline
  const existing = readExisting(path);
  if (existing && holdsSameKey(existing.bytes, key)) {
    makePrivate(path, existing.mode);
    return { path, written: false };
  }
  if (existing && !options.overwrite) throw new KeyFileExistsError(path);
  const backupPath = existing ? writeBackup(path, existing.bytes) : undefined;
  writePrivateFile(path, content);
  return { path, written: true, ...(backupPath ? { backupPath } : {}) };
}

/** The same key in another encoding (PKCS#8, no final newline) is still the same key: keep the file. */
function holdsSameKey(bytes: Buffer, key: KeyObject): boolean {
  try {
    return spkiDer(createPublicKey(createPrivateKey(bytes.toString('utf8')))).equals(spkiDer(createPublicKey(key)));
  } catch {
    return false; // unreadable (passphrase, OpenSSH format): not known to be the same
  }
}

function materialOf(privateKey: KeyObject, comment: string): KeyPairMaterial {
  const publicKeyOpenSsh = `${openSshPublicKey(createPublicKey(privateKey))} ${comment}`;
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    publicKeyOpenSsh,
    fingerprint: fingerprintOfImportedKey(publicKeyOpenSsh),
  };
}

function openSshPublicKey(publicKey: KeyObject): string {
  const line = rsaOpenSsh(publicKey);
  if (!line) throw new UsageError('Only RSA keys are supported for EC2 key pairs here.');
  return line;
}

function publicKeyFromOpenSsh(publicKeyOpenSsh: string): KeyObject {
  const notRsa = (why: string) =>
    new UsageError('That is not an OpenSSH RSA public key.', { why, fix: 'Use the one line from a .pub file that starts with "ssh-rsa AAAA".' });
  const [type, base64] = publicKeyOpenSsh.trim().split(/\s+/);
  if (type !== 'ssh-rsa') throw notRsa(type ? `It starts with "${type}"; EC2 fingerprints are computed here for ssh-rsa keys only.` : 'It is empty.');
  const blob = Buffer.from(base64 ?? '', 'base64');
  if (!base64 || blob.toString('base64') !== base64) throw notRsa('The part after "ssh-rsa" is not valid base64.');
  const parts = readSshStrings(blob);
  if (parts?.[0]?.toString() !== 'ssh-rsa') throw notRsa('Its encoded key type is not ssh-rsa.');
  const [, e, n, extra] = parts;
  if (!e || !n || extra) throw notRsa('The key data is cut short or has extra bytes.');
  try {
    return createPublicKey({ key: { kty: 'RSA', e: unsigned(e).toString('base64url'), n: unsigned(n).toString('base64url') }, format: 'jwk' });
  } catch {
    throw notRsa('Its numbers do not form an RSA key.');
  }
}





function spkiDer(publicKey: KeyObject): Buffer {
  return publicKey.export({ type: 'spki', format: 'der' });
}


function loadPrivateKey(path: string): KeyObject {
  const existing = readExisting(path);
  if (!existing) {
    throw new SlipwayError(`${path} does not exist.`, { fix: `Check the key name, or look for the file with: ls -l ${path}` });
  }
  return parsePrivateKey(existing.bytes.toString('utf8'), path);
}

/** Never puts the key's text into an error. */
function parsePrivateKey(pem: string, what: string): KeyObject {
  if (pem.includes('BEGIN OPENSSH PRIVATE KEY')) {
    throw new UsageError(`${what} is in OpenSSH's own format, which slipway cannot read.`, {
      fix: 'Convert a copy to PEM: cp KEY KEY.pem && ssh-keygen -p -m PEM -f KEY.pem (it asks for the passphrase).',
    });
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new UsageError(`${what} is not a readable private key.`, {
      why: code === 'ERR_MISSING_PASSPHRASE' ? 'It is protected by a passphrase.' : 'It is not an unencrypted PEM private key.',
      fix: code === 'ERR_MISSING_PASSPHRASE' ? 'Remove the passphrase from a copy: ssh-keygen -p -m PEM -f COPY.pem' : 'Use the .pem file EC2 or slipway wrote.',
    });
  }
  if (key.asymmetricKeyType !== 'rsa') throw new UsageError(`${what} is a ${key.asymmetricKeyType ?? 'non-RSA'} key; only RSA keys are handled here.`);
  return key;
}

function checkKeyName(name: string): string {
  if (!/^[A-Za-z0-9_@+-][A-Za-z0-9_.@+-]{0,254}$/.test(name)) {
    throw new UsageError(`"${name}" cannot be used as a key pair name here.`, {
      why: 'It becomes the file name ~/.ssh/<name>.pem: use letters, digits and _ . - @ + only, not starting with a dot.',
    });
  }
  return name;
}
