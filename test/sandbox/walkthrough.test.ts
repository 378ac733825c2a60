import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateKeyPairCommand, DescribeKeyPairsCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { CreateAccountAliasCommand, DeleteAccessKeyCommand, ListAccessKeysCommand, ListAccountAliasesCommand, ListGroupsForUserCommand, ListMFADevicesCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, expect, it } from 'vitest';
import { createSandbox } from '../../src/sandbox/store.js';
import { totp } from '../../src/sandbox/totp.js';
import { adminClients, bootstrapAccount, caught, clientsFor, T0 } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'slipway-walkthrough-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Reference §3 end to end through real clients, split across two sandbox instances on one file — the
 * bootstrap in one process, the verification in another — with IAM propagation switched on.
 */
it('bootstraps an account in one process and verifies it from another', async () => {
  const file = join(dir, 'acme.json');
  const first = createSandbox({ file, now: () => T0, propagationSeconds: 5 });
  await adminClients(first).iam.send(new CreateAccountAliasCommand({ AccountAlias: 'acme-demo' }));
  const b = await bootstrapAccount(first);

  const second = createSandbox({ file, now: () => T0 });
  expect(second.accountId).toBe(first.accountId);
  expect(second.clock.now()).toBe(first.clock.now());
  const alice = clientsFor(second, b.alice);

  // Step 8/10 checks, seen from the second process.
  expect((await caught(alice.iam.send(new ListGroupsForUserCommand({ UserName: 'alice' })))).name).toBe('AccessDenied'); // not self-service
  expect((await adminClients(second).iam.send(new ListGroupsForUserCommand({ UserName: 'alice' }))).Groups?.map((g) => g.GroupName)).toEqual(['Administrators', 'Users']);
  expect((await alice.iam.send(new ListMFADevicesCommand({}))).MFADevices?.[0]?.SerialNumber).toBe(b.serial);
  expect((await alice.iam.send(new ListAccountAliasesCommand({}))).AccountAliases).toEqual(['acme-demo']);

  // Step 14: the key alone is the user, and may not touch EC2.
  expect((await alice.sts.send(new GetCallerIdentityCommand({}))).Arn).toBe(`arn:aws:iam::${second.accountId}:user/alice`);
  expect((await caught(alice.ec2.send(new DescribeVpcsCommand({})))).name).toBe('UnauthorizedOperation');
  const code = totp(b.seed, second.clock.now());
  const session = await alice.sts.send(new AssumeRoleCommand({ RoleArn: b.roleArn, RoleSessionName: 'alice', SerialNumber: b.serial, TokenCode: code, DurationSeconds: 3600 }));
  const admin = clientsFor(second, {
    accessKeyId: session.Credentials!.AccessKeyId!,
    secretAccessKey: session.Credentials!.SecretAccessKey!,
    sessionToken: session.Credentials!.SessionToken!,
  });
  expect((await admin.sts.send(new GetCallerIdentityCommand({}))).Arn).toBe(`arn:aws:sts::${second.accountId}:assumed-role/admin/alice`);
  expect((await admin.ec2.send(new DescribeVpcsCommand({}))).Vpcs?.[0]?.IsDefault).toBe(true);

  // The first process shares the account: the code is spent there too, the session works there too.
  const reuse = await caught(clientsFor(first, b.alice).sts.send(new AssumeRoleCommand({ RoleArn: b.roleArn, RoleSessionName: 'alice', SerialNumber: b.serial, TokenCode: code })));
  expect(reuse.message).toBe('MultiFactorAuthentication failed with invalid MFA one time pass code.');

  // Step 15: the key pair, as the admin role.
  await admin.ec2.send(new CreateKeyPairCommand({ KeyName: 'admin' }));
  expect((await adminClients(first).ec2.send(new DescribeKeyPairsCommand({ KeyNames: ['admin'] }))).KeyPairs).toHaveLength(1);

  // Step 16: remove the temporary bootstrap key; the sandbox admin is then locked out, as it should be.
  const bootstrapKey = first.adminCredentials().accessKeyId;
  await admin.iam.send(new DeleteAccessKeyCommand({ UserName: 'sandbox-admin', AccessKeyId: bootstrapKey }));
  expect((await admin.iam.send(new ListAccessKeysCommand({ UserName: 'sandbox-admin' }))).AccessKeyMetadata).toEqual([]);
  expect(() => first.adminCredentials()).toThrow(/no active access key/);
});
