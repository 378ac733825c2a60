import { CreateAccessKeyCommand, GetUserCommand, ListAccountAliasesCommand, ListMFADevicesCommand } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { evaluate, trustDecision } from '../../src/sandbox/policy.js';
import { bootstrapAccount, caught, clientsFor, frozenSandbox } from './support.js';

describe('identity policies as IAM evaluates them', () => {
  it('RequireMFAPolicy: a long-term key may manage itself a little, nothing else, and never create keys without MFA', async () => {
    const sandbox = frozenSandbox();
    const b = await bootstrapAccount(sandbox);
    const { iam } = clientsFor(sandbox, b.alice);
    expect((await iam.send(new GetUserCommand({}))).User?.UserName).toBe('alice');
    expect((await iam.send(new ListMFADevicesCommand({}))).MFADevices?.map((d) => d.SerialNumber)).toEqual([b.serial]);
    await iam.send(new ListAccountAliasesCommand({}));

    const ownKey = await caught(iam.send(new CreateAccessKeyCommand({})));
    expect(ownKey.name).toBe('AccessDenied');
    expect(ownKey.message).toBe(
      `User: arn:aws:iam::${sandbox.accountId}:user/alice is not authorized to perform: iam:CreateAccessKey on resource: arn:aws:iam::${sandbox.accountId}:user/alice with an explicit deny in an identity-based policy`,
    );
    const otherUser = await caught(iam.send(new GetUserCommand({ UserName: 'sandbox-admin' })));
    expect(otherUser.message).toMatch(/because no identity-based policy allows the iam:GetUser action$/);
  });
});

describe('policy evaluation', () => {
  const allow = (statement: object) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', ...statement }] });
  const deny = (statement: object) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', ...statement }] });

  it('matches actions case-insensitively with wildcards, resources with wildcards and policy variables', () => {
    const doc = allow({ Action: 'IAM:Get*', Resource: 'arn:aws:iam::1:user/${aws:username}' });
    expect(evaluate([doc], 'iam:GetUser', 'arn:aws:iam::1:user/alice', { 'aws:username': 'alice' })).toBe('allow');
    expect(evaluate([doc], 'iam:GetUser', 'arn:aws:iam::1:user/bob', { 'aws:username': 'alice' })).toBe('implicit-deny');
    expect(evaluate([doc], 'iam:GetUser', 'arn:aws:iam::1:user/alice', {})).toBe('implicit-deny');
    expect(evaluate([doc], 'iam:ListUsers', 'arn:aws:iam::1:user/alice', { 'aws:username': 'alice' })).toBe('implicit-deny');
  });

  it('an explicit deny beats any allow; NotAction inverts the match', () => {
    const everything = allow({ Action: '*', Resource: '*' });
    const onlyReads = deny({ NotAction: ['iam:Get*', 'iam:List*'], Resource: '*' });
    expect(evaluate([everything, onlyReads], 'iam:GetUser', '*', {})).toBe('allow');
    expect(evaluate([everything, onlyReads], 'iam:CreateUser', '*', {})).toBe('explicit-deny');
  });

  it('treats absent MFA keys as IAM does: Null, Bool and BoolIfExists', () => {
    const noMfa = {};
    const withMfa = { 'aws:multifactorauthpresent': 'true', 'aws:multifactorauthage': '10' };
    const nullCheck = deny({ Action: '*', Resource: '*', Condition: { Null: { 'aws:MultiFactorAuthAge': 'true' } } });
    expect(evaluate([nullCheck], 's3:GetObject', '*', noMfa)).toBe('explicit-deny');
    expect(evaluate([nullCheck], 's3:GetObject', '*', withMfa)).toBe('implicit-deny');
    const bool = allow({ Action: '*', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } });
    expect(evaluate([bool], 's3:GetObject', '*', withMfa)).toBe('allow');
    expect(evaluate([bool], 's3:GetObject', '*', noMfa)).toBe('implicit-deny');
    const ifExists = deny({ Action: '*', Resource: '*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } });
    expect(evaluate([ifExists], 's3:GetObject', '*', noMfa)).toBe('explicit-deny');
    expect(evaluate([ifExists], 's3:GetObject', '*', withMfa)).toBe('implicit-deny');
  });

  it('never lets an operator it does not know grant anything', () => {
    const odd = allow({ Action: '*', Resource: '*', Condition: { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } } });
    expect(evaluate([odd], 's3:GetObject', '*', { 'aws:currenttime': '2030-01-01T00:00:00Z' })).toBe('implicit-deny');
  });

  it('trust policies: the account root trusts every principal of the account (with an identity policy); a named one directly', () => {
    const root = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'sts:AssumeRole' }] });
    expect(trustDecision(root, ['arn:aws:iam::111122223333:user/alice'], '111122223333', 'sts:AssumeRole', {})).toBe('account');
    expect(trustDecision(root, ['arn:aws:iam::444455556666:user/eve'], '444455556666', 'sts:AssumeRole', {})).toBeUndefined();
    const named = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::111122223333:user/alice'] }, Action: 'sts:AssumeRole' }] });
    expect(trustDecision(named, ['arn:aws:iam::111122223333:user/alice'], '111122223333', 'sts:AssumeRole', {})).toBe('direct');
    expect(trustDecision(named, ['arn:aws:iam::111122223333:user/bob'], '111122223333', 'sts:AssumeRole', {})).toBeUndefined();
  });
});
