import {
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  DeletePolicyVersionCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  ListPolicyTagsCommand,
  ListPolicyVersionsCommand,
  TagPolicyCommand,
} from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { classifyAwsError } from '../../src/aws/errors.js';
import { adminClients, caught, frozenSandbox } from './support.js';

const doc = (sid: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: sid, Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }] });

function setup() {
  const sandbox = frozenSandbox();
  const arn = `arn:aws:iam::${sandbox.accountId}:policy/RequireMFAPolicy`;
  return { sandbox, arn, iam: adminClients(sandbox).iam };
}

describe('IAM managed policies', () => {
  it('GetPolicy → NoSuchEntity, CreatePolicy, GetPolicy, GetPolicyVersion (URL-encoded document)', async () => {
    const { iam, arn } = setup();
    const missing = await caught(iam.send(new GetPolicyCommand({ PolicyArn: arn })));
    expect(missing.name).toBe('NoSuchEntityException');
    expect(missing.message).toBe(`Policy ${arn} was not found.`);

    const created = await iam.send(new CreatePolicyCommand({ PolicyName: 'RequireMFAPolicy', PolicyDocument: doc('v1'), Tags: [{ Key: 'slipway:app', Value: 'demo' }] }));
    expect(created.Policy).toMatchObject({ PolicyName: 'RequireMFAPolicy', Arn: arn, DefaultVersionId: 'v1', AttachmentCount: 0, IsAttachable: true });
    expect(created.Policy?.PolicyId).toMatch(/^ANPA/);

    const got = await iam.send(new GetPolicyCommand({ PolicyArn: arn }));
    expect(got.Policy?.Tags).toEqual([{ Key: 'slipway:app', Value: 'demo' }]);
    const version = await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' }));
    expect(version.PolicyVersion).toMatchObject({ VersionId: 'v1', IsDefaultVersion: true, Document: encodeURIComponent(doc('v1')) });
    expect((await caught(iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v9' })))).name).toBe('NoSuchEntityException');
  });

  it('CreatePolicy → EntityAlreadyExists for the same name, whatever the path', async () => {
    const { iam } = setup();
    await iam.send(new CreatePolicyCommand({ PolicyName: 'RequireMFAPolicy', PolicyDocument: doc('a') }));
    const error = await caught(iam.send(new CreatePolicyCommand({ PolicyName: 'RequireMFAPolicy', Path: '/other/', PolicyDocument: doc('a') })));
    expect(error.name).toBe('EntityAlreadyExistsException');
    expect(error.message).toBe('A policy called RequireMFAPolicy already exists. Duplicate names are not allowed.');
  });

  it('CreatePolicy → MalformedPolicyDocument, and LimitExceeded past 6,144 characters', async () => {
    const { iam } = setup();
    const malformed = await caught(iam.send(new CreatePolicyCommand({ PolicyName: 'P', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'GetUser', Resource: '*' }] }) })));
    expect(malformed.name).toBe('MalformedPolicyDocumentException');
    expect(malformed.message).toBe('Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.');
    const actions = Array.from({ length: 400 }, (_, i) => `iam:Action${i}`);
    const big = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] });
    const tooBig = await caught(iam.send(new CreatePolicyCommand({ PolicyName: 'P', PolicyDocument: big })));
    expect(tooBig.name).toBe('LimitExceededException');
    expect(tooBig.message).toBe('Cannot exceed quota for PolicySize: 6144');
  });

  it('CreatePolicyVersion (SetAsDefault), ListPolicyVersions newest first, LimitExceeded at 5 versions', async () => {
    const { iam, arn, sandbox } = setup();
    await iam.send(new CreatePolicyCommand({ PolicyName: 'RequireMFAPolicy', PolicyDocument: doc('v1') }));
    for (let v = 2; v <= 5; v++) {
      sandbox.clock.advance(1000);
      const created = await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: doc(`v${v}`), SetAsDefault: v === 3 }));
      expect(created.PolicyVersion).toMatchObject({ VersionId: `v${v}`, IsDefaultVersion: v === 3 });
    }
    const listed = await iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }));
    expect(listed.Versions?.map((v) => [v.VersionId, v.IsDefaultVersion])).toEqual([
      ['v5', false],
      ['v4', false],
      ['v3', true],
      ['v2', false],
      ['v1', false],
    ]);
    expect((await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy?.DefaultVersionId).toBe('v3');

    const full = await caught(iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: doc('v6'), SetAsDefault: true })));
    expect(full.name).toBe('LimitExceededException');
    expect(full.message).toBe('A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.');
    expect(classifyAwsError(full)).not.toBe('other');

    // The documented way out: delete the oldest non-default version. Ids are never reused.
    await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' }));
    const next = await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: doc('v6'), SetAsDefault: true }));
    expect(next.PolicyVersion?.VersionId).toBe('v6');
    const current = await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v6' }));
    expect(decodeURIComponent(current.PolicyVersion!.Document!)).toBe(doc('v6'));
  });

  it('DeletePolicyVersion → DeleteConflict for the default version, NoSuchEntity for a missing one', async () => {
    const { iam, arn } = setup();
    await iam.send(new CreatePolicyCommand({ PolicyName: 'RequireMFAPolicy', PolicyDocument: doc('v1') }));
    const conflict = await caught(iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' })));
    expect(conflict.name).toBe('DeleteConflictException');
    expect(conflict.message).toBe('Cannot delete the default version of a policy.');
    expect((conflict.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(409);
    expect((await caught(iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v7' })))).name).toBe('NoSuchEntityException');
  });

  it('TagPolicy and ListPolicyTags', async () => {
    const { iam, arn } = setup();
    await iam.send(new CreatePolicyCommand({ PolicyName: 'RequireMFAPolicy', PolicyDocument: doc('v1') }));
    await iam.send(new TagPolicyCommand({ PolicyArn: arn, Tags: [{ Key: 'slipway:app', Value: 'demo' }] }));
    expect((await iam.send(new ListPolicyTagsCommand({ PolicyArn: arn }))).Tags).toEqual([{ Key: 'slipway:app', Value: 'demo' }]);
  });

  it('knows AWS managed AdministratorAccess', async () => {
    const { iam } = setup();
    const policy = await iam.send(new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
    expect(policy.Policy).toMatchObject({ PolicyName: 'AdministratorAccess', DefaultVersionId: 'v1', AttachmentCount: 1 });
  });
});
