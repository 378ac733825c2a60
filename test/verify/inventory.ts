import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createSandbox } from '../../src/sandbox/store.js';
import type { SandboxState } from '../../src/sandbox/state.js';

// What a world holds at the end of a run, with everything that legitimately differs between two runs
// (ids, ARN suffixes, keys, timestamps, digests of recorded images) mapped to placeholders, so an
// interrupted-then-resumed run can be compared with an uninterrupted one: same resources, no duplicates,
// no orphans. No vitest imports.

/**
 * Parts of the account that record how a run went rather than what it made: the clock, role sessions
 * (a resumed run assumes the role again), the sandbox's own id sequence, the ECS simulation's
 * bookkeeping, service events and task history (a rollout killed while it watches is watched again,
 * with more polls), the log streams of those tasks and their load-balancer targets.
 */
const EPHEMERAL_KEYS = new Set(['clock', 'sessions', 'sequence', 'nextEventAt', 'events', 'streams', 'tasks', 'targets', 'lastUsed', 'lastUsedDate']);

/** Values made at random each run (key material, hashes of generated passwords, MFA code steps). */
const RANDOM_KEYS = /^(secret|secretAccessKey|token|publicKey|publicKeyMaterial|keyFingerprint|fingerprint|passwordSha256|usedSteps|seed|password|clientToken|idempotencyToken)$/;

const PATTERNS: [RegExp, string][] = [
  [/(aws_secret_access_key|aws_session_token)(\s*=\s*)\S+/g, '$1$2<secret>'],
  [/\b(ssh-rsa|ssh-ed25519|ecdsa-sha2-nistp256) [A-Za-z0-9+/=]+/g, '$1 <public key>'],
  [/-----BEGIN [A-Z ]+-----[\s\S]*?-----END [A-Z ]+-----\n?/g, '<pem>'],
  [/\b(AKIA|ASIA|AIDA|AGPA|AROA|ANPA|ANVA|AIPA|ASCA|APKA)[A-Z0-9]{12,20}\b/g, '<$1>'],
  [/sha256:[0-9a-f]{64}/g, 'sha256:<digest>'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, '<uuid>'],
  [/\b(sg|subnet|vpc|key|eni|igw|rtb|acl|i)-[0-9a-f]{8,17}\b/g, '$1-<id>'],
  [/\b\d{12}\b/g, '<account>'],
  [/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>'],
  // ARN suffixes the service makes up: ECS task/deployment ids, ELB hashes, key fingerprints.
  [/\/[0-9a-f]{16,32}\b/g, '/<id>'],
  [/\/[A-Za-z0-9]{22}\b/g, '/<id>'],
  [/-\d{8,10}(\.[a-z0-9-]+\.elb\.amazonaws\.com)/g, '-<n>$1'],
  [/\b[0-9a-f]{2}(:[0-9a-f]{2}){15,}\b/g, '<fingerprint>'],
  [/\bfault-[0-9a-f]+\b/g, '<request>'],
  // Each publish world has an app of its own (test/verify/worlds.ts): a registry shared by all of them
  // must not already hold the image.
  [/\bverify-\d+-\d+-[a-z0-9]+\b/g, 'verify-<app>'],
];

export function normaliseText(text: string): string {
  return PATTERNS.reduce((out, [pattern, placeholder]) => out.replace(pattern, placeholder), text);
}

/** Times are numbers (epoch ms) or named …At: both become placeholders. Keys are normalised too. */
export function normalise(value: unknown, key = ''): unknown {
  if (typeof value === 'string') return /(At|Date|Time|time)$/.test(key) ? '<time>' : normaliseText(value);
  if (typeof value === 'number') return value > 1e12 || /(At|Date|Time|time|Ms)$/.test(key) ? '<time>' : value;
  if (Array.isArray(value)) return value.map((v) => normalise(v, key)).sort(byJson);
  if (value === null || typeof value !== 'object') return value;
  const groups = new Map<string, unknown[]>();
  for (const [k, v] of Object.entries(value)) {
    if (EPHEMERAL_KEYS.has(k)) continue;
    const name = normaliseText(k);
    groups.set(name, [...(groups.get(name) ?? []), RANDOM_KEYS.test(k) ? '<random>' : normalise(v, k)]);
  }
  // Entries keyed by ids that normalise alike (sg-<id>…) stay apart, in an order of their own content,
  // so a duplicate shows and the order ids happened to get does not.
  const out: Record<string, unknown> = {};
  for (const name of [...groups.keys()].sort()) {
    const values = (groups.get(name) ?? []).sort(byJson);
    values.forEach((v, i) => (out[i === 0 ? name : `${name}#${i + 1}`] = v));
  }
  return out;
}

function byJson(a: unknown, b: unknown): number {
  return JSON.stringify(a).localeCompare(JSON.stringify(b));
}

export function sandboxState(work: string): SandboxState {
  return createSandbox({ file: join(work, 'sandbox.json') }).snapshot();
}

/** The local files a flow makes (under HOME, minus slipway's own state), normalised, with their modes. */
export function localFiles(work: string): Record<string, string> {
  const home = join(work, 'home');
  const out: Record<string, string> = {};
  const walk = (path: string) => {
    if (!existsSync(path)) return;
    const rel = relative(home, path);
    if (rel === '.local' || rel === '.docker' || rel.startsWith('app/.git') || rel === 'app/.git') return;
    const stat = lstatSync(path);
    if (stat.isDirectory()) {
      for (const name of readdirSync(path)) walk(join(path, name));
      return;
    }
    const mode = (stat.mode & 0o777).toString(8);
    const content = rel.endsWith('.json') ? JSON.stringify(normalise(JSON.parse(readFileSync(path, 'utf8')))) : normaliseText(readFileSync(path, 'utf8'));
    out[rel] = `${mode} ${content}`;
  };
  walk(home);
  return out;
}

/** Everything compared between a resumed run and the uninterrupted one. */
export function inventory(work: string): { account: unknown; files: Record<string, string> } {
  return { account: normalise(sandboxState(work)), files: localFiles(work) };
}

/** The first few differences between two inventories, as paths, for a readable failure. */
export function differences(a: unknown, b: unknown, path = '', out: string[] = []): string[] {
  if (out.length >= 8) return out;
  if (JSON.stringify(a) === JSON.stringify(b)) return out;
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((item, i) => differences(item, b[i], `${path}[${i}]`, out));
    return out;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) differences((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${path}/${key}`, out);
    return out;
  }
  out.push(`${path || '/'}: expected ${JSON.stringify(a)?.slice(0, 300)} got ${JSON.stringify(b)?.slice(0, 300)}`);
  return out;
}
