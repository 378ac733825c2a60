import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { SandboxState } from './state.js';

const UPPER_BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const BASE64ISH = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * Makes the identifiers AWS would: random by default, or reproducible from the sandbox's seed (a
 * counter in the state keeps a reopened sandbox from repeating itself), so e2e screenshots and
 * snapshots can pin ids.
 */
export class IdSource {
  constructor(private readonly state: Pick<SandboxState, 'seed' | 'clock'>) {}

  bytes(count: number): Buffer {
    const { seed } = this.state;
    if (seed === undefined) return randomBytes(count);
    const chunks: Buffer[] = [];
    let have = 0;
    while (have < count) {
      const chunk = createHmac('sha256', seed).update(String(this.state.clock.sequence++)).digest();
      chunks.push(chunk);
      have += chunk.length;
    }
    return Buffer.concat(chunks).subarray(0, count);
  }

  private chars(count: number, alphabet: string): string {
    return [...this.bytes(count)].map((b) => alphabet[b % alphabet.length]).join('');
  }

  /** 12 digits, never starting with 0 (some tools strip it). */
  accountId(): string {
    const digits = [...this.bytes(12)].map((b) => String(b % 10));
    if (digits[0] === '0') digits[0] = '1';
    return digits.join('');
  }

  /** IAM unique ids: AIDA… users, AROA… roles, AGPA… groups, ANPA… policies (21 characters). */
  uniqueId(prefix: 'AIDA' | 'AROA' | 'AGPA' | 'ANPA'): string {
    return prefix + this.chars(17, UPPER_BASE32);
  }

  /** AKIA… long-term keys, ASIA… session keys (20 characters). */
  accessKeyId(prefix: 'AKIA' | 'ASIA'): string {
    return prefix + this.chars(16, UPPER_BASE32);
  }

  secretAccessKey(): string {
    return this.chars(40, BASE64ISH);
  }

  sessionToken(): string {
    return 'IQoJb3JpZ2luX2Vj' + this.bytes(240).toString('base64');
  }

  /** EC2 resource ids: `key-` / `vpc-` plus 17 hex digits. */
  ec2Id(prefix: string): string {
    return `${prefix}-${this.bytes(9).toString('hex').slice(0, 17)}`;
  }
}

/** Ids that must be the same on every call without being stored (the default VPC of a region). */
export function stableEc2Id(prefix: string, ...parts: string[]): string {
  return `${prefix}-${createHash('sha256').update([prefix, ...parts].join(':')).digest('hex').slice(0, 17)}`;
}
