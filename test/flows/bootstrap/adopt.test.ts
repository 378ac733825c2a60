import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CreatePolicyCommand, CreatePolicyVersionCommand, CreateRoleCommand, CreateAccessKeyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromIni } from '@aws-sdk/credential-providers';
import { afterEach, describe, expect, it } from 'vitest';
import { clientConfig } from '../../../src/aws/clients.js';
import { attachSandbox } from '../../../src/sandbox/attach.js';
import { sandboxRoleAssumer } from '../../../src/sandbox/role-assumer.js';
import { requireMfaPolicy } from '../../../recipes/iam/policies.js';
import { Person } from './person.js';
import { runBootstrap, useWorlds, type bootstrapWorld } from './harness.js';

const world = useWorlds();

/** IAM as the sandbox's admin, to set up what a person made by hand before running slipway. */
function adminIam(w: ReturnType<typeof bootstrapWorld>): IAMClient {
  const credentials = w.sandbox.adminCredentials();
  return attachSandbox(new IAMClient(clientConfig({ region: 'us-east-1' }, async () => credentials)), w.sandbox);
}

describe('bootstrap adopts what is already there', () => {
  it('a hand-made role with the book’s open trust policy gets the MFA condition', async () => {
    const w = world();
    const account = w.sandbox.accountId;
    const open = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'sts:AssumeRole', Condition: {} }] };
    await adminIam(w).send(new CreateRoleCommand({ RoleName: 'admin', AssumeRolePolicyDocument: JSON.stringify(open) }));
    const { result, how } = await runBootstrap(w, new Person());
    expect(result.status).toBe('done');
    expect(how['admin-role']).toBe('applied');
    expect(JSON.parse(decodeURIComponent(w.sandbox.snapshot().iam.roles.admin?.trustPolicy ?? '{}')).Statement[0].Condition).toEqual({ Bool: { 'aws:MultiFactorAuthPresent': 'true' } });
  });

  it('RequireMFAPolicy with another document and five versions: the oldest non-default goes, ours becomes default', async () => {
    const w = world();
    const iam = adminIam(w);
    const doc = (n: number) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: `Old${n}`, Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' }] });
    const created = await iam.send(new CreatePolicyCommand({ PolicyName: 'RequireMFAPolicy', PolicyDocument: doc(1) }));
    const arn = created.Policy?.Arn ?? '';
    for (let n = 2; n <= 5; n++) await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: doc(n), SetAsDefault: n === 5 }));
    const { result } = await runBootstrap(w, new Person());
    expect(result.status).toBe('done');
    const policy = w.sandbox.snapshot().iam.policies[arn];
    expect(policy?.versions.map((v) => v.id)).toEqual(['v2', 'v3', 'v4', 'v5', 'v6']);
    expect(policy?.defaultVersionId).toBe('v6');
    expect(JSON.parse(decodeURIComponent(policy?.versions.at(-1)?.document ?? '{}'))).toEqual(requireMfaPolicy(w.sandbox.accountId));
  });

  it('a user who already has two access keys: the person picks one to delete', async () => {
    const w = world();
    const iam = adminIam(w);
    await iam.send(new CreateUserCommand({ UserName: 'alice' }));
    const first = (await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }))).AccessKey?.AccessKeyId ?? '';
    const second = (await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }))).AccessKey?.AccessKeyId ?? '';
    const person = new Person({ 'key-to-delete': first });
    const { result } = await runBootstrap(w, person);
    expect(result.status).toBe('done');
    expect(person.asked).toContain('key-to-delete');
    const keys = w.sandbox.snapshot().iam.users.alice?.accessKeys.map((k) => k.id);
    expect(keys).toHaveLength(2);
    expect(keys).toContain(second);
    expect(keys).not.toContain(first);
  });

  it('an existing profile with other settings is not overwritten without asking', async () => {
    const w = world();
    mkdirSync(join(w.home, '.aws'), { recursive: true });
    writeFileSync(w.env.AWS_CONFIG_FILE ?? '', '# mine\n[profile acme]\nregion = eu-west-1\nrole_arn = arn:aws:iam::111111111111:role/other\n\n[profile keep]\nregion = ap-south-1\n');
    const person = new Person({ 'overwrite-profile': false });
    const refused = await runBootstrap(w, person);
    expect(refused.result.status).toBe('failed');
    expect(refused.result.failures[0]).toMatchObject({ stepId: 'cli-profile', error: { fix: expect.stringContaining('--profile-name') } });
    expect(readFileSync(w.env.AWS_CONFIG_FILE ?? '', 'utf8')).toContain('role/other');

    // The same person (their phone has the MFA seed) runs it again and says yes.
    person.answers['overwrite-profile'] = true;
    const accepted = await runBootstrap(w, person);
    expect(accepted.result.failures).toEqual([]);
    expect(accepted.result.resumed).toBe(true);
    const config = readFileSync(w.env.AWS_CONFIG_FILE ?? '', 'utf8');
    expect(config.startsWith('# mine\n[profile acme]\n')).toBe(true);
    expect(config).toContain('[profile keep]\nregion = ap-south-1\n');
    expect(existsSync(`${w.env.AWS_CONFIG_FILE}.slipway-backup`)).toBe(true);
  });
});

describe('the profile bootstrap writes', () => {
  it('is resolved by the SDK’s own fromIni with an MFA code, to the admin role', async () => {
    const w = world();
    const person = new Person();
    await runBootstrap(w, person);
    let asked = '';
    const provider = fromIni({
      profile: 'acme',
      filepath: w.env.AWS_SHARED_CREDENTIALS_FILE,
      configFilepath: w.env.AWS_CONFIG_FILE,
      mfaCodeProvider: async (serial) => {
        asked = serial;
        return person.mfaCode({ serial });
      },
      roleAssumer: sandboxRoleAssumer(w.sandbox, { region: 'us-east-1' }),
    });
    const sts = attachSandbox(new STSClient(clientConfig({ region: 'us-east-1' }, provider)), w.sandbox);
    const me = await sts.send(new GetCallerIdentityCommand({}));
    expect(asked).toBe(`arn:aws:iam::${w.sandbox.accountId}:mfa/alice`);
    expect(me.Arn).toBe(`arn:aws:sts::${w.sandbox.accountId}:assumed-role/admin/alice`);
  });

  const awsCli = ['/usr/bin/aws', '/usr/local/bin/aws'].find((p) => existsSync(p));
  it.runIf(awsCli !== undefined)('is read by the AWS CLI', async () => {
    const w = world();
    await runBootstrap(w, new Person());
    const get = (key: string) =>
      spawnSync(awsCli ?? 'aws', ['configure', 'get', key, '--profile', 'acme'], { env: { PATH: process.env.PATH, HOME: w.home }, encoding: 'utf8' }).stdout.trim();
    expect(get('role_arn')).toBe(`arn:aws:iam::${w.sandbox.accountId}:role/admin`);
    expect(get('mfa_serial')).toBe(`arn:aws:iam::${w.sandbox.accountId}:mfa/alice`);
    expect(get('source_profile')).toBe('acme');
    expect(get('region')).toBe('us-east-1');
    expect(get('aws_access_key_id')).toBe(w.sandbox.snapshot().iam.users.alice?.accessKeys[0]?.id);
  });
});
