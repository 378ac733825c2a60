import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DescribeKeyPairsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  CreateAccessKeyCommand,
  CreateLoginProfileCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  GetUserCommand,
  IAMClient,
  ListUsersCommand,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyAwsError } from '../../src/aws/errors.js';
import { attachSandbox } from '../../src/sandbox/attach.js';
import { SandboxUnsupportedError } from '../../src/sandbox/errors.js';
import { adminClients, caught, clientsFor, frozenSandbox } from './support.js';

/**
 * The sandbox must throw what the SDK's own deserializer throws for the same AWS response. A local
 * HTTP server plays AWS with the documented XML error bodies; the real clients parse them; the
 * sandbox's errors are compared field by field.
 */
let server: Server;
let endpoint: string;
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

const wireConfig = () => ({ region: 'us-east-1', endpoint, maxAttempts: 1, credentials: { accessKeyId: 'AKIAWIRE', secretAccessKey: 'wire' } });
const queryError = (code: string, message: string) =>
  `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>wire-request-id</RequestId></ErrorResponse>`;
const ec2Error = (code: string, message: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>wire-request-id</RequestID></Response>`;

/** The parts of an SDK error a caller can observe (request ids differ by nature). */
function observable(error: Error & Record<string, unknown>) {
  const meta = error.$metadata as { httpStatusCode?: number; requestId?: string };
  return {
    class: error.constructor.name,
    name: error.name,
    message: error.message,
    fault: error.$fault,
    status: meta.httpStatusCode,
    hasRequestId: typeof meta.requestId === 'string',
    Code: error.Code,
    Type: error.Type,
    Error: error.Error,
    hasRequestIdField: 'RequestId' in error,
  };
}

async function wire(send: () => Promise<unknown>, status: number, body: string) {
  reply = { status, body };
  return observable(await caught(send()));
}

describe('errors are the SDK deserializer’s own', () => {
  it('IAM NoSuchEntity → NoSuchEntityException (modeled)', async () => {
    const sandbox = frozenSandbox();
    const ours = observable(await caught(adminClients(sandbox).iam.send(new GetUserCommand({ UserName: 'nobody' }))));
    const real = await wire(() => new IAMClient(wireConfig()).send(new GetUserCommand({ UserName: 'nobody' })), 404, queryError('NoSuchEntity', 'The user with name nobody cannot be found.'));
    expect(ours).toEqual(real);
    expect(ours.name).toBe('NoSuchEntityException');
  });

  it('IAM EntityAlreadyExists → EntityAlreadyExistsException (modeled)', async () => {
    const sandbox = frozenSandbox();
    const { iam } = adminClients(sandbox);
    await iam.send(new CreateUserCommand({ UserName: 'alice' }));
    const ours = observable(await caught(iam.send(new CreateUserCommand({ UserName: 'alice' }))));
    const real = await wire(() => new IAMClient(wireConfig()).send(new CreateUserCommand({ UserName: 'alice' })), 409, queryError('EntityAlreadyExists', 'User with name alice already exists.'));
    expect(ours).toEqual(real);
  });

  it('IAM AccessDenied → IAMServiceException named by the wire code (unmodeled)', async () => {
    const sandbox = frozenSandbox();
    const { iam: admin } = adminClients(sandbox);
    await admin.send(new CreateUserCommand({ UserName: 'bob' }));
    const key = (await admin.send(new CreateAccessKeyCommand({ UserName: 'bob' }))).AccessKey!;
    const bob = clientsFor(sandbox, { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! });
    const error = await caught(bob.iam.send(new CreateUserCommand({ UserName: 'mallory' })));
    const ours = observable(error);
    const real = await wire(() => new IAMClient(wireConfig()).send(new CreateUserCommand({ UserName: 'mallory' })), 403, queryError('AccessDenied', error.message));
    expect(ours).toEqual(real);
    expect(ours.message).toBe(
      `User: arn:aws:iam::${sandbox.accountId}:user/bob is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::${sandbox.accountId}:user/mallory because no identity-based policy allows the iam:CreateUser action`,
    );
  });

  it('STS InvalidClientTokenId → STSServiceException', async () => {
    const sandbox = frozenSandbox();
    const stranger = clientsFor(sandbox, { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x' });
    const ours = observable(await caught(stranger.sts.send(new GetCallerIdentityCommand({}))));
    const real = await wire(() => new STSClient(wireConfig()).send(new GetCallerIdentityCommand({})), 403, queryError('InvalidClientTokenId', 'The security token included in the request is invalid.'));
    expect(ours).toEqual(real);
  });

  it('EC2 InvalidKeyPair.NotFound → EC2ServiceException without a Type', async () => {
    const sandbox = frozenSandbox();
    const ours = observable(await caught(adminClients(sandbox).ec2.send(new DescribeKeyPairsCommand({ KeyNames: ['admin'] }))));
    const real = await wire(() => new EC2Client(wireConfig()).send(new DescribeKeyPairsCommand({ KeyNames: ['admin'] })), 400, ec2Error('InvalidKeyPair.NotFound', "The key pair 'admin' does not exist"));
    expect(ours).toEqual(real);
  });

  it('modeled errors are instances of the exported classes, so `instanceof` checks work', async () => {
    const error = await caught(adminClients(frozenSandbox()).iam.send(new GetUserCommand({ UserName: 'nobody' })));
    expect(error).toBeInstanceOf(NoSuchEntityException);
  });
});

describe('classifyAwsError understands what the sandbox throws', () => {
  it('sorts the bootstrap errors into the kinds flows branch on', async () => {
    const sandbox = frozenSandbox();
    const { iam, ec2 } = adminClients(sandbox);
    await iam.send(new CreateUserCommand({ UserName: 'alice' }));
    const stranger = clientsFor(sandbox, { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x' });
    expect(classifyAwsError(await caught(iam.send(new GetUserCommand({ UserName: 'nobody' }))))).toBe('not-found');
    expect(classifyAwsError(await caught(iam.send(new CreateUserCommand({ UserName: 'alice' }))))).toBe('already-exists');
    expect(classifyAwsError(await caught(stranger.sts.send(new GetCallerIdentityCommand({}))))).toBe('invalid-credentials');
    expect(classifyAwsError(await caught(stranger.ec2.send(new DescribeKeyPairsCommand({}))))).toBe('invalid-credentials');
    expect(classifyAwsError(await caught(ec2.send(new DescribeKeyPairsCommand({ KeyNames: ['x'] }))))).toBe('not-found');
  });

  it('gives the other bootstrap errors a kind of their own, not "other"', async () => {
    const sandbox = frozenSandbox();
    const { iam } = adminClients(sandbox);
    await iam.send(new CreateUserCommand({ UserName: 'alice' }));
    await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }));
    await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }));
    const limit = await caught(iam.send(new CreateAccessKeyCommand({ UserName: 'alice' })));
    const badCodes = await caught(
      (async () => {
        const device = (await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'alice' }))).VirtualMFADevice!;
        await iam.send(new EnableMFADeviceCommand({ UserName: 'alice', SerialNumber: device.SerialNumber, AuthenticationCode1: '000000', AuthenticationCode2: '000001' }));
      })(),
    );
    const password = await caught(iam.send(new CreateLoginProfileCommand({ UserName: 'alice', Password: 'weak' })));
    expect([limit.name, badCodes.name, password.name]).toEqual(['LimitExceededException', 'InvalidAuthenticationCodeException', 'PasswordPolicyViolationException']);
    for (const error of [limit, badCodes, password]) expect(classifyAwsError(error)).not.toBe('other');
  });
});

describe('gaps in the simulation are loud', () => {
  it('names the command it does not simulate', async () => {
    const error = await caught(adminClients(frozenSandbox()).iam.send(new ListUsersCommand({})));
    expect(error).toBeInstanceOf(SandboxUnsupportedError);
    expect(error.message).toMatch(/the sandbox does not simulate IAM ListUsers yet/);
    expect(classifyAwsError(error)).toBe('other');
  });

  it('names a service it does not simulate', async () => {
    // Every SDK client slipway installs is simulated now: one reporting another serviceId stands in.
    const { ECSClient, ListClustersCommand } = await import('@aws-sdk/client-ecs');
    const sandbox = frozenSandbox();
    const client = new ECSClient({ region: 'us-east-1', credentials: sandbox.adminCredentials() });
    Object.assign(client.config, { serviceId: 'Lambda' });
    const lambda = attachSandbox(client, sandbox);
    await expect(lambda.send(new ListClustersCommand({}))).rejects.toThrow(/the sandbox does not simulate Lambda yet \(Lambda ListClusters\)/);
  });
});
