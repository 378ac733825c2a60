import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterEach, describe, expect, it } from 'vitest';
import { awsClient, startingCredentials } from '../../../flows/shared/aws.js';
import type { Runtime } from '../../../flows/shared/runtime.js';
import type { Sandbox } from '../../../src/sandbox/store.js';
import { totp } from '../../../src/sandbox/totp.js';
import type { MfaAsk, Prompter } from '../../../src/engine/prompter.js';
import { bootstrapAccount, frozenSandbox, type Bootstrapped } from '../../sandbox/support.js';

const homes: string[] = [];
afterEach(() => homes.splice(0).forEach((h) => rmSync(h, { recursive: true, force: true })));

/** A HOME with ~/.aws as bootstrap writes it: alice's key, and profile acme assuming admin with MFA. */
function homeWithRoleProfile(b: Bootstrapped): NodeJS.ProcessEnv {
  const home = mkdtempSync(join(tmpdir(), 'slipway-expired-'));
  homes.push(home);
  mkdirSync(join(home, '.aws'), { mode: 0o700 });
  writeFileSync(join(home, '.aws', 'credentials'), `[acme]\naws_access_key_id = ${b.alice.accessKeyId}\naws_secret_access_key = ${b.alice.secretAccessKey}\n`, { mode: 0o600 });
  writeFileSync(join(home, '.aws', 'config'), `[profile acme]\nsource_profile = acme\nrole_arn = ${b.roleArn}\nrole_session_name = alice\nmfa_serial = ${b.serial}\nregion = us-east-1\n`, { mode: 0o600 });
  return { HOME: home, XDG_STATE_HOME: join(home, '.local', 'state'), PATH: process.env.PATH };
}

/** A person with the authenticator app: each code is the current one, and they wait for a new one when asked twice. */
function personWithAuthenticator(sandbox: Sandbox, b: Bootstrapped) {
  const asked: MfaAsk[] = [];
  const prompter = {
    interactive: true,
    async mfaCode(ask: MfaAsk) {
      asked.push(ask);
      if (asked.length > 1) sandbox.clock.advance(30_000); // the next code: a single-use code cannot be given twice
      return totp(b.seed, sandbox.clock.now());
    },
  } as unknown as Prompter;
  return { asked, prompter };
}

/** Ends every role session in the account now, as their hour running out would. */
function expireRoleSessions(sandbox: Sandbox): void {
  sandbox.update((state) => {
    for (const session of Object.values(state.sts.sessions)) session.expiresAt = sandbox.clock.now() - 1;
  });
}

/** A bootstrapped account, profile acme (role + MFA) in HOME, and an STS and an EC2 client sharing its credentials, as a flow builds them. */
async function twoClientsAsAcme() {
  const sandbox = frozenSandbox();
  const b = await bootstrapAccount(sandbox);
  const env = homeWithRoleProfile(b);
  const { asked, prompter } = personWithAuthenticator(sandbox, b);
  const runtime: Runtime = { aws: { region: 'us-east-1', profile: 'acme' }, env, platform: 'linux', sandbox, cwd: env.HOME! };
  const shared = await startingCredentials(runtime, prompter);
  return { sandbox, asked, sts: await awsClient(runtime, STSClient, shared), ec2: await awsClient(runtime, EC2Client, shared) };
}

describe('a role session that expires in the middle of a flow', () => {
  it('is renewed: the next call asks for one new MFA code and succeeds, for every client sharing the credentials', async () => {
    const { sandbox, asked, sts, ec2 } = await twoClientsAsAcme();

    const before = await sts.send(new GetCallerIdentityCommand({}));
    expect(before.Arn).toMatch(/assumed-role\/admin\/alice$/);
    expect(asked).toHaveLength(1);

    expireRoleSessions(sandbox);
    expect((await ec2.send(new DescribeVpcsCommand({}))).Vpcs).toHaveLength(1);
    expect(asked).toHaveLength(2);
    expect((await sts.send(new GetCallerIdentityCommand({}))).Arn).toBe(before.Arn);
    expect(asked).toHaveLength(2);
  });

  it('two clients that find it expired at the same moment share one renewal: one new code', async () => {
    const { sandbox, asked, sts, ec2 } = await twoClientsAsAcme();
    await Promise.all([sts.send(new GetCallerIdentityCommand({})), ec2.send(new DescribeVpcsCommand({}))]);
    expect(asked).toHaveLength(1);

    expireRoleSessions(sandbox);
    const [identity, vpcs] = await Promise.all([sts.send(new GetCallerIdentityCommand({})), ec2.send(new DescribeVpcsCommand({}))]);
    expect(identity.Arn).toMatch(/assumed-role\/admin\/alice$/);
    expect(vpcs.Vpcs).toHaveLength(1);
    expect(asked).toHaveLength(2);
  });
});
