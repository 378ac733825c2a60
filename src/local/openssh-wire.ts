import type { KeyObject } from 'node:crypto';

/**
 * The SSH wire encoding of public keys (RFC 4253 §6.6), shared by slipway's key files and the
 * sandbox's EC2 so both read and write `ssh-rsa AAAA…` lines the same way.
 */

/** A wire string: a 4-byte big-endian length, then the bytes. */
export function sshString(bytes: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/** The wire strings of a key blob, or undefined when it is cut short. */
export function readSshStrings(blob: Buffer): Buffer[] | undefined {
  const parts: Buffer[] = [];
  for (let at = 0; at < blob.length; ) {
    if (at + 4 > blob.length) return undefined;
    const length = blob.readUInt32BE(at);
    if (at + 4 + length > blob.length) return undefined;
    parts.push(blob.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return parts;
}

export function unsigned(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length && bytes[start] === 0) start++;
  return bytes.subarray(start);
}

/** A positive mpint has no leading zero bytes, except one when the top bit is set (it would read as negative). */
export function mpint(bytes: Buffer): Buffer {
  const trimmed = unsigned(bytes);
  return trimmed.length > 0 && (trimmed[0]! & 0x80) !== 0 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed;
}

/** `ssh-rsa AAAA…` for an RSA public key: string "ssh-rsa", mpint e, mpint n. */
export function rsaOpenSsh(publicKey: KeyObject): string | undefined {
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.kty !== 'RSA' || !jwk.n || !jwk.e) return undefined;
  const blob = Buffer.concat([sshString(Buffer.from('ssh-rsa')), sshString(mpint(Buffer.from(jwk.e, 'base64url'))), sshString(mpint(Buffer.from(jwk.n, 'base64url')))]);
  return `ssh-rsa ${blob.toString('base64')}`;
}

/** Colon-separated lower-case hex, as EC2 prints MD5 and SHA-1 fingerprints. */
export function colonHex(digest: Buffer): string {
  return [...digest].map((byte) => byte.toString(16).padStart(2, '0')).join(':');
}
