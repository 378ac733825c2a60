import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  CreateAccountAliasCommand,
  CreateGroupCommand,
  CreateLoginProfileCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteAccountPasswordPolicyCommand,
  GetAccountPasswordPolicyCommand,
  GetGroupCommand,
  GetGroupPolicyCommand,
  GetLoginProfileCommand,
  GetRoleCommand,
  GetUserCommand,
  ListAccountAliasesCommand,
  ListAttachedGroupPoliciesCommand,
  ListAttachedRolePoliciesCommand,
  ListGroupsForUserCommand,
  ListRoleTagsCommand,
  ListUserTagsCommand,
  PutGroupPolicyCommand,
  TagRoleCommand,
  TagUserCommand,
  UpdateAccountPasswordPolicyCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateLoginProfileCommand,
} from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { classifyAwsError } from '../../src/aws/errors.js';
import { adminClients, caught, frozenSandbox, T0 } from './support.js';

const ADMIN_ACCESS = 'arn:aws:iam::aws:policy/AdministratorAccess';

function setup() {
  const sandbox = frozenSandbox();
  const account = sandbox.accountId;
  const trust = (condition: object = {}) =>
    JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'sts:AssumeRole', Condition: condition }] });
  const assumeAdmin = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['sts:AssumeRole'], Resource: `arn:aws:iam::${account}:role/admin` }] });
  return { sandbox, account, iam: adminClients(sandbox).iam, trust, assumeAdmin };
}

describe('IAM users', () => {
  it('GetUser → NoSuchEntity, CreateUser, GetUser (with tags), CreateUser again → EntityAlreadyExists', async () => {
    const { iam, account } = setup();
    const missing = await caught(iam.send(new GetUserCommand({ UserName: 'alice' })));
    expect(missing.name).toBe('NoSuchEntityException');
    expect(missing.message).toBe('The user with name alice cannot be found.');

    const created = await iam.send(new CreateUserCommand({ UserName: 'alice', Tags: [{ Key: 'slipway:app', Value: 'demo' }] }));
    expect(created.User).toMatchObject({ UserName: 'alice', Path: '/', Arn: `arn:aws:iam::${account}:user/alice`, CreateDate: new Date(T0) });
    expect(created.User?.UserId).toMatch(/^AIDA[A-Z2-7]{17}$/);

    const got = await iam.send(new GetUserCommand({ UserName: 'alice' }));
    expect(got.User?.Tags).toEqual([{ Key: 'slipway:app', Value: 'demo' }]);

    // IAM names are unique regardless of case.
    const again = await caught(iam.send(new CreateUserCommand({ UserName: 'Alice' })));
    expect(again.name).toBe('EntityAlreadyExistsException');
    expect(again.message).toBe('User with name Alice already exists.');
  });

  it('GetUser without a name describes the caller', async () => {
    const { iam } = setup();
    expect((await iam.send(new GetUserCommand({}))).User?.UserName).toBe('sandbox-admin');
  });

  it('TagUser merges by key and ListUserTags returns them', async () => {
    const { iam } = setup();
    await iam.send(new CreateUserCommand({ UserName: 'alice', Tags: [{ Key: 'a', Value: '1' }] }));
    await iam.send(new TagUserCommand({ UserName: 'alice', Tags: [{ Key: 'a', Value: '2' }, { Key: 'b', Value: '3' }] }));
    expect((await iam.send(new ListUserTagsCommand({ UserName: 'alice' }))).Tags).toEqual([
      { Key: 'a', Value: '2' },
      { Key: 'b', Value: '3' },
    ]);
  });

  it('rejects a name IAM would reject, as a ValidationError', async () => {
    const { iam } = setup();
    const error = await caught(iam.send(new CreateUserCommand({ UserName: 'no spaces' })));
    expect(error.name).toBe('ValidationError');
    expect(classifyAwsError(error)).toBe('validation');
  });
});

describe('IAM groups', () => {
  it('CreateGroup, GetGroup with members, AddUserToGroup (repeatable), ListGroupsForUser', async () => {
    const { iam, account } = setup();
    expect((await caught(iam.send(new GetGroupCommand({ GroupName: 'Users' })))).name).toBe('NoSuchEntityException');
    await iam.send(new CreateGroupCommand({ GroupName: 'Administrators' }));
    const users = await iam.send(new CreateGroupCommand({ GroupName: 'Users' }));
    expect(users.Group).toMatchObject({ GroupName: 'Users', Arn: `arn:aws:iam::${account}:group/Users` });
    expect((await caught(iam.send(new CreateGroupCommand({ GroupName: 'Users' })))).name).toBe('EntityAlreadyExistsException');

    await iam.send(new CreateUserCommand({ UserName: 'alice' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'Administrators', UserName: 'alice' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'Users', UserName: 'alice' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'Users', UserName: 'alice' }));

    const groups = await iam.send(new ListGroupsForUserCommand({ UserName: 'alice' }));
    expect(groups.Groups?.map((g) => g.GroupName)).toEqual(['Administrators', 'Users']);
    const group = await iam.send(new GetGroupCommand({ GroupName: 'Users' }));
    expect(group.Users?.map((u) => u.UserName)).toEqual(['alice']);
    expect(group.IsTruncated).toBe(false);
  });

  it('AddUserToGroup → NoSuchEntity for a missing group or user', async () => {
    const { iam } = setup();
    await iam.send(new CreateGroupCommand({ GroupName: 'Users' }));
    expect((await caught(iam.send(new AddUserToGroupCommand({ GroupName: 'Nope', UserName: 'sandbox-admin' })))).message).toBe('The group with name Nope cannot be found.');
    expect((await caught(iam.send(new AddUserToGroupCommand({ GroupName: 'Users', UserName: 'ghost' })))).message).toBe('The user with name ghost cannot be found.');
  });

  it('LimitExceeded past 10 groups per user', async () => {
    const { iam } = setup();
    await iam.send(new CreateUserCommand({ UserName: 'alice' }));
    for (let i = 0; i < 10; i++) {
      await iam.send(new CreateGroupCommand({ GroupName: `g${i}` }));
      await iam.send(new AddUserToGroupCommand({ GroupName: `g${i}`, UserName: 'alice' }));
    }
    await iam.send(new CreateGroupCommand({ GroupName: 'g10' }));
    const error = await caught(iam.send(new AddUserToGroupCommand({ GroupName: 'g10', UserName: 'alice' })));
    expect(error.name).toBe('LimitExceededException');
    expect(error.message).toBe('Cannot exceed quota for GroupsPerUser: 10');
  });

  it('PutGroupPolicy overwrites; GetGroupPolicy returns the document URL-encoded, as IAM does', async () => {
    const { iam, assumeAdmin } = setup();
    await iam.send(new CreateGroupCommand({ GroupName: 'Administrators' }));
    expect((await caught(iam.send(new GetGroupPolicyCommand({ GroupName: 'Administrators', PolicyName: 'AssumeAdminRole' })))).name).toBe('NoSuchEntityException');
    await iam.send(new PutGroupPolicyCommand({ GroupName: 'Administrators', PolicyName: 'AssumeAdminRole', PolicyDocument: '{"Version":"2012-10-17","Statement":[]}' }));
    await iam.send(new PutGroupPolicyCommand({ GroupName: 'Administrators', PolicyName: 'AssumeAdminRole', PolicyDocument: assumeAdmin }));
    const got = await iam.send(new GetGroupPolicyCommand({ GroupName: 'Administrators', PolicyName: 'AssumeAdminRole' }));
    expect(got.PolicyDocument).toBe(encodeURIComponent(assumeAdmin));
    expect(decodeURIComponent(got.PolicyDocument!)).toBe(assumeAdmin);
  });

  it('PutGroupPolicy → MalformedPolicyDocument for bad JSON or a Principal', async () => {
    const { iam } = setup();
    await iam.send(new CreateGroupCommand({ GroupName: 'Administrators' }));
    const bad = await caught(iam.send(new PutGroupPolicyCommand({ GroupName: 'Administrators', PolicyName: 'p', PolicyDocument: '{"Version":' })));
    expect(bad.name).toBe('MalformedPolicyDocumentException');
    expect(bad.message).toBe('This policy contains invalid Json');
    const principal = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' }] });
    expect((await caught(iam.send(new PutGroupPolicyCommand({ GroupName: 'Administrators', PolicyName: 'p', PolicyDocument: principal })))).message).toBe(
      'Policy document should not specify a principal.',
    );
  });

  it('AttachGroupPolicy (repeatable) and ListAttachedGroupPolicies; NoSuchEntity for an unknown policy', async () => {
    const { iam } = setup();
    await iam.send(new CreateGroupCommand({ GroupName: 'Users' }));
    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'Users', PolicyArn: ADMIN_ACCESS }));
    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'Users', PolicyArn: ADMIN_ACCESS }));
    expect((await iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: 'Users' }))).AttachedPolicies).toEqual([{ PolicyName: 'AdministratorAccess', PolicyArn: ADMIN_ACCESS }]);
    const error = await caught(iam.send(new AttachGroupPolicyCommand({ GroupName: 'Users', PolicyArn: 'arn:aws:iam::aws:policy/Nope' })));
    expect(error.name).toBe('NoSuchEntityException');
    expect(error.message).toBe('Policy arn:aws:iam::aws:policy/Nope does not exist or is not attachable.');
  });
});

describe('IAM roles', () => {
  it('GetRole → NoSuchEntity, CreateRole, GetRole (trust URL-encoded, tags), AttachRolePolicy, ListAttachedRolePolicies', async () => {
    const { iam, account, trust } = setup();
    expect((await caught(iam.send(new GetRoleCommand({ RoleName: 'admin' })))).message).toBe('The role with name admin cannot be found.');
    const document = trust({ Bool: { 'aws:MultiFactorAuthPresent': 'true' } });
    const created = await iam.send(new CreateRoleCommand({ RoleName: 'admin', AssumeRolePolicyDocument: document, Description: 'admin', Tags: [{ Key: 'slipway:app', Value: 'demo' }] }));
    expect(created.Role).toMatchObject({ RoleName: 'admin', Arn: `arn:aws:iam::${account}:role/admin`, MaxSessionDuration: 3600, AssumeRolePolicyDocument: encodeURIComponent(document) });
    expect(created.Role?.RoleId).toMatch(/^AROA/);

    await iam.send(new AttachRolePolicyCommand({ RoleName: 'admin', PolicyArn: ADMIN_ACCESS }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'admin', PolicyArn: ADMIN_ACCESS }));
    const got = await iam.send(new GetRoleCommand({ RoleName: 'admin' }));
    expect(got.Role).toMatchObject({ Description: 'admin', Tags: [{ Key: 'slipway:app', Value: 'demo' }] });
    expect((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'admin' }))).AttachedPolicies).toEqual([{ PolicyName: 'AdministratorAccess', PolicyArn: ADMIN_ACCESS }]);
    expect((await caught(iam.send(new CreateRoleCommand({ RoleName: 'admin', AssumeRolePolicyDocument: document })))).name).toBe('EntityAlreadyExistsException');
  });

  it('AttachRolePolicy → NoSuchEntity for a role that does not exist', async () => {
    const { iam } = setup();
    const error = await caught(iam.send(new AttachRolePolicyCommand({ RoleName: 'admin', PolicyArn: ADMIN_ACCESS })));
    expect(error.name).toBe('NoSuchEntityException');
    expect(classifyAwsError(error)).toBe('not-found');
  });

  it('CreateRole → MalformedPolicyDocument for invalid JSON, a missing principal, an unknown principal or a Resource', async () => {
    const { iam, account, sandbox } = setup();
    const cases: Array<[unknown, string]> = [
      ['{not json', 'This policy contains invalid Json'],
      [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole' }] }, 'Missing required field Principal'],
      [
        { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:user/ghost` }, Action: 'sts:AssumeRole' }] },
        `Invalid principal in policy: "AWS":"arn:aws:iam::${account}:user/ghost"`,
      ],
      [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'not-an-arn' }, Action: 'sts:AssumeRole' }] }, 'Invalid principal in policy: "AWS":"not-an-arn"'],
      [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: account }, Action: 'sts:AssumeRole', Resource: '*' }] }, 'Has prohibited field Resource'],
      [{ Version: '2012-10-18', Statement: [] }, 'The policy failed legacy parsing'],
    ];
    for (const [document, message] of cases) {
      const error = await caught(iam.send(new CreateRoleCommand({ RoleName: 'admin', AssumeRolePolicyDocument: typeof document === 'string' ? document : JSON.stringify(document) })));
      expect(error.name).toBe('MalformedPolicyDocumentException');
      expect(error.message).toBe(message);
    }
    expect(Object.keys(sandbox.snapshot().iam.roles)).toEqual([]);
  });

  it('UpdateAssumeRolePolicy replaces the trust after the same checks', async () => {
    const { iam, trust } = setup();
    await iam.send(new CreateRoleCommand({ RoleName: 'admin', AssumeRolePolicyDocument: trust() }));
    const withMfa = trust({ Bool: { 'aws:MultiFactorAuthPresent': 'true' } });
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'admin', PolicyDocument: withMfa }));
    expect(decodeURIComponent((await iam.send(new GetRoleCommand({ RoleName: 'admin' }))).Role!.AssumeRolePolicyDocument!)).toBe(withMfa);
    expect((await caught(iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'admin', PolicyDocument: '{' })))).name).toBe('MalformedPolicyDocumentException');
  });

  it('TagRole and ListRoleTags', async () => {
    const { iam, trust } = setup();
    await iam.send(new CreateRoleCommand({ RoleName: 'admin', AssumeRolePolicyDocument: trust() }));
    await iam.send(new TagRoleCommand({ RoleName: 'admin', Tags: [{ Key: 'slipway:env', Value: 'prod' }] }));
    expect((await iam.send(new ListRoleTagsCommand({ RoleName: 'admin' }))).Tags).toEqual([{ Key: 'slipway:env', Value: 'prod' }]);
  });

  it('LimitExceeded past 10 managed policies per role', async () => {
    const { iam, trust, sandbox } = setup();
    await iam.send(new CreateRoleCommand({ RoleName: 'admin', AssumeRolePolicyDocument: trust() }));
    sandbox.update((state) => {
      const admin = state.iam.policies[ADMIN_ACCESS]!;
      for (let i = 0; i < 10; i++) state.iam.policies[`arn:aws:iam::aws:policy/P${i}`] = { ...admin, name: `P${i}`, arn: `arn:aws:iam::aws:policy/P${i}` };
    });
    for (let i = 0; i < 10; i++) await iam.send(new AttachRolePolicyCommand({ RoleName: 'admin', PolicyArn: `arn:aws:iam::aws:policy/P${i}` }));
    const error = await caught(iam.send(new AttachRolePolicyCommand({ RoleName: 'admin', PolicyArn: ADMIN_ACCESS })));
    expect(error.name).toBe('LimitExceededException');
    expect(error.message).toBe('Cannot exceed quota for PoliciesPerRole: 10');
  });
});

describe('IAM login profiles and the password policy', () => {
  it('GetAccountPasswordPolicy → NoSuchEntity while none is set', async () => {
    const { iam, account } = setup();
    const error = await caught(iam.send(new GetAccountPasswordPolicyCommand({})));
    expect(error.name).toBe('NoSuchEntityException');
    expect(error.message).toBe(`The Password Policy with domain name ${account} cannot be found.`);
  });

  it('GetLoginProfile → NoSuchEntity, CreateLoginProfile, GetLoginProfile, CreateLoginProfile again → EntityAlreadyExists', async () => {
    const { iam } = setup();
    await iam.send(new CreateUserCommand({ UserName: 'alice' }));
    expect((await caught(iam.send(new GetLoginProfileCommand({ UserName: 'alice' })))).message).toBe('Login Profile for User alice cannot be found.');
    const created = await iam.send(new CreateLoginProfileCommand({ UserName: 'alice', Password: 'Correct-Horse-7', PasswordResetRequired: true }));
    expect(created.LoginProfile).toEqual({ UserName: 'alice', CreateDate: new Date(T0), PasswordResetRequired: true });
    expect((await iam.send(new GetLoginProfileCommand({ UserName: 'alice' }))).LoginProfile?.PasswordResetRequired).toBe(true);
    expect((await caught(iam.send(new CreateLoginProfileCommand({ UserName: 'alice', Password: 'Correct-Horse-7' })))).name).toBe('EntityAlreadyExistsException');
  });

  it('stores no password, only its hash', async () => {
    const { iam, sandbox } = setup();
    await iam.send(new CreateUserCommand({ UserName: 'alice' }));
    await iam.send(new CreateLoginProfileCommand({ UserName: 'alice', Password: 'Correct-Horse-7' }));
    expect(JSON.stringify(sandbox.snapshot())).not.toContain('Correct-Horse-7');
  });

  it('CreateLoginProfile → PasswordPolicyViolation under the default policy (8 chars, 3 of 4 classes)', async () => {
    const { iam } = setup();
    await iam.send(new CreateUserCommand({ UserName: 'alice' }));
    for (const password of ['short1A', 'alllowercase', 'lowerand123', 'alice']) {
      const error = await caught(iam.send(new CreateLoginProfileCommand({ UserName: 'alice', Password: password })));
      expect(error.name).toBe('PasswordPolicyViolationException');
      expect(error.message).toBe('Password does not conform to the account password policy.');
    }
  });

  it('applies a custom password policy with its own messages, and UpdateLoginProfile checks it too', async () => {
    const { iam } = setup();
    await iam.send(new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 14, RequireSymbols: true, RequireNumbers: true, RequireUppercaseCharacters: true, RequireLowercaseCharacters: true }));
    expect((await iam.send(new GetAccountPasswordPolicyCommand({}))).PasswordPolicy).toMatchObject({ MinimumPasswordLength: 14, RequireSymbols: true, ExpirePasswords: false });
    await iam.send(new CreateUserCommand({ UserName: 'alice' }));
    expect((await caught(iam.send(new CreateLoginProfileCommand({ UserName: 'alice', Password: 'Short-1a' })))).message).toBe('Password should have a minimum length of 14');
    expect((await caught(iam.send(new CreateLoginProfileCommand({ UserName: 'alice', Password: 'nouppercase-123' })))).message).toBe('Password should have at least one uppercase letter');
    expect((await caught(iam.send(new CreateLoginProfileCommand({ UserName: 'alice', Password: 'NoSymbolsHere123' })))).message).toBe('Password should have at least one symbol');
    await iam.send(new CreateLoginProfileCommand({ UserName: 'alice', Password: 'Long-enough-123!' }));
    expect((await caught(iam.send(new UpdateLoginProfileCommand({ UserName: 'alice', Password: 'weak' })))).name).toBe('PasswordPolicyViolationException');
    await iam.send(new UpdateLoginProfileCommand({ UserName: 'alice', Password: 'Another-long-456!', PasswordResetRequired: false }));
    expect((await iam.send(new GetLoginProfileCommand({ UserName: 'alice' }))).LoginProfile?.PasswordResetRequired).toBe(false);
    await iam.send(new DeleteAccountPasswordPolicyCommand({}));
    expect((await caught(iam.send(new GetAccountPasswordPolicyCommand({})))).name).toBe('NoSuchEntityException');
  });
});

describe('IAM account aliases', () => {
  it('ListAccountAliases, CreateAccountAlias (idempotent), EntityAlreadyExists for an alias another account holds', async () => {
    const { iam } = setup();
    expect((await iam.send(new ListAccountAliasesCommand({}))).AccountAliases).toEqual([]);
    await iam.send(new CreateAccountAliasCommand({ AccountAlias: 'acme-sandbox' }));
    await iam.send(new CreateAccountAliasCommand({ AccountAlias: 'acme-sandbox' }));
    expect((await iam.send(new ListAccountAliasesCommand({}))).AccountAliases).toEqual(['acme-sandbox']);
    const taken = await caught(iam.send(new CreateAccountAliasCommand({ AccountAlias: 'example' })));
    expect(taken.name).toBe('EntityAlreadyExistsException');
    expect(taken.message).toBe('The account alias example already exists.');
    expect(classifyAwsError(taken)).toBe('already-exists');
  });

  it('one alias per account: a new one replaces the old', async () => {
    const { iam } = setup();
    await iam.send(new CreateAccountAliasCommand({ AccountAlias: 'first-name' }));
    await iam.send(new CreateAccountAliasCommand({ AccountAlias: 'second-name' }));
    expect((await iam.send(new ListAccountAliasesCommand({}))).AccountAliases).toEqual(['second-name']);
  });

  it('rejects an alias IAM would reject', async () => {
    const { iam } = setup();
    expect((await caught(iam.send(new CreateAccountAliasCommand({ AccountAlias: 'Bad--Alias' })))).name).toBe('ValidationError');
  });
});
