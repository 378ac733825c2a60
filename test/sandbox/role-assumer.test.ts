import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromIni, fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { clientConfig } from '../../src/aws/clients.js';
import { classifyAwsError } from '../../src/aws/errors.js';
import { attachSandbox } from '../../src/sandbox/attach.js';
import { sandboxRoleAssumer } from '../../src/sandbox/role-assumer.js';
import type { Sandbox } from '../../src/sandbox/store.js';
import { totp } from '../../src/sandbox/totp.js';
import { bootstrapAccount, caught, frozenSandbox, type Bootstrapped } from './support.js';

const dirs: string[] = [];
afterEach(() => {
  vi.unstubAllEnvs();
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
});

/** ~/.aws as bootstrap writes it (reference §5): keys in credentials, role + MFA in config, same name. */
function awsFiles(b: Bootstrapped, options: { mfaSerial?: boolean } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-aws-'));
  dirs.push(dir);
  const filepath = join(dir, 'credentials');
  const configFilepath = join(dir, 'config');
  writeFileSync(filepath, `[acme]\naws_access_key_id = ${b.alice.accessKeyId}\naws_secret_access_key = ${b.alice.secretAccessKey}\n`, { mode: 0o600 });
  const mfa = options.mfaSerial === false ? '' : `mfa_serial = ${b.serial}\n`;
  writeFileSync(configFilepath, `[profile acme]\nsource_profile = acme\nrole_arn = ${b.roleArn}\nrole_session_name = alice\n${mfa}region = us-east-1\n`, { mode: 0o600 });
  return { filepath, configFilepath };
}

const codeFrom = (sandbox: Sandbox, b: Bootstrapped) => async () => totp(b.seed, sandbox.clock.now());

describe('sandboxRoleAssumer', () => {
  it('lets fromIni resolve a role profile with MFA against the sandbox', async () => {
    const sandbox = frozenSandbox();
    const b = await bootstrapAccount(sandbox);
    const asked: string[] = [];
    const provider = fromIni({
      profile: 'acme',
      ...awsFiles(b),
      mfaCodeProvider: async (serial) => {
        asked.push(serial);
        return totp(b.seed, sandbox.clock.now());
      },
      roleAssumer: sandboxRoleAssumer(sandbox, { region: 'us-east-1' }),
    });
    // One shared, memoised provider per process (reference §6): each resolution spends an MFA code.
    let resolved: ReturnType<typeof provider> | undefined;
    const shared = () => (resolved ??= provider());
    const credentials = await shared();
    expect(asked).toEqual([b.serial]);
    expect(credentials.accessKeyId).toMatch(/^ASIA/);
    expect(credentials.sessionToken).toBeTruthy();
    expect(credentials.expiration).toEqual(new Date(sandbox.clock.now() + 3600_000));
    expect(credentials.accountId).toBe(sandbox.accountId);

    // A client with the provider itself: the sandbox asks the provider who is calling.
    const sts = attachSandbox(new STSClient(clientConfig({ region: 'us-east-1' }, shared)), sandbox);
    expect((await sts.send(new GetCallerIdentityCommand({}))).Arn).toBe(`arn:aws:sts::${sandbox.accountId}:assumed-role/admin/alice`);
    const ec2 = attachSandbox(new EC2Client(clientConfig({ region: 'us-east-1' }, shared)), sandbox);
    expect((await ec2.send(new DescribeVpcsCommand({}))).Vpcs).toHaveLength(1);
    expect(asked).toHaveLength(1);
  });

  it('reproduces the single-use-code pitfall: two clients resolving their own provider with one code', async () => {
    const sandbox = frozenSandbox();
    const b = await bootstrapAccount(sandbox);
    const provider = fromIni({ profile: 'acme', ...awsFiles(b), mfaCodeProvider: codeFrom(sandbox, b), roleAssumer: sandboxRoleAssumer(sandbox) });
    const sts = attachSandbox(new STSClient(clientConfig({ region: 'us-east-1' }, provider)), sandbox);
    const ec2 = attachSandbox(new EC2Client(clientConfig({ region: 'us-east-1' }, provider)), sandbox);
    await sts.send(new GetCallerIdentityCommand({}));
    const second = await caught(ec2.send(new DescribeVpcsCommand({})));
    expect(second.message).toBe('MultiFactorAuthentication failed with invalid MFA one time pass code.');
  });

  it('works as the roleAssumer of fromNodeProviderChain too', async () => {
    for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_CREDENTIALS_FULL_URI']) {
      vi.stubEnv(name, '');
    }
    const sandbox = frozenSandbox();
    const b = await bootstrapAccount(sandbox);
    const provider = fromNodeProviderChain({ profile: 'acme', ...awsFiles(b), mfaCodeProvider: codeFrom(sandbox, b), roleAssumer: sandboxRoleAssumer(sandbox) });
    const sts = attachSandbox(new STSClient(clientConfig({ region: 'us-east-1' }, provider)), sandbox);
    expect((await sts.send(new GetCallerIdentityCommand({}))).Arn).toMatch(/:assumed-role\/admin\/alice$/);
  });

  it('surfaces STS’s own errors: a wrong code is AccessDenied with the MFA message', async () => {
    const sandbox = frozenSandbox();
    const b = await bootstrapAccount(sandbox);
    const provider = fromIni({ profile: 'acme', ...awsFiles(b), mfaCodeProvider: async () => '000000', roleAssumer: sandboxRoleAssumer(sandbox) });
    const error = await caught(provider());
    expect(error.name).toBe('AccessDenied');
    expect(error.message).toBe('MultiFactorAuthentication failed with invalid MFA one time pass code.');
    expect(classifyAwsError(error)).not.toBe('not-propagated');
  });

  it('a profile without mfa_serial is refused (reference §8, pitfall 7)', async () => {
    const sandbox = frozenSandbox();
    const b = await bootstrapAccount(sandbox);
    const provider = fromIni({ profile: 'acme', ...awsFiles(b, { mfaSerial: false }), roleAssumer: sandboxRoleAssumer(sandbox) });
    const error = await caught(provider());
    expect(error.name).toBe('AccessDenied');
    expect(error.message).toMatch(/is not authorized to perform: sts:AssumeRole on resource/);
  });

  it('without an MFA callback, fromIni itself refuses before any call', async () => {
    const sandbox = frozenSandbox();
    const b = await bootstrapAccount(sandbox);
    const provider = fromIni({ profile: 'acme', ...awsFiles(b), roleAssumer: sandboxRoleAssumer(sandbox) });
    await expect(provider()).rejects.toThrow(/requires multi-factor authentication, but no MFA code callback was provided/);
  });
});
