import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { clientConfig } from '../../src/aws/clients.js';
import { createSharedCredentials } from '../../src/aws/credentials.js';
import { loadSharedConfigFiles } from '@smithy/core/config';
import { rmSync } from 'node:fs';
import { resolveAwsSettings } from '../../src/aws/settings.js';
import { stateDir } from '../../src/engine/paths.js';
import type { MfaAsk, Prompter } from '../../src/engine/prompter.js';
import { FakeSts } from '../support/fake-sts.js';
import { tempHome } from '../support/temp-home.js';

const ACCOUNT = '123456789012';
const USER_KEY = 'AKIAFAKEUSER00000001';
const SERIAL = `arn:aws:iam::${ACCOUNT}:mfa/alice`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/admin`;

let sts: FakeSts;
let endpoint: string;
beforeAll(async () => {
  sts = new FakeSts();
  sts.users.set(USER_KEY, { accessKeyId: USER_KEY, arn: `arn:aws:iam::${ACCOUNT}:user/alice` });
  sts.roles.set(ROLE, { mfaSerial: SERIAL });
  endpoint = await sts.start();
});
afterAll(() => sts.stop());
const homes: ReturnType<typeof tempHome>[] = [];
afterEach(() => {
  vi.unstubAllEnvs();
  homes.splice(0).forEach((h) => h.cleanup());
  sts.calls.length = 0;
});

/** The profile layout `slipway bootstrap` writes: keys in credentials, role + MFA in config. */
function homeWithRoleProfile() {
  const home = tempHome();
  homes.push(home);
  mkdirSync(join(home.home, '.aws'), { recursive: true, mode: 0o700 });
  writeFileSync(join(home.home, '.aws', 'credentials'), `[acme]\naws_access_key_id = ${USER_KEY}\naws_secret_access_key = fakesecretfakesecretfakesecretfakesecret\n`, { mode: 0o600 });
  writeFileSync(
    join(home.home, '.aws', 'config'),
    `[profile acme]\nsource_profile = acme\nrole_arn = ${ROLE}\nrole_session_name = alice\nmfa_serial = ${SERIAL}\nregion = us-east-1\n`,
    { mode: 0o600 },
  );
  return { ...home, env: { ...home.env, AWS_ENDPOINT_URL: endpoint } };
}

class CountingMfaPrompter implements Prompter {
  readonly interactive = true;
  asked: MfaAsk[] = [];
  constructor(private readonly codes: string[]) {}
  async mfaCode(ask: MfaAsk) {
    this.asked.push(ask);
    await new Promise((r) => setTimeout(r, 20)); // a person takes a moment: concurrent callers pile up
    return this.codes.shift() ?? '000000';
  }
  text = () => Promise.reject(new Error('not asked'));
  secret = () => Promise.reject(new Error('not asked'));
  select = () => Promise.reject(new Error('not asked'));
  confirm = () => Promise.reject(new Error('not asked'));
  showQr = () => Promise.reject(new Error('not asked'));
  showSecret = () => Promise.reject(new Error('not asked'));
}

describe('shared credentials with MFA, against STS at AWS_ENDPOINT_URL', () => {
  it('asks for one MFA code even when many clients call at once, and the role identity is used', async () => {
    const { env } = homeWithRoleProfile();
    sts.mfaCodes.set(SERIAL, new Set(['123456']));
    const settings = resolveAwsSettings({ profile: 'acme' }, env);
    expect(settings).toMatchObject({ profile: 'acme', region: 'us-east-1', regionSource: 'profile', endpoint });
    const prompter = new CountingMfaPrompter(['123456']);
    const shared = await createSharedCredentials(settings, prompter, env);
    const client = new STSClient(clientConfig(settings, shared.provider));
    const identities = await Promise.all([1, 2, 3, 4].map(() => client.send(new GetCallerIdentityCommand({}))));
    expect(prompter.asked).toEqual([{ serial: SERIAL, message: `MFA code for ${SERIAL}` }]);
    expect(new Set(identities.map((i) => i.Arn))).toEqual(new Set([`arn:aws:sts::${ACCOUNT}:assumed-role/admin/alice`]));
    expect(sts.calls.filter((c) => c.action === 'AssumeRole')).toHaveLength(1);
    expect(sts.calls.find((c) => c.action === 'AssumeRole')?.params.get('TokenCode')).toBe('123456');
  });

  it('caches the role session in a 0600 file, so the next process does not ask again', async () => {
    const { env } = homeWithRoleProfile();
    sts.mfaCodes.set(SERIAL, new Set(['222222']));
    const settings = resolveAwsSettings({ profile: 'acme' }, env);
    const first = new CountingMfaPrompter(['222222']);
    await (await createSharedCredentials(settings, first, env)).provider();
    const dir = join(stateDir(env), 'sessions');
    const [file] = readdirSync(dir);
    expect(statSync(join(dir, file ?? '')).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(readFileSync(join(dir, file ?? ''), 'utf8')).not.toContain('fakesecret'); // the long-term secret is never copied

    const second = new CountingMfaPrompter([]);
    const credentials = await (await createSharedCredentials(settings, second, env)).provider();
    expect(second.asked).toEqual([]);
    expect(credentials.accessKeyId).toMatch(/^ASIA/);
  });

  it('after invalidate (an expired token mid-flow) it asks for a fresh code', async () => {
    const { env } = homeWithRoleProfile();
    sts.mfaCodes.set(SERIAL, new Set(['333333', '444444']));
    const settings = resolveAwsSettings({ profile: 'acme' }, env);
    const prompter = new CountingMfaPrompter(['333333', '444444']);
    const shared = await createSharedCredentials(settings, prompter, env);
    const before = await shared.provider();
    shared.invalidate();
    const after = await shared.provider();
    expect(prompter.asked).toHaveLength(2);
    expect(after.accessKeyId).not.toBe(before.accessKeyId);
  });

  it('after invalidate it asks for a fresh code also when the session came from the file cache', async () => {
    // A cache hit settles at once: the in-flight marker must not outlive it and hand the dropped session back.
    const { env } = homeWithRoleProfile();
    sts.mfaCodes.set(SERIAL, new Set(['555555', '666666']));
    const settings = resolveAwsSettings({ profile: 'acme' }, env);
    const before = await (await createSharedCredentials(settings, new CountingMfaPrompter(['555555']), env)).provider();
    const prompter = new CountingMfaPrompter(['666666']);
    const shared = await createSharedCredentials(settings, prompter, env);
    expect((await shared.provider()).accessKeyId).toBe(before.accessKeyId);
    expect(prompter.asked).toEqual([]);
    shared.invalidate(before.accessKeyId);
    const after = await shared.provider();
    expect(prompter.asked).toHaveLength(1);
    expect(after.accessKeyId).not.toBe(before.accessKeyId);
  });

  it('invalidating a key that is no longer the current one keeps the current session (another client renewed it)', async () => {
    const { env } = homeWithRoleProfile();
    sts.mfaCodes.set(SERIAL, new Set(['777777', '888888']));
    const settings = resolveAwsSettings({ profile: 'acme' }, env);
    const prompter = new CountingMfaPrompter(['777777', '888888']);
    const shared = await createSharedCredentials(settings, prompter, env);
    const first = await shared.provider();
    shared.invalidate(first.accessKeyId);
    const renewed = await shared.provider();
    shared.invalidate(first.accessKeyId);
    expect((await shared.provider()).accessKeyId).toBe(renewed.accessKeyId);
    expect(prompter.asked).toHaveLength(2);
  });

  it('a wrong MFA code surfaces STS’s AccessDenied', async () => {
    const { env } = homeWithRoleProfile();
    sts.mfaCodes.set(SERIAL, new Set(['555555']));
    const settings = resolveAwsSettings({ profile: 'acme' }, env);
    const shared = await createSharedCredentials(settings, new CountingMfaPrompter(['999999']), env);
    await expect(shared.provider()).rejects.toMatchObject({ name: 'AccessDenied', message: expect.stringMatching(/invalid MFA/) });
  });

  it('plain keys in the environment need no MFA and are never cached', async () => {
    const home = tempHome();
    homes.push(home);
    // The SDK reads environment keys from process.env itself.
    vi.stubEnv('AWS_ACCESS_KEY_ID', USER_KEY);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'x'.repeat(40));
    const env = { ...home.env, AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: USER_KEY };
    const settings = resolveAwsSettings({ region: 'eu-west-1' }, env);
    const prompter = new CountingMfaPrompter([]);
    const shared = await createSharedCredentials(settings, prompter, env);
    const out = await new STSClient(clientConfig(settings, shared.provider)).send(new GetCallerIdentityCommand({}));
    expect(out.Account).toBe(ACCOUNT);
    expect(prompter.asked).toEqual([]);
    expect(() => readdirSync(join(stateDir(env), 'sessions'))).toThrow();
  });

  it('a profile written after the SDK first read the files (and cached them as missing) is resolved', async () => {
    const { home, env } = homeWithRoleProfile();
    const config = join(home, '.aws', 'config');
    const credentials = join(home, '.aws', 'credentials');
    const written = { config: readFileSync(config, 'utf8'), credentials: readFileSync(credentials, 'utf8') };
    rmSync(config);
    rmSync(credentials);
    // What any client's configuration loading does at its first call: the SDK keeps the result per path.
    await loadSharedConfigFiles({ filepath: credentials, configFilepath: config });
    writeFileSync(config, written.config, { mode: 0o600 });
    writeFileSync(credentials, written.credentials, { mode: 0o600 });
    sts.mfaCodes.set(SERIAL, new Set(['121212']));
    const shared = await createSharedCredentials(resolveAwsSettings({ profile: 'acme' }, env), new CountingMfaPrompter(['121212']), env);
    expect((await shared.provider()).accessKeyId).toMatch(/^ASIA/);
  });

  it('with keys in the environment, a named profile’s cached role session is reused and the SDK prints nothing', async () => {
    const { env } = homeWithRoleProfile();
    sts.mfaCodes.set(SERIAL, new Set(['131313']));
    const settings = resolveAwsSettings({ profile: 'acme' }, env);
    const first = await (await createSharedCredentials(settings, new CountingMfaPrompter(['131313']), env)).provider();

    vi.stubEnv('AWS_ACCESS_KEY_ID', USER_KEY);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'x'.repeat(40));
    const withKeys = { ...env, AWS_ACCESS_KEY_ID: USER_KEY, AWS_SECRET_ACCESS_KEY: 'x'.repeat(40) };
    const warn = vi.spyOn(console, 'warn');
    try {
      const prompter = new CountingMfaPrompter([]);
      const again = await (await createSharedCredentials(resolveAwsSettings({ profile: 'acme' }, withKeys), prompter, withKeys)).provider();
      expect(prompter.asked).toEqual([]);
      expect(again.accessKeyId).toBe(first.accessKeyId);
      // A session that is not cached is made from the profile (not the environment's keys), quietly.
      const otherHome = homeWithRoleProfile();
      sts.mfaCodes.set(SERIAL, new Set(['141414']));
      const otherEnv = { ...otherHome.env, AWS_ACCESS_KEY_ID: USER_KEY, AWS_SECRET_ACCESS_KEY: 'x'.repeat(40) };
      const fresh = await (await createSharedCredentials(resolveAwsSettings({ profile: 'acme' }, otherEnv), new CountingMfaPrompter(['141414']), otherEnv)).provider();
      expect(fresh.accessKeyId).toMatch(/^ASIA/);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });
});
