import { randomInt } from 'node:crypto';

/** The parts of an account password policy that shape a generated password. */
export interface PasswordPolicy {
  MinimumPasswordLength?: number;
  RequireSymbols?: boolean;
  RequireNumbers?: boolean;
  RequireUppercaseCharacters?: boolean;
  RequireLowercaseCharacters?: boolean;
}

const SETS = {
  upper: 'ABCDEFGHJKLMNPQRSTUVWXYZ',
  lower: 'abcdefghijkmnopqrstuvwxyz',
  digits: '23456789',
  // IAM's symbol set; the look-alike-free subset avoids misreading a password shown once.
  symbols: '!@#$%^&*()_+-=[]{}',
};

/**
 * A random one-time password that satisfies the account's policy (or IAM's default: 8+ characters,
 * three of four character classes) — always with all four classes, at least 20 characters.
 */
export function generatePassword(policy: PasswordPolicy = {}): string {
  const length = Math.max(20, policy.MinimumPasswordLength ?? 0);
  const all = Object.values(SETS).join('');
  const chars = Object.values(SETS).map((set) => pick(set));
  while (chars.length < length) chars.push(pick(all));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j] ?? '', chars[i] ?? ''];
  }
  return chars.join('');
}

function pick(set: string): string {
  return set[randomInt(set.length)] ?? 'x';
}
