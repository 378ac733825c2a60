import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AddRoleToInstanceProfileCommand,
  AttachRolePolicyCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  CreateServiceLinkedRoleCommand,
  DeleteInstanceProfileCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetInstanceProfileCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListInstanceProfilesCommand,
  ListInstanceProfilesForRoleCommand,
  ListRolePoliciesCommand,
  ListRoleTagsCommand,
  PutRolePolicyCommand,
  RemoveRoleFromInstanceProfileCommand,
  TagRoleCommand,
  UntagRoleCommand,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyAwsError } from '../../src/aws/errors.js';
import { SandboxUnsupportedError } from '../../src/sandbox/errors.js';
import { adminClients, caught, frozenSandbox, T0 } from './support.js';

const EXECUTION_POLICY = 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy';
const INSTANCE_POLICY = 'arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role';
const EXPRESS_POLICY = 'arn:aws:iam::aws:policy/service-role/AmazonECSInfrastructureRoleforExpressGatewayServices';

const trust = (service: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] });

describe('AWS managed policies for a rollout', () => {
  it('the account has AmazonECSTaskExecutionRolePolicy with AWS’s document, and the EC2 and Express Mode role policies', async () => {
    const { iam } = adminClients(frozenSandbox());
    const execution = (await iam.send(new GetPolicyCommand({ PolicyArn: EXECUTION_POLICY }))).Policy!;
    expect(execution).toMatchObject({ PolicyName: 'AmazonECSTaskExecutionRolePolicy', Path: '/service-role/', DefaultVersionId: 'v1', IsAttachable: true, AttachmentCount: 0 });
    const version = (await iam.send(new GetPolicyVersionCommand({ PolicyArn: EXECUTION_POLICY, VersionId: 'v1' }))).PolicyVersion!;
    expect(JSON.parse(decodeURIComponent(version.Document!))).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['ecr:GetAuthorizationToken', 'ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage', 'logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: '*',
        },
      ],
    });
    for (const arn of [INSTANCE_POLICY, EXPRESS_POLICY]) {
      const policy = (await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!;
      expect(policy.Path).toBe('/service-role/');
      expect((await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: policy.DefaultVersionId }))).PolicyVersion?.IsDefaultVersion).toBe(true);
    }
  });

  it('a sandbox saved before these policies existed still finds and attaches them, and then keeps them', async () => {
    const sandbox = frozenSandbox();
    sandbox.update((s) => {
      for (const arn of [EXECUTION_POLICY, INSTANCE_POLICY, EXPRESS_POLICY]) delete s.iam.policies[arn];
    });
    const { iam } = adminClients(sandbox);
    expect((await iam.send(new GetPolicyCommand({ PolicyArn: EXECUTION_POLICY }))).Policy?.PolicyName).toBe('AmazonECSTaskExecutionRolePolicy');
    await iam.send(new CreateRoleCommand({ RoleName: 'todobackend-dev-execution', AssumeRolePolicyDocument: trust('ecs-tasks.amazonaws.com') }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'todobackend-dev-execution', PolicyArn: EXECUTION_POLICY }));
    expect(sandbox.snapshot().iam.policies[EXECUTION_POLICY]?.awsManaged).toBe(true);
    expect((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'todobackend-dev-execution' }))).AttachedPolicies).toEqual([
      { PolicyName: 'AmazonECSTaskExecutionRolePolicy', PolicyArn: EXECUTION_POLICY },
    ]);
    expect((await iam.send(new GetPolicyCommand({ PolicyArn: EXECUTION_POLICY }))).Policy?.AttachmentCount).toBe(1);
    expect((await caught(iam.send(new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/NoSuchPolicy' })))).name).toBe('NoSuchEntityException');
  });
});

describe('task roles trusting ecs-tasks.amazonaws.com', () => {
  it('CreateRole, GetRole, AttachRolePolicy, ListAttachedRolePolicies, TagRole/UntagRole', async () => {
    const sandbox = frozenSandbox();
    const { iam } = adminClients(sandbox);
    const created = await iam.send(new CreateRoleCommand({ RoleName: 'todobackend-dev-execution', AssumeRolePolicyDocument: trust('ecs-tasks.amazonaws.com'), Tags: [{ Key: 'slipway:app', Value: 'todobackend' }] }));
    expect(created.Role?.Arn).toBe(`arn:aws:iam::${sandbox.accountId}:role/todobackend-dev-execution`);
    const got = (await iam.send(new GetRoleCommand({ RoleName: 'todobackend-dev-execution' }))).Role!;
    expect(JSON.parse(decodeURIComponent(got.AssumeRolePolicyDocument!)).Statement[0].Principal).toEqual({ Service: 'ecs-tasks.amazonaws.com' });
    expect(got.CreateDate).toEqual(new Date(T0));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'todobackend-dev-execution', PolicyArn: EXECUTION_POLICY }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'todobackend-dev-execution', PolicyArn: EXECUTION_POLICY }));
    expect((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'todobackend-dev-execution' }))).AttachedPolicies).toHaveLength(1);
    await iam.send(new TagRoleCommand({ RoleName: 'todobackend-dev-execution', Tags: [{ Key: 'slipway:env', Value: 'dev' }, { Key: 'temp', Value: 'x' }] }));
    await iam.send(new UntagRoleCommand({ RoleName: 'todobackend-dev-execution', TagKeys: ['temp'] }));
    expect((await iam.send(new ListRoleTagsCommand({ RoleName: 'todobackend-dev-execution' }))).Tags).toEqual([
      { Key: 'slipway:app', Value: 'todobackend' },
      { Key: 'slipway:env', Value: 'dev' },
    ]);
    const missing = await caught(iam.send(new GetRoleCommand({ RoleName: 'todobackend-dev-task' })));
    expect(missing.name).toBe('NoSuchEntityException');
    expect(classifyAwsError(missing)).toBe('not-found');
  });

  it('DeleteRole → DeleteConflict while managed or inline policies remain; DetachRolePolicy / DeleteRolePolicy; then it goes', async () => {
    const { iam } = adminClients(frozenSandbox());
    const RoleName = 'todobackend-dev-execution';
    await iam.send(new CreateRoleCommand({ RoleName, AssumeRolePolicyDocument: trust('ecs-tasks.amazonaws.com') }));
    await iam.send(new AttachRolePolicyCommand({ RoleName, PolicyArn: EXECUTION_POLICY }));
    const attached = await caught(iam.send(new DeleteRoleCommand({ RoleName })));
    expect(attached.name).toBe('DeleteConflictException');
    expect(attached.message).toBe('Cannot delete entity, must detach all policies first.');
    expect(classifyAwsError(attached)).toBe('conflict');
    await iam.send(new DetachRolePolicyCommand({ RoleName, PolicyArn: EXECUTION_POLICY }));
    expect((await caught(iam.send(new DetachRolePolicyCommand({ RoleName, PolicyArn: EXECUTION_POLICY })))).name).toBe('NoSuchEntityException');

    const inline = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' }] });
    await iam.send(new PutRolePolicyCommand({ RoleName, PolicyName: 'xray', PolicyDocument: inline }));
    expect((await iam.send(new ListRolePoliciesCommand({ RoleName }))).PolicyNames).toEqual(['xray']);
    expect((await iam.send(new GetRolePolicyCommand({ RoleName, PolicyName: 'xray' }))).PolicyDocument).toBe(encodeURIComponent(inline));
    expect((await caught(iam.send(new DeleteRoleCommand({ RoleName })))).message).toBe('Cannot delete entity, must delete policies first.');
    await iam.send(new DeleteRolePolicyCommand({ RoleName, PolicyName: 'xray' }));
    expect((await caught(iam.send(new GetRolePolicyCommand({ RoleName, PolicyName: 'xray' })))).name).toBe('NoSuchEntityException');

    await iam.send(new DeleteRoleCommand({ RoleName }));
    expect((await caught(iam.send(new GetRoleCommand({ RoleName })))).name).toBe('NoSuchEntityException');
    expect((await caught(iam.send(new DeleteRoleCommand({ RoleName })))).name).toBe('NoSuchEntityException');
  });
});

describe('CreateServiceLinkedRole', () => {
  it('ecs.amazonaws.com → AWSServiceRoleForECS under its service path, with the ECS service policy; again → InvalidInput', async () => {
    const sandbox = frozenSandbox();
    const { iam } = adminClients(sandbox);
    const role = (await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'ecs.amazonaws.com' }))).Role!;
    expect(role).toMatchObject({ RoleName: 'AWSServiceRoleForECS', Path: '/aws-service-role/ecs.amazonaws.com/', Arn: `arn:aws:iam::${sandbox.accountId}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS` });
    expect(JSON.parse(decodeURIComponent(role.AssumeRolePolicyDocument!)).Statement[0].Principal).toEqual({ Service: 'ecs.amazonaws.com' });
    expect((await iam.send(new GetRoleCommand({ RoleName: 'AWSServiceRoleForECS' }))).Role?.Path).toBe('/aws-service-role/ecs.amazonaws.com/');
    expect((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'AWSServiceRoleForECS' }))).AttachedPolicies).toEqual([
      { PolicyName: 'AmazonECSServiceRolePolicy', PolicyArn: 'arn:aws:iam::aws:policy/aws-service-role/AmazonECSServiceRolePolicy' },
    ]);

    const again = await caught(iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'ecs.amazonaws.com' })));
    expect(again.name).toBe('InvalidInputException');
    expect(again.message).toBe('Service role name AWSServiceRoleForECS has been taken in this account, please try a different suffix.');
  });

  it('the service-linked role is the service’s: DeleteRole and policy changes → UnmodifiableEntity', async () => {
    const { iam } = adminClients(frozenSandbox());
    await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'ecs.amazonaws.com' }));
    const error = await caught(iam.send(new DeleteRoleCommand({ RoleName: 'AWSServiceRoleForECS' })));
    expect(error.name).toBe('UnmodifiableEntityException');
    expect((await caught(iam.send(new AttachRolePolicyCommand({ RoleName: 'AWSServiceRoleForECS', PolicyArn: EXECUTION_POLICY })))).name).toBe('UnmodifiableEntityException');
  });

  it('refuses a custom suffix for ECS, and says so for a service it does not simulate', async () => {
    const { iam } = adminClients(frozenSandbox());
    expect((await caught(iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'ecs.amazonaws.com', CustomSuffix: 'x' })))).name).toBe('InvalidInputException');
    expect(await caught(iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'rds.amazonaws.com' })))).toBeInstanceOf(SandboxUnsupportedError);
  });
});

describe('instance profiles (EC2 launch type, reference §11)', () => {
  it('CreateInstanceProfile, AddRoleToInstanceProfile (one role only), GetInstanceProfile, ListInstanceProfilesForRole', async () => {
    const sandbox = frozenSandbox();
    const { iam } = adminClients(sandbox);
    const created = (await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'ecsInstanceRole', Tags: [{ Key: 'slipway:app', Value: 'todobackend' }] }))).InstanceProfile!;
    expect(created).toMatchObject({ InstanceProfileName: 'ecsInstanceRole', Path: '/', Arn: `arn:aws:iam::${sandbox.accountId}:instance-profile/ecsInstanceRole`, Roles: [], CreateDate: new Date(T0) });
    expect(created.InstanceProfileId).toMatch(/^AIPA[A-Z2-7]{17}$/);
    const duplicate = await caught(iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'ecsInstanceRole' })));
    expect(duplicate.name).toBe('EntityAlreadyExistsException');
    expect(duplicate.message).toBe('Instance Profile ecsInstanceRole already exists.');

    await iam.send(new CreateRoleCommand({ RoleName: 'ecsInstanceRole', AssumeRolePolicyDocument: trust('ec2.amazonaws.com') }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'ecsInstanceRole', PolicyArn: INSTANCE_POLICY }));
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'ecsInstanceRole', RoleName: 'ecsInstanceRole' }));
    await iam.send(new CreateRoleCommand({ RoleName: 'other', AssumeRolePolicyDocument: trust('ec2.amazonaws.com') }));
    const second = await caught(iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'ecsInstanceRole', RoleName: 'other' })));
    expect(second.name).toBe('LimitExceededException');
    expect(second.message).toBe('Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1');

    const got = (await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'ecsInstanceRole' }))).InstanceProfile!;
    expect(got.Roles?.map((r) => r.RoleName)).toEqual(['ecsInstanceRole']);
    expect(got.Tags).toEqual([{ Key: 'slipway:app', Value: 'todobackend' }]);
    expect((await iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: 'ecsInstanceRole' }))).InstanceProfiles?.map((p) => p.InstanceProfileName)).toEqual(['ecsInstanceRole']);
    expect((await iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: 'other' }))).InstanceProfiles).toEqual([]);
    expect((await iam.send(new ListInstanceProfilesCommand({}))).InstanceProfiles).toHaveLength(1);

    const missing = await caught(iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'nope' })));
    expect(missing.name).toBe('NoSuchEntityException');
    expect(missing.message).toBe('Instance Profile nope cannot be found.');
    expect((await caught(iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'nope', RoleName: 'other' })))).name).toBe('NoSuchEntityException');
  });

  it('teardown order: DeleteRole and DeleteInstanceProfile → DeleteConflict until the role is removed from the profile', async () => {
    const { iam } = adminClients(frozenSandbox());
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'ecsInstanceRole' }));
    await iam.send(new CreateRoleCommand({ RoleName: 'ecsInstanceRole', AssumeRolePolicyDocument: trust('ec2.amazonaws.com') }));
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'ecsInstanceRole', RoleName: 'ecsInstanceRole' }));

    const role = await caught(iam.send(new DeleteRoleCommand({ RoleName: 'ecsInstanceRole' })));
    expect(role.name).toBe('DeleteConflictException');
    expect(role.message).toBe('Cannot delete entity, must remove roles from instance profile first.');
    const profile = await caught(iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'ecsInstanceRole' })));
    expect(profile.name).toBe('DeleteConflictException');

    await iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: 'ecsInstanceRole', RoleName: 'ecsInstanceRole' }));
    expect((await caught(iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: 'ecsInstanceRole', RoleName: 'ecsInstanceRole' })))).name).toBe('NoSuchEntityException');
    await iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'ecsInstanceRole' }));
    expect((await caught(iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'ecsInstanceRole' })))).name).toBe('NoSuchEntityException');
    await iam.send(new DeleteRoleCommand({ RoleName: 'ecsInstanceRole' }));
    expect((await iam.send(new ListInstanceProfilesCommand({}))).InstanceProfiles).toEqual([]);
  });
});

/** The new IAM codes against the SDK's own deserializer (a local server sends IAM's XML errors). */
describe('the new IAM errors are the SDK deserializer’s own', () => {
  let server: Server;
  let endpoint = '';
  let reply = { status: 400, body: '' };
  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(reply.status, { 'content-type': 'text/xml', 'x-amzn-requestid': 'wire-request-id' });
        res.end(reply.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const wireClient = () => new IAMClient({ region: 'us-east-1', endpoint, maxAttempts: 1, credentials: { accessKeyId: 'AKIAWIRE', secretAccessKey: 'wire' } });
  const observable = (error: Error & Record<string, unknown>) => ({
    class: error.constructor.name,
    name: error.name,
    message: error.message,
    fault: error.$fault,
    status: (error.$metadata as { httpStatusCode?: number }).httpStatusCode,
    Code: error.Code,
    Type: error.Type,
    Error: error.Error,
  });

  async function compare(ours: Promise<unknown>, wire: () => Promise<unknown>, code: string) {
    const mine = observable(await caught(ours));
    reply = {
      status: mine.status ?? 400,
      body: `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${mine.message}</Message></Error><RequestId>wire-request-id</RequestId></ErrorResponse>`,
    };
    expect(mine).toEqual(observable(await caught(wire())));
  }

  it('UnmodifiableEntity and InvalidInput', async () => {
    const { iam } = adminClients(frozenSandbox());
    const create = new CreateServiceLinkedRoleCommand({ AWSServiceName: 'ecs.amazonaws.com' });
    await iam.send(create);
    await compare(iam.send(create), () => wireClient().send(create), 'InvalidInput');
    const remove = new DeleteRoleCommand({ RoleName: 'AWSServiceRoleForECS' });
    await compare(iam.send(remove), () => wireClient().send(remove), 'UnmodifiableEntity');
  });
});
