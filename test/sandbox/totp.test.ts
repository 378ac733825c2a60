import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, hotp, totp, totpAtStep, totpStep } from '../../src/sandbox/totp.js';

// RFC 6238 appendix B, SHA-1: the seed is the ASCII string "12345678901234567890".
const RFC_SEED = base32Encode(Buffer.from('12345678901234567890'));
const RFC_VECTORS: Array<[seconds: number, code: string]> = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('totp', () => {
  it('matches the RFC 6238 SHA-1 test vectors (8 digits)', () => {
    expect(RFC_SEED).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    for (const [seconds, code] of RFC_VECTORS) expect(totp(RFC_SEED, seconds * 1000, { digits: 8 })).toBe(code);
  });

  it('gives the 6-digit codes authenticator apps show: the same truncation, modulo 10^6', () => {
    for (const [seconds, code] of RFC_VECTORS) expect(totp(RFC_SEED, seconds * 1000)).toBe(code.slice(2));
  });

  it('matches RFC 4226 appendix D HOTP values', () => {
    const key = Buffer.from('12345678901234567890');
    const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
    expected.forEach((code, counter) => expect(hotp(key, counter)).toBe(code));
  });

  it('uses 30-second steps', () => {
    expect(totpStep(59_999)).toBe(1);
    expect(totpStep(60_000)).toBe(2);
    expect(totpAtStep(RFC_SEED, 1)).toBe(totp(RFC_SEED, 59_000));
  });
});

describe('base32', () => {
  it('encodes the RFC 4648 vectors (without padding, as AWS seeds come)', () => {
    const vectors: Array<[string, string]> = [['', ''], ['f', 'MY'], ['fo', 'MZXQ'], ['foo', 'MZXW6'], ['foob', 'MZXW6YQ'], ['fooba', 'MZXW6YTB'], ['foobar', 'MZXW6YTBOI']];
    for (const [plain, encoded] of vectors) {
      expect(base32Encode(Buffer.from(plain))).toBe(encoded);
      expect(Buffer.from(base32Decode(encoded)).toString()).toBe(plain);
    }
  });

  it('reads a seed as people copy it: lower case, grouped with spaces, padded', () => {
    expect(Buffer.from(base32Decode('mzxw 6ytb oi======')).toString()).toBe('foobar');
  });

  it('round-trips 40 random bytes (the size of an AWS seed) into 64 characters', () => {
    const bytes = Uint8Array.from({ length: 40 }, (_, i) => (i * 37 + 11) & 255);
    const text = base32Encode(bytes);
    expect(text).toHaveLength(64);
    expect(base32Decode(text)).toEqual(bytes);
  });

  it('refuses characters outside the alphabet', () => {
    expect(() => base32Decode('MZ1W')).toThrow(/not a base32 character/);
  });
});
