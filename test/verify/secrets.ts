import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { SandboxState } from '../../src/sandbox/state.js';

// The secret scanner of `npm run verify`: every scenario ends by looking for every secret it used in
// what must never hold one — journals, logs, --json output, what the children printed. No vitest here.

export interface Secret {
  /** What it is, for the report: "secret access key of alice", "MFA seed"… */
  kind: string;
  value: string;
}

export interface Source {
  /** A file path or "stdout of <run>". */
  name: string;
  content: string;
}

export interface ScanResult {
  hits: { kind: string; source: string }[];
  bytes: number;
  secrets: number;
  sources: number;
}

/** Shorter strings would match by chance; every real secret here is far longer. */
const MIN_LENGTH = 8;

/** Each secret also as it may be re-encoded on the way out: base64 (ECR tokens), JSON-escaped. */
function forms(secret: Secret): string[] {
  const { value } = secret;
  return [...new Set([value, Buffer.from(value).toString('base64'), JSON.stringify(value).slice(1, -1)])].filter((f) => f.length >= MIN_LENGTH);
}

export function scanForSecrets(secrets: Secret[], sources: Source[]): ScanResult {
  const hits: ScanResult['hits'] = [];
  const wanted = secrets.filter((s) => s.value.length >= MIN_LENGTH);
  for (const source of sources) {
    for (const secret of wanted) {
      if (forms(secret).some((form) => source.content.includes(form))) hits.push({ kind: secret.kind, source: source.name });
    }
  }
  return { hits, bytes: sources.reduce((n, s) => n + Buffer.byteLength(s.content), 0), secrets: wanted.length, sources: sources.length };
}

/** Every secret the sandbox account holds: access keys, session credentials, MFA seeds, the registry password, (console passwords are only hashed there: see personSecrets). */
export function sandboxSecrets(state: SandboxState): Secret[] {
  const out: Secret[] = [];
  for (const user of Object.values(state.iam.users)) {
    for (const key of user.accessKeys) out.push({ kind: `secret access key of ${user.name}`, value: key.secret });
  }
  for (const session of Object.values(state.sts.sessions)) {
    out.push({ kind: 'session secret key', value: session.secret }, { kind: 'session token', value: session.token });
  }
  for (const device of Object.values(state.iam.mfaDevices)) {
    out.push({ kind: 'MFA seed', value: device.seed });
  }
  const registry = state.ecr?.registry;
  if (registry?.password) out.push({ kind: 'ECR (registry) password', value: registry.password }, { kind: 'ECR authorization token', value: Buffer.from(`${registry.username}:${registry.password}`).toString('base64') });
  return out;
}

/** The secrets a verify world's scripted person held: the MFA seed it scanned, the passwords it was shown. */
export function personSecrets(work: string): Secret[] {
  const out: Secret[] = [];
  const phone = join(work, 'phone.json');
  if (existsSync(phone)) out.push({ kind: 'MFA seed (phone)', value: (JSON.parse(readFileSync(phone, 'utf8')) as { seed: string }).seed });
  const seen = join(work, 'secrets-seen.txt');
  if (existsSync(seen)) for (const line of readFileSync(seen, 'utf8').split('\n').filter(Boolean)) out.push({ kind: 'console password (shown once)', value: line });
  return out;
}

/** Every regular file under `dir` as a source, except those `skip` names (relative paths). */
export function filesUnder(dir: string, skip: (relativePath: string) => boolean = () => false): Source[] {
  const out: Source[] = [];
  const walk = (path: string) => {
    if (!existsSync(path)) return;
    const stat = lstatSync(path);
    const rel = relative(dir, path);
    if (rel && skip(rel)) return;
    if (stat.isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
    else if (stat.isFile()) out.push({ name: path, content: readFileSync(path, 'latin1') });
  };
  walk(dir);
  return out;
}

/**
 * The places a world must never hold a secret: slipway's state (journals, logs) except the session
 * cache, which holds the role session by design (0600). ~/.aws/credentials and the sandbox file hold
 * keys by design and are not scanned.
 */
export function worldSources(work: string): Source[] {
  return filesUnder(join(work, 'home', '.local', 'state'), (rel) => rel.split('/').includes('sessions'));
}
