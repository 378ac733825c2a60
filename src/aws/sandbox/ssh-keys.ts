import { createHash, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { fault } from './errors.js';

export interface PublicKeyInfo {
  type: 'rsa' | 'ed25519';
  /** What EC2 reports for an imported key. */
  fingerprint: string;
  /** `ssh-rsa AAAA…` / `ssh-ed25519 AAAA…`, as DescribeKeyPairs returns with IncludePublicKey. */
  openssh: string;
}

const invalidFormat = () => fault('InvalidKey.Format', 'Key is not in valid OpenSSH public key format', 400);

/** Colon-separated lower-case hex, as EC2 prints MD5 and SHA-1 fingerprints. */
function colonHex(digest: Buffer): string {
  return digest.toString('hex').replace(/(..)(?!$)/g, '$1:');
}

/** SSH wire strings: a 4-byte big-endian length, then the bytes. */
function readStrings(blob: Buffer): Buffer[] {
  const parts: Buffer[] = [];
  for (let at = 0; at < blob.length; ) {
    if (at + 4 > blob.length) throw invalidFormat();
    const length = blob.readUInt32BE(at);
    if (at + 4 + length > blob.length) throw invalidFormat();
    parts.push(blob.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return parts;
}

function sshString(bytes: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/** mpint: big-endian, with a 0 byte in front when the top bit is set (so it stays positive). */
function mpint(unsigned: Buffer): Buffer {
  const trimmed = unsigned.subarray(unsigned.findIndex((b) => b !== 0));
  return sshString(trimmed[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

const unsignedOf = (bytes: Buffer) => bytes.subarray(bytes.findIndex((b) => b !== 0));

/** EC2's fingerprint of an imported RSA key: MD5 of the DER SubjectPublicKeyInfo. */
function rsaInfo(key: KeyObject): PublicKeyInfo {
  const jwk = key.export({ format: 'jwk' });
  const blob = Buffer.concat([sshString(Buffer.from('ssh-rsa')), mpint(Buffer.from(jwk.e ?? '', 'base64url')), mpint(Buffer.from(jwk.n ?? '', 'base64url'))]);
  const spki = key.export({ type: 'spki', format: 'der' });
  return { type: 'rsa', fingerprint: colonHex(createHash('md5').update(spki).digest()), openssh: `ssh-rsa ${blob.toString('base64')}` };
}

/** For ED25519, EC2 reports the SHA-256 digest of the SSH key blob in base64 (OpenSSH's form). */
function ed25519Info(blob: Buffer): PublicKeyInfo {
  return { type: 'ed25519', fingerprint: createHash('sha256').update(blob).digest('base64'), openssh: `ssh-ed25519 ${blob.toString('base64')}` };
}

/** Reads what ImportKeyPair accepts: an OpenSSH public key line, or a PEM public key. */
export function importedKeyInfo(material: string): PublicKeyInfo {
  const text = material.trim();
  if (text.startsWith('-----BEGIN')) {
    let key: KeyObject;
    try {
      key = createPublicKey(text);
    } catch {
      throw invalidFormat();
    }
    if (key.asymmetricKeyType !== 'rsa') throw invalidFormat();
    return rsaInfo(key);
  }
  const [type, data] = text.split(/\s+/);
  if (!data || (type !== 'ssh-rsa' && type !== 'ssh-ed25519')) throw invalidFormat();
  const blob = Buffer.from(data, 'base64');
  const [name, first, second] = readStrings(blob);
  if (name?.toString() !== type) throw invalidFormat();
  if (type === 'ssh-ed25519') {
    if (first?.length !== 32) throw invalidFormat();
    return ed25519Info(blob);
  }
  if (!first || !second) throw invalidFormat();
  try {
    return rsaInfo(createPublicKey({ key: { kty: 'RSA', e: unsignedOf(first).toString('base64url'), n: unsignedOf(second).toString('base64url') }, format: 'jwk' }));
  } catch {
    throw invalidFormat();
  }
}

/** CreateKeyPair (RSA): PKCS#1 PEM private key; fingerprint is the SHA-1 of the DER PKCS#8 private key. */
export function createRsaKeyPair(): { privateKeyPem: string; info: PublicKeyInfo } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'der' });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    info: { ...rsaInfo(publicKey), fingerprint: colonHex(createHash('sha1').update(pkcs8).digest()) },
  };
}
