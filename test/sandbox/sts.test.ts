import { DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { AddUserToGroupCommand, AttachRolePolicyCommand, CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, GetUserCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, type AssumeRoleCommandInput } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { classifyAwsError } from '../../src/aws/errors.js';
import { totp, TOTP_STEP_MS } from '../../src/sandbox/totp.js';
import type { Sandbox } from '../../src/sandbox/store.js';
import { adminClients, bootstrapAccount, caught, clientsFor, frozenSandbox, T0, type Bootstrapped } from './support.js';

const assume = (b: Bootstrapped, sandbox: Sandbox, extra: Partial<AssumeRoleCommandInput> = {}) =>
  clientsFor(sandbox, b.alice).sts.send(
    new AssumeRoleCommand({ RoleArn: b.roleArn, RoleSessionName: 'alice', SerialNumber: b.serial, TokenCode: totp(b.seed, sandbox.clock.now()), ...extra }),
  );

const sessionOf = (out: Awaited<ReturnType<typeof assume>>) => ({
  accessKeyId: out.Credentials!.AccessKeyId!,
  secretAccessKey: out.Credentials!.SecretAccessKey!,
  sessionToken: out.Credentials!.SessionToken!,
  expiration: out.Credentials!.Expiration!,
});

describe('GetCallerIdentity', () => {
  it('names the IAM user behind a long-term key', async () => {
    const sandbox = frozenSandbox();
    const b = await bootstrapAccount(sandbox);
    const me = await clientsFor(sandbox, b.alice).sts.send(new GetCallerIdentityCommand({}));
    expect(me).toMatchObject({ Account: sandbox.accountId, Arn: `arn:aws:iam::${sandbox.accountId}:user/alice` });
    expect(me.UserId).toMatch(/^AIDA/);
  });

  it('needs no permission: a user with no policies at all may call it', async () => {
    const sandbox = frozenSandbox();
    const { iam } = adminClients(sandbox);
    await iam.send(new CreateUserCommand({ UserName: 'nobody' }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'nobody' }))).AccessKey!;
    const nobody = clientsFor(sandbox, { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! });
    expect((await nobody.sts.send(new GetCallerIdentityCommand({}))).Arn).toMatch(/:user\/nobody$/);
    expect((await caught(nobody.iam.send(new GetUserCommand({})))).name).toBe('AccessDenied');
  });
});

describe('AssumeRole with MFA', () => {
  it('gives an ASIA session for an hour whose identity is the assumed-role ARN', async () => {
    const sandbox = frozenSandbox();
    const b = await bootstrapAccount(sandbox);
    const now = sandbox.clock.now();
    const out = await assume(b, sandbox);
    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(out.Credentials?.Expiration).toEqual(new Date(now + 3600_000));
    expect(out.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${sandbox.accountId}:assumed-role/admin/alice`);

    const session = clientsFor(sandbox, sessionOf(out));
    const me = await session.sts.send(new GetCallerIdentityCommand({}));
    expect(me.Arn).toBe(`arn:aws:sts::${sandbox.accountId}:assumed-role/admin/alice`);
    expect(me.UserId).toMatch(/^AROA[A-Z2-7]{17}:alice$/);
    // The session has AdministratorAccess.
    expect((await session.ec2.send(new DescribeVpcsCommand({}))).Vpcs).toHaveLength(1);
  });

  it('honours DurationSeconds, and refuses one beyond the role’s MaxSessionDuration', async () => {
    const sandbox = frozenSandbox();
    const b = await bootstrapAccount(sandbox);
    const out = await assume(b, sandbox, { DurationSeconds: 900 });
    expect(out.Credentials?.Expiration).toEqual(new Date(sandbox.clock.now() + 900_000));
    sandbox.clock.advance(TOTP_STEP_MS);
    const tooLong = await caught(assume(b, sandbox, { DurationSeconds: 7200 }));
    expect(tooLong.name).toBe('ValidationError');
    expect(tooLong.message).toBe('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
    expect(classifyAwsError(tooLong)).toBe('validation');
  });

  it('AccessDenied with STS’s message for a wrong code', async () => {
    const sandbox = frozenSandbox();
    const b = await bootstrapAccount(sandbox);
    const error = await caught(assume(b, sandbox, { TokenCode: '000000' }));
    expect(error.name).toBe('AccessDenied');
    expect(error.message).toBe('MultiFactorAuthentication failed with invalid MFA one time pass code.');
    expect(classifyAwsError(error)).not.toBe('not-propagated');
  });

  it('a code works once: the same code again, or the second code EnableMFADevice used, is refused', async () => {
    const sandbox = frozenSandbox();
    const b = await bootstrapAccount(sandbox);
    const code = totp(b.seed, sandbox.clock.now());
    await assume(b, sandbox, { TokenCode: code });
    expect((await caught(assume(b, sandbox, { TokenCode: code }))).message).toBe('MultiFactorAuthentication failed with invalid MFA one time pass code.');

    // bootstrapAccount enabled the device with codes for the two previous steps, both still in the window.
    const enableCode2 = totp(b.seed, sandbox.clock.now() - TOTP_STEP_MS);
    expect((await caught(assume(b, sandbox, { TokenCode: enableCode2 }))).name).toBe('AccessDenied');
    // The next step's code is fresh.
    sandbox.clock.advance(TOTP_STEP_MS);
    await assume(b, sandbox);
  });

  it('accepts a code from a phone up to two steps off, not three', async () => {
    const sandbox = frozenSandbox();
    const b = await bootstrapAccount(sandbox);
    sandbox.clock.advance(10 * TOTP_STEP_MS);
    const now = sandbox.clock.now();
    await assume(b, sandbox, { TokenCode: totp(b.seed, now + 2 * TOTP_STEP_MS) });
    await assume(b, sandbox, { TokenCode: totp(b.seed, now - 2 * TOTP_STEP_MS) });
    expect((await caught(assume(b, sandbox, { TokenCode: totp(b.seed, now - 3 * TOTP_STEP_MS) }))).name).toBe('AccessDenied');
    expect((await caught(assume(b, sandbox, { TokenCode: totp(b.seed, now + 3 * TOTP_STEP_MS) }))).name).toBe('AccessDenied');
  });

  it('AccessDenied for a serial that is not the caller’s enabled device', async () => {
    const sandbox = frozenSandbox();
    const b = await bootstrapAccount(sandbox);
    const error = await caught(assume(b, sandbox, { SerialNumber: `arn:aws:iam::${sandbox.accountId}:mfa/bob` }));
    expect(error.name).toBe('AccessDenied');
    expect(error.message).toMatch(/^MultiFactorAuthentication failed, unable to validate MFA code/);
  });

  it('AccessDenied without MFA when the trust policy requires it (a profile missing mfa_serial)', async () => {
    const sandbox = frozenSandbox();
    const b = await bootstrapAccount(sandbox);
    const error = await caught(assume(b, sandbox, { SerialNumber: undefined, TokenCode: undefined }));
    expect(error.name).toBe('AccessDenied');
    expect(error.message).toBe(`User: arn:aws:iam::${sandbox.accountId}:user/alice is not authorized to perform: sts:AssumeRole on resource: ${b.roleArn}`);
  });

  it('AccessDenied for a user outside Administrators, even with a valid code', async () => {
    const sandbox = frozenSandbox();
    const b = await bootstrapAccount(sandbox);
    sandbox.update((state) => {
      state.iam.users.alice!.groups = state.iam.users.alice!.groups.filter((m) => m.group !== 'Administrators');
    });
    expect((await caught(assume(b, sandbox))).message).toMatch(/is not authorized to perform: sts:AssumeRole on resource/);
  });

  it('AccessDenied for a role that does not exist, and ValidationError for a bad session name', async () => {
    const sandbox = frozenSandbox();
    const b = await bootstrapAccount(sandbox);
    expect((await caught(assume(b, sandbox, { RoleArn: `arn:aws:iam::${sandbox.accountId}:role/nope` }))).name).toBe('AccessDenied');
    expect((await caught(assume(b, sandbox, { RoleSessionName: 'has spaces' }))).name).toBe('ValidationError');
  });

  it('a trust policy that names the user directly needs no identity policy, and no MFA unless it says so', async () => {
    const sandbox = frozenSandbox();
    const { iam } = adminClients(sandbox);
    await iam.send(new CreateUserCommand({ UserName: 'ci' }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'ci' }))).AccessKey!;
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${sandbox.accountId}:user/ci` }, Action: 'sts:AssumeRole' }] };
    await iam.send(new CreateRoleCommand({ RoleName: 'deployer', AssumeRolePolicyDocument: JSON.stringify(trust) }));
    const ci = clientsFor(sandbox, { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! });
    const out = await ci.sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${sandbox.accountId}:role/deployer`, RoleSessionName: 'ci' }));
    const session = clientsFor(sandbox, sessionOf(out));
    // The role has no permissions of its own.
    const denied = await caught(session.ec2.send(new DescribeVpcsCommand({})));
    expect(denied.name).toBe('UnauthorizedOperation');
    expect(classifyAwsError(denied)).toBe('access-denied');
    // Role chaining is limited to one hour.
    const chained = await caught(session.sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${sandbox.accountId}:role/deployer`, RoleSessionName: 'again', DurationSeconds: 7200 })));
    expect(chained.message).toBe('The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
  });
});

describe('sessions expire', () => {
  it('ExpiredToken after Expiration, from STS and IAM alike; RequestExpired from EC2', async () => {
    const sandbox = frozenSandbox();
    const b = await bootstrapAccount(sandbox);
    const session = clientsFor(sandbox, sessionOf(await assume(b, sandbox)));
    sandbox.clock.advance(3599_000);
    await session.sts.send(new GetCallerIdentityCommand({}));
    sandbox.clock.advance(1_000);
    const expired = await caught(session.sts.send(new GetCallerIdentityCommand({})));
    expect(expired.name).toBe('ExpiredToken');
    expect(expired.message).toBe('The security token included in the request is expired');
    expect(classifyAwsError(expired)).toBe('expired-token');
    expect((await caught(session.iam.send(new GetUserCommand({ UserName: 'alice' })))).name).toBe('ExpiredToken');
    const ec2 = await caught(session.ec2.send(new DescribeVpcsCommand({})));
    expect(ec2.name).toBe('RequestExpired');
    expect(classifyAwsError(ec2)).toBe('expired-token');
  });

  it('a session token that does not match is InvalidClientTokenId', async () => {
    const sandbox = frozenSandbox();
    const b = await bootstrapAccount(sandbox);
    const credentials = { ...sessionOf(await assume(b, sandbox)), sessionToken: 'forged' };
    expect((await caught(clientsFor(sandbox, credentials).sts.send(new GetCallerIdentityCommand({})))).name).toBe('InvalidClientTokenId');
  });
});

describe('IAM eventual consistency (propagationSeconds)', () => {
  it('a brand-new key is InvalidClientTokenId until it has propagated', async () => {
    const sandbox = frozenSandbox({ propagationSeconds: 5 });
    const { iam } = adminClients(sandbox);
    await iam.send(new CreateUserCommand({ UserName: 'alice' }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }))).AccessKey!;
    const alice = clientsFor(sandbox, { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! });
    const early = await caught(alice.sts.send(new GetCallerIdentityCommand({})));
    expect(early.name).toBe('InvalidClientTokenId');
    expect(classifyAwsError(early)).toBe('invalid-credentials');
    sandbox.clock.advance(4_999);
    expect((await caught(alice.sts.send(new GetCallerIdentityCommand({})))).name).toBe('InvalidClientTokenId');
    sandbox.clock.advance(1);
    expect((await alice.sts.send(new GetCallerIdentityCommand({}))).Arn).toMatch(/:user\/alice$/);
  });

  it('a brand-new role or group membership makes AssumeRole AccessDenied, a brand-new user an invalid principal, until propagated', async () => {
    const sandbox = frozenSandbox({ propagationSeconds: 5 });
    const b = await bootstrapAccount(sandbox);
    const { iam } = adminClients(sandbox);

    // Naming a user IAM has not propagated yet is an invalid principal.
    await iam.send(new CreateUserCommand({ UserName: 'carol' }));
    const carolTrust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${sandbox.accountId}:user/carol` }, Action: 'sts:AssumeRole' }] };
    expect((await caught(iam.send(new CreateRoleCommand({ RoleName: 'carol', AssumeRolePolicyDocument: JSON.stringify(carolTrust) })))).message).toMatch(/^Invalid principal in policy/);

    // A second role, made just now, that trusts alice by name (no MFA needed).
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${sandbox.accountId}:user/alice` }, Action: 'sts:AssumeRole' }] };
    await iam.send(new CreateRoleCommand({ RoleName: 'ops', AssumeRolePolicyDocument: JSON.stringify(trust) }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'ops', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
    const opsArn = `arn:aws:iam::${sandbox.accountId}:role/ops`;
    const early = await caught(clientsFor(sandbox, b.alice).sts.send(new AssumeRoleCommand({ RoleArn: opsArn, RoleSessionName: 'alice' })));
    expect(early.name).toBe('AccessDenied');
    expect(classifyAwsError(early)).toBe('not-propagated');
    sandbox.clock.advance(5_000);
    await clientsFor(sandbox, b.alice).sts.send(new AssumeRoleCommand({ RoleArn: opsArn, RoleSessionName: 'alice' }));

    // bob joins Administrators just now: his AssumeRole waits for the membership to propagate.
    await iam.send(new CreateUserCommand({ UserName: 'bob' }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'bob' }))).AccessKey!;
    sandbox.update((state) => {
      state.iam.mfaDevices[b.serial]!.user = 'bob'; // bob borrows alice's enabled device for brevity
    });
    sandbox.clock.advance(5_000);
    await iam.send(new AddUserToGroupCommand({ GroupName: 'Administrators', UserName: 'bob' }));
    const bob = { ...b, alice: { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! } };
    const early2 = await caught(assume(bob, sandbox, { RoleSessionName: 'bob' }));
    expect(early2.message).toMatch(/user\/bob is not authorized to perform: sts:AssumeRole/);
    sandbox.clock.advance(5_000);
    await assume(bob, sandbox, { RoleSessionName: 'bob' });
  });
});

it('the sandbox clock is the only clock: a frozen wall clock plus advances', () => {
  const sandbox = frozenSandbox();
  expect(sandbox.clock.now()).toBe(T0);
});
