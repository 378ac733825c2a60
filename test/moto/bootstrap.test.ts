import { DescribeKeyPairsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  GetGroupPolicyCommand,
  GetLoginProfileCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAccountAliasesCommand,
  ListAttachedGroupPoliciesCommand,
  ListAttachedRolePoliciesCommand,
  ListGroupsForUserCommand,
  ListMFADevicesCommand,
  ListUserTagsCommand,
} from '@aws-sdk/client-iam';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { PlanResult } from '../../src/engine/plan.js';
import { ACCOUNT, CREDENTIAL_SOURCES, describeMoto, explain, motoClient, motoHome, recordFlows, REGION, runSlipway, useMotoAws, type CredentialSource } from '../support/moto-aws.js';
import { BOOTSTRAP_ANSWERS, bootstrapInTerminal } from '../support/terminal-bootstrap.js';

/**
 * `slipway bootstrap` through the built binary in a real terminal (tmux), against moto + aws-sim, from
 * each starting credential source, in one run: the MFA device is enabled with real TOTP codes computed
 * from the seed the QR screen shows. Then what AWS holds, and the files slipway wrote, are checked.
 */
const FILE = 'test/moto/bootstrap.test.ts';

describeMoto('slipway bootstrap against moto + aws-sim, from each starting credential source', { tmux: true }, () => {
  const aws = useMotoAws();

  it('bootstrap --plan (env-var keys) reads only, writes no file, and plans every step a fresh account needs', async () => {
    const home = motoHome(aws().endpoint, 'env-keys');
    try {
      const calls = (await aws().callLog()).length;
      const run = await runSlipway(['bootstrap', '--plan', '--json', '--yes', ...BOOTSTRAP_ANSWERS, ...home.flags], { cwd: home.home, env: home.env });
      expect(run.code, explain(run)).toBe(0);
      const plan = JSON.parse(run.stdout) as PlanResult;
      for (const id of ['admin-role', 'user', 'access-key']) expect(plan.steps.find((s) => s.id === id)?.action, id).toBe('create');
      const made = (await aws().callLog()).slice(calls);
      expect(made.filter((c) => !/^(Get|List|Describe)/.test(c.operation)).map((c) => `${c.service}:${c.operation}`)).toEqual([]);
      expect(existsSync(join(home.home, '.aws', 'credentials'))).toBe(false);
      expect(existsSync(join(home.home, '.ssh'))).toBe(false);
    } finally {
      home.cleanup();
    }
  });

  it.each(CREDENTIAL_SOURCES)('from %s: one run sets up the account, and the written profile assumes the role', async (source: CredentialSource) => {
    const home = motoHome(aws().endpoint, source);
    try {
      const run = await bootstrapInTerminal({ env: home.env, args: [...BOOTSTRAP_ANSWERS, ...home.flags], cwd: home.home });
      const how = `${run.screen}\n--- stderr ---\n${run.stderr}`;
      expect(run.exit, how).toBe(0);
      expect(run.screen, how).toContain('export AWS_PROFILE=acme');
      // Nothing the SDK prints reaches the screen or stderr.
      expect(`${run.history}${run.stderr}`).not.toMatch(/Multiple credential sources|CredentialsProviderError|@smithy|NodeVersionSupportWarning/);
      // The seed and the one-time password were shown in the alternate screen only.
      expect(run.history).not.toContain(run.seed);

      const iam = motoClient(aws().endpoint, IAMClient);
      expect((await iam.send(new ListAccountAliasesCommand({}))).AccountAliases).toEqual(['acme-moto']);
      const role = (await iam.send(new GetRoleCommand({ RoleName: 'admin' }))).Role;
      const trust = JSON.parse(decodeURIComponent(role?.AssumeRolePolicyDocument ?? '{}')) as { Statement: { Principal: { AWS: string }; Condition: Record<string, Record<string, string>> }[] };
      expect(trust.Statement[0]?.Principal.AWS).toMatch(new RegExp(`(arn:aws:iam::${ACCOUNT}:root|${ACCOUNT})`));
      expect(JSON.stringify(trust.Statement[0]?.Condition)).toContain('aws:MultiFactorAuthPresent');
      expect((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'admin' }))).AttachedPolicies?.map((p) => p.PolicyName)).toEqual(['AdministratorAccess']);
      const assume = JSON.parse(decodeURIComponent((await iam.send(new GetGroupPolicyCommand({ GroupName: 'Administrators', PolicyName: 'AssumeAdminRole' }))).PolicyDocument ?? '{}')) as { Statement: { Action: string | string[]; Resource: string }[] };
      expect([assume.Statement[0]?.Action].flat()).toEqual(['sts:AssumeRole']);
      expect(assume.Statement[0]?.Resource).toBe(`arn:aws:iam::${ACCOUNT}:role/admin`);
      expect((await iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: 'Users' }))).AttachedPolicies?.map((p) => p.PolicyName)).toEqual(['RequireMFAPolicy']);
      const policy = (await iam.send(new GetPolicyCommand({ PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/RequireMFAPolicy` }))).Policy;
      const doc = decodeURIComponent((await iam.send(new GetPolicyVersionCommand({ PolicyArn: policy?.Arn, VersionId: policy?.DefaultVersionId }))).PolicyVersion?.Document ?? '');
      expect(doc).toContain('aws:MultiFactorAuthPresent');
      expect((await iam.send(new ListGroupsForUserCommand({ UserName: 'alice' }))).Groups?.map((g) => g.GroupName).sort()).toEqual(['Administrators', 'Users']);
      expect((await iam.send(new ListUserTagsCommand({ UserName: 'alice' }))).Tags).toEqual(expect.arrayContaining([{ Key: 'slipway:managed', Value: 'true' }]));
      const devices = (await iam.send(new ListMFADevicesCommand({ UserName: 'alice' }))).MFADevices ?? [];
      expect(devices.map((d) => d.SerialNumber)).toEqual([`arn:aws:iam::${ACCOUNT}:mfa/alice`]);
      expect((await iam.send(new GetLoginProfileCommand({ UserName: 'alice' }))).LoginProfile?.PasswordResetRequired).toBe(true);
      const keys = (await iam.send(new ListAccessKeysCommand({ UserName: 'alice' }))).AccessKeyMetadata ?? [];
      expect(keys).toHaveLength(1);

      // ~/.aws: the key went straight into the credentials file (0600), the profile assumes the role with MFA.
      const credentials = readFileSync(join(home.home, '.aws', 'credentials'), 'utf8');
      expect(credentials).toContain(keys[0]?.AccessKeyId);
      expect(statSync(join(home.home, '.aws', 'credentials')).mode & 0o777).toBe(0o600);
      const config = readFileSync(join(home.home, '.aws', 'config'), 'utf8');
      expect(config).toMatch(/\[profile acme\][^[]*role_arn\s*=\s*arn:aws:iam::123456789012:role\/admin/);
      expect(config).toMatch(/\[profile acme\][^[]*mfa_serial\s*=\s*arn:aws:iam::123456789012:mfa\/alice/);
      // The starting profile is kept byte for byte.
      if (source === 'role-mfa-profile') expect(config).toContain('[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/starter-admin\n');

      const pairs = (await motoClient(aws().endpoint, EC2Client).send(new DescribeKeyPairsCommand({}))).KeyPairs ?? [];
      expect(pairs.map((p) => p.KeyName)).toEqual(['admin']);
      expect(statSync(join(home.home, '.ssh', 'admin.pem')).mode & 0o777).toBe(0o600);

      // Every call went to the endpoint given (aws-sim logged them).
      const calls = await aws().callLog();
      expect(calls.some((c) => c.operation === 'EnableMFADevice' && c.status === 200)).toBe(true);
      expect(calls.filter((c) => c.operation === 'CreateUser')).toHaveLength(1);
      recordFlows(FILE, [{ flow: 'bootstrap', source }]);
    } finally {
      home.cleanup();
    }
  }, 180_000);
});
