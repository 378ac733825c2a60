import { createHash, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { colonHex, readSshStrings, rsaOpenSsh, unsigned } from '../local/openssh-wire.js';
import { fault } from './errors.js';

export interface PublicKeyInfo {
  type: 'rsa' | 'ed25519';
  /** What EC2 reports for an imported key. */
  fingerprint: string;
  /** `ssh-rsa AAAA…` / `ssh-ed25519 AAAA…`, as DescribeKeyPairs returns with IncludePublicKey. */
  openssh: string;
}

const invalidFormat = () => fault('InvalidKey.Format', 'Key is not in valid OpenSSH public key format', 400);






/** EC2's fingerprint of an imported RSA key: MD5 of the DER SubjectPublicKeyInfo. */
function rsaInfo(key: KeyObject): PublicKeyInfo {
  const spki = key.export({ type: 'spki', format: 'der' });
  const openssh = rsaOpenSsh(key);
  if (!openssh) throw invalidFormat();
  return { type: 'rsa', fingerprint: colonHex(createHash('md5').update(spki).digest()), openssh };
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
  const parts = readSshStrings(blob);
  if (!parts) throw invalidFormat();
  const [name, first, second] = parts;
  if (name?.toString() !== type) throw invalidFormat();
  if (type === 'ssh-ed25519') {
    if (first?.length !== 32) throw invalidFormat();
    return ed25519Info(blob);
  }
  if (!first || !second) throw invalidFormat();
  try {
    return rsaInfo(createPublicKey({ key: { kty: 'RSA', e: unsigned(first).toString('base64url'), n: unsigned(second).toString('base64url') }, format: 'jwk' }));
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
