import { describe, expect, it } from 'vitest';
import { classifyAwsError, explainAwsError } from '../../src/aws/errors.js';
import { resolveAwsSettings, validateEndpoint, validateRegion } from '../../src/aws/settings.js';
import { retryWhileNotReady } from '../../src/aws/waiters.js';
import { CancelledError, SlipwayError } from '../../src/engine/errors.js';

const named = (name: string, message = '') => Object.assign(new Error(message), { name });

describe('AWS error classification', () => {
  it.each([
    ['EntityAlreadyExists', 'already-exists'],
    ['RepositoryAlreadyExistsException', 'already-exists'],
    ['InvalidKeyPair.Duplicate', 'already-exists'],
    ['NoSuchEntity', 'not-found'],
    ['ClusterNotFoundException', 'not-found'],
    ['InvalidKeyPair.NotFound', 'not-found'],
    ['AccessDenied', 'access-denied'],
    ['UnauthorizedOperation', 'access-denied'],
    ['ThrottlingException', 'throttled'],
    ['RequestLimitExceeded', 'throttled'],
    ['ExpiredToken', 'expired-token'],
    ['InvalidClientTokenId', 'invalid-credentials'],
    ['CredentialsProviderError', 'no-credentials'],
    ['ValidationError', 'validation'],
    ['MalformedPolicyDocument', 'validation'],
    ['UnknownOperationException', 'unsupported'],
    ['SomethingNew', 'other'],
  ])('%s → %s', (name, kind) => {
    expect(classifyAwsError(named(name))).toBe(kind);
  });

  it('recognises IAM propagation delays by the services’ messages, in one place', () => {
    expect(classifyAwsError(named('ClientException', 'ECS was unable to assume the role arn:aws:iam::1:role/x'))).toBe('not-propagated');
    expect(classifyAwsError(named('InvalidParameterException', 'Unable to assume role and validate the specified targetGroupArn'))).toBe('not-propagated');
    expect(classifyAwsError(named('ClientException', 'Container.image should not be null'))).toBe('other');
    expect(classifyAwsError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe('network');
    expect(classifyAwsError('string')).toBe('other');
  });

  it('explains with a why and a fix, keeping the service’s words', () => {
    const explained = explainAwsError(named('ExpiredToken', 'The security token included in the request is expired'), 'Listing roles');
    expect(explained).toBeInstanceOf(SlipwayError);
    expect(explained.message).toBe('Listing roles failed: ExpiredToken: The security token included in the request is expired');
    expect(explained.fix).toMatch(/fresh MFA code/);
    // An endpoint without the API (moto has no ECS Express Mode) says so, and how to deploy anyway.
    const unsupported = explainAwsError(named('UnknownOperationException', 'Unknown operation DescribeExpressGatewayService'), 'Express Mode service');
    expect(unsupported.why).toMatch(/does not offer this API/);
    expect(unsupported.fix).toContain('"launchType": "FARGATE"');
  });
});

describe('AWS settings', () => {
  it('flags win over the environment, which wins over the profile', () => {
    expect(resolveAwsSettings({ region: 'eu-west-1', profile: 'p' }, { AWS_REGION: 'us-east-2', AWS_PROFILE: 'q' })).toMatchObject({ region: 'eu-west-1', profile: 'p', regionSource: 'flag' });
    expect(resolveAwsSettings({}, { AWS_REGION: 'us-east-2', AWS_PROFILE: 'q', AWS_CONFIG_FILE: '/nonexistent' })).toMatchObject({ region: 'us-east-2', profile: 'q', regionSource: 'AWS_REGION' });
    expect(resolveAwsSettings({}, { AWS_DEFAULT_REGION: 'ap-south-1', AWS_CONFIG_FILE: '/nonexistent' })).toMatchObject({ region: 'ap-south-1', regionSource: 'AWS_DEFAULT_REGION' });
    expect(resolveAwsSettings({}, { AWS_ENDPOINT_URL: 'http://localhost:4566', AWS_CONFIG_FILE: '/nonexistent' })).toEqual({ endpoint: 'http://localhost:4566' });
  });

  it('validates regions and endpoints', () => {
    for (const good of ['us-east-1', 'eu-central-2', 'us-gov-west-1', 'ap-southeast-4']) expect(validateRegion(good)).toBeUndefined();
    for (const bad of ['us-east', 'US-EAST-1', 'useast1', 'us-east-1a', '']) expect(validateRegion(bad)).toMatch(/not an AWS region/);
    expect(validateEndpoint('http://localhost:4566')).toBeUndefined();
    expect(validateEndpoint('ftp://x')).toMatch(/http/);
    expect(validateEndpoint('localhost:4566')).toBeDefined();
  });
});

describe('waiting out eventual consistency', () => {
  const report = { lines: [] as string[], log(line: string) { this.lines.push(line); }, progress() {} };
  const noSleep = async () => {};

  it('retries while the error means "not yet", showing each wait, then succeeds', async () => {
    let calls = 0;
    const value = await retryWhileNotReady(
      async () => {
        if (++calls < 3) throw named('AccessDenied', 'User is not authorized to perform: sts:AssumeRole on resource');
        return 'ok';
      },
      { retryOn: ['not-propagated', 'access-denied'], waitingFor: 'waiting for IAM', report, signal: new AbortController().signal, sleep: noSleep },
    );
    expect(value).toBe('ok');
    expect(calls).toBe(3);
    expect(report.lines.filter((l) => l.startsWith('waiting for IAM'))).toHaveLength(2);
  });

  it('does not retry other errors, and gives up with a fix when the budget is spent', async () => {
    await expect(
      retryWhileNotReady(() => Promise.reject(named('ValidationError')), { retryOn: ['not-propagated'], waitingFor: 'w', report, signal: new AbortController().signal, sleep: noSleep }),
    ).rejects.toMatchObject({ name: 'ValidationError' });
    await expect(
      retryWhileNotReady(() => Promise.reject(named('ClientException', 'ECS was unable to assume the role')), {
        retryOn: ['not-propagated'],
        waitingFor: 'waiting for the role',
        report,
        signal: new AbortController().signal,
        budgetMs: 0,
        sleep: noSleep,
      }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/^Still waiting for the role/), fix: expect.stringMatching(/resumes/) });
  });

  it('a cancelled wait stops at once', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      retryWhileNotReady(() => Promise.reject(named('ClientException', 'ECS was unable to assume the role')), { retryOn: ['not-propagated'], waitingFor: 'w', report, signal: controller.signal }),
    ).rejects.toBeInstanceOf(CancelledError);
  });
});
