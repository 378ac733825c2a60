import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DeleteLifecyclePolicyCommand,
  DeleteRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
  GetLifecyclePolicyCommand,
  ListTagsForResourceCommand,
  PutImageScanningConfigurationCommand,
  PutImageTagMutabilityCommand,
  PutLifecyclePolicyCommand,
  RepositoryNotFoundException,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-ecr';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig } from '../../src/aws/clients.js';
import { classifyAwsError } from '../../src/aws/errors.js';
import { attachSandbox } from '../../src/sandbox/attach.js';
import { recordImage } from '../../src/sandbox/ecr.js';
import { REPOSITORY_LIMIT } from '../../src/sandbox/ecr/repositories.js';
import type { Sandbox } from '../../src/sandbox/store.js';
import { bootstrapAccount, caught, frozenSandbox, T0 } from './support.js';

/** A real ECRClient, configured as slipway configures clients, answered by the sandbox. */
function ecrFor(sandbox: Sandbox, credentials: AwsCredentialIdentity = sandbox.adminCredentials(), region = 'us-east-1'): ECRClient {
  return attachSandbox(new ECRClient(clientConfig({ region }, async () => credentials)), sandbox);
}

const HOURS_12 = 12 * 60 * 60 * 1000;
const SHA256 = /^sha256:[0-9a-f]{64}$/;

/** Reference §8: the book's rule for untagged images plus the completed cap on total history. */
const BOOK_POLICY = {
  rules: [
    { rulePriority: 10, description: 'Untagged images', selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 7 }, action: { type: 'expire' } },
    { rulePriority: 100, description: 'Keep the newest 50 images', selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 50 }, action: { type: 'expire' } },
  ],
};

describe('ECR repositories', () => {
  it('CreateRepository returns the repository as ECR does, and DescribeRepositories finds it', async () => {
    const sandbox = frozenSandbox();
    const ecr = ecrFor(sandbox, undefined, 'eu-west-1');
    const account = sandbox.accountId;
    const created = await ecr.send(
      new CreateRepositoryCommand({
        repositoryName: 'docker-in-aws/todobackend',
        imageTagMutability: 'MUTABLE',
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfiguration: { encryptionType: 'AES256' },
        tags: [{ Key: 'slipway:app', Value: 'todobackend' }],
      }),
    );
    expect(created.repository).toEqual({
      repositoryArn: `arn:aws:ecr:eu-west-1:${account}:repository/docker-in-aws/todobackend`,
      registryId: account,
      repositoryName: 'docker-in-aws/todobackend',
      repositoryUri: `${account}.dkr.ecr.eu-west-1.amazonaws.com/docker-in-aws/todobackend`,
      createdAt: new Date(T0),
      imageTagMutability: 'MUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: { encryptionType: 'AES256' },
    });
    const described = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['docker-in-aws/todobackend'] }));
    expect(described.repositories).toEqual([created.repository]);
    expect((await ecr.send(new DescribeRepositoriesCommand({}))).repositories).toEqual([created.repository]);
    const tags = await ecr.send(new ListTagsForResourceCommand({ resourceArn: created.repository?.repositoryArn }));
    expect(tags.tags).toEqual([{ Key: 'slipway:app', Value: 'todobackend' }]);
  });

  it('defaults: mutable tags, no scan on push, AES256', async () => {
    const ecr = ecrFor(frozenSandbox());
    const { repository } = await ecr.send(new CreateRepositoryCommand({ repositoryName: 'app' }));
    expect(repository).toMatchObject({ imageTagMutability: 'MUTABLE', imageScanningConfiguration: { scanOnPush: false }, encryptionConfiguration: { encryptionType: 'AES256' } });
  });

  it('RepositoryAlreadyExistsException for the same name, classified "already-exists"', async () => {
    const sandbox = frozenSandbox();
    const ecr = ecrFor(sandbox);
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'org/app' }));
    const error = await caught(ecr.send(new CreateRepositoryCommand({ repositoryName: 'org/app' })));
    expect(error.name).toBe('RepositoryAlreadyExistsException');
    expect(error.message).toBe(`The repository with name 'org/app' already exists in the registry with id '${sandbox.accountId}'`);
    expect(classifyAwsError(error)).toBe('already-exists');
  });

  it('DescribeRepositories → RepositoryNotFoundException for a name it does not know', async () => {
    const sandbox = frozenSandbox();
    const ecr = ecrFor(sandbox);
    const error = await caught(ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['org/app'] })));
    expect(error).toBeInstanceOf(RepositoryNotFoundException);
    expect(error.message).toBe(`The repository with name 'org/app' does not exist in the registry with id '${sandbox.accountId}'`);
    expect(classifyAwsError(error)).toBe('not-found');
    // Another account's registry is not the sandbox's to show.
    const other = await caught(ecr.send(new DescribeRepositoriesCommand({ registryId: '111122223333', repositoryNames: ['org/app'] })));
    expect(other.message).toBe(`The repository with name 'org/app' does not exist in the registry with id '111122223333'`);
  });

  it.each([
    ['a', "Invalid parameter at 'repositoryName' failed to satisfy constraint: 'Member must have length greater than or equal to 2'"],
    ['a'.repeat(257), "Invalid parameter at 'repositoryName' failed to satisfy constraint: 'Member must have length less than or equal to 256'"],
    ['Org/App', "Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression '(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*''"],
    ['org//app', undefined],
    ['app-', undefined],
    ['-app', undefined],
    ['org/app/', undefined],
    ['my app', undefined],
  ])('CreateRepository %j → InvalidParameterException', async (name, message) => {
    const error = await caught(ecrFor(frozenSandbox()).send(new CreateRepositoryCommand({ repositoryName: name })));
    expect(error.name).toBe('InvalidParameterException');
    if (message) expect(error.message).toBe(message);
    else expect(error.message).toMatch(/^Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression/);
    expect(classifyAwsError(error)).toBe('validation');
  });

  it('accepts names at the edges of the rule', async () => {
    const ecr = ecrFor(frozenSandbox());
    for (const name of ['ab', 'a'.repeat(256), 'a.b_c-d/e1/f-g', 'docker-in-aws/todobackend']) {
      expect((await ecr.send(new CreateRepositoryCommand({ repositoryName: name }))).repository?.repositoryName).toBe(name);
    }
  });

  it('tag mutability: an unknown value → ValidationException; exclusions need *_WITH_EXCLUSION and back', async () => {
    const ecr = ecrFor(frozenSandbox());
    const unknown = await caught(ecr.send(new CreateRepositoryCommand({ repositoryName: 'app', imageTagMutability: 'FROZEN' as never })));
    expect(unknown.name).toBe('ValidationException');
    expect(unknown.message).toMatch(/Value 'FROZEN' at 'imageTagMutability' failed to satisfy constraint: Member must satisfy enum value set/);
    expect((await caught(ecr.send(new CreateRepositoryCommand({ repositoryName: 'app', imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION' })))).name).toBe('InvalidParameterException');
    const latest = [{ filterType: 'WILDCARD' as const, filter: 'latest' }];
    expect((await caught(ecr.send(new CreateRepositoryCommand({ repositoryName: 'app', imageTagMutabilityExclusionFilters: latest })))).name).toBe('InvalidParameterException');
    const { repository } = await ecr.send(new CreateRepositoryCommand({ repositoryName: 'app', imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION', imageTagMutabilityExclusionFilters: latest }));
    expect(repository).toMatchObject({ imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION', imageTagMutabilityExclusionFilters: latest });
    const changed = await ecr.send(new PutImageTagMutabilityCommand({ repositoryName: 'app', imageTagMutability: 'MUTABLE' }));
    expect(changed).toMatchObject({ repositoryName: 'app', imageTagMutability: 'MUTABLE' });
    expect(changed.imageTagMutabilityExclusionFilters).toBeUndefined();
  });

  it('LimitExceededException once the region holds the quota of repositories', async () => {
    const sandbox = frozenSandbox();
    sandbox.update((state) => {
      const repositories: NonNullable<typeof state.ecr>['repositories'][string] = {};
      for (let i = 0; i < REPOSITORY_LIMIT; i++) {
        repositories[`r${i}`] = { name: `r${i}`, arn: '', createdAt: 0, imageTagMutability: 'MUTABLE', scanOnPush: false, encryption: { encryptionType: 'AES256' }, tags: [], images: [] };
      }
      state.ecr = { repositories: { 'us-east-1': repositories } };
    });
    const ecr = ecrFor(sandbox);
    const error = await caught(ecr.send(new CreateRepositoryCommand({ repositoryName: 'one-too-many' })));
    expect(error.name).toBe('LimitExceededException');
    expect(classifyAwsError(error)).toBe('limit-exceeded');
    // Other regions have their own quota.
    await ecrFor(sandbox, undefined, 'us-west-2').send(new CreateRepositoryCommand({ repositoryName: 'one-too-many' }));
  });

  it('repositories are regional', async () => {
    const sandbox = frozenSandbox();
    await ecrFor(sandbox, undefined, 'us-east-1').send(new CreateRepositoryCommand({ repositoryName: 'app' }));
    const west = ecrFor(sandbox, undefined, 'eu-west-1');
    expect((await caught(west.send(new DescribeRepositoriesCommand({ repositoryNames: ['app'] })))).name).toBe('RepositoryNotFoundException');
    expect((await west.send(new DescribeRepositoriesCommand({}))).repositories).toEqual([]);
  });

  it('DescribeRepositories pages with maxResults and nextToken', async () => {
    const ecr = ecrFor(frozenSandbox());
    for (const name of ['c-app', 'a-app', 'b-app']) await ecr.send(new CreateRepositoryCommand({ repositoryName: name }));
    const first = await ecr.send(new DescribeRepositoriesCommand({ maxResults: 2 }));
    expect(first.repositories?.map((r) => r.repositoryName)).toEqual(['a-app', 'b-app']);
    expect(first.nextToken).toBeDefined();
    const second = await ecr.send(new DescribeRepositoriesCommand({ maxResults: 2, nextToken: first.nextToken }));
    expect(second.repositories?.map((r) => r.repositoryName)).toEqual(['c-app']);
    expect(second.nextToken).toBeUndefined();
    expect((await caught(ecr.send(new DescribeRepositoriesCommand({ nextToken: 'garbage' })))).name).toBe('InvalidParameterException');
  });

  it('DeleteRepository: RepositoryNotEmptyException with images unless force; then RepositoryNotFoundException', async () => {
    const sandbox = frozenSandbox();
    const ecr = ecrFor(sandbox);
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'org/empty' }));
    const deleted = await ecr.send(new DeleteRepositoryCommand({ repositoryName: 'org/empty' }));
    expect(deleted.repository).toMatchObject({ repositoryName: 'org/empty', registryId: sandbox.accountId });
    expect((await caught(ecr.send(new DeleteRepositoryCommand({ repositoryName: 'org/empty' })))).name).toBe('RepositoryNotFoundException');

    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'org/full' }));
    recordImage(sandbox, { repositoryName: 'org/full', tags: ['latest'] });
    const notEmpty = await caught(ecr.send(new DeleteRepositoryCommand({ repositoryName: 'org/full' })));
    expect(notEmpty.name).toBe('RepositoryNotEmptyException');
    expect(notEmpty.message).toBe(`The repository with name 'org/full' in registry with id '${sandbox.accountId}' cannot be deleted because it still contains images`);
    await ecr.send(new DeleteRepositoryCommand({ repositoryName: 'org/full', force: true }));
    expect((await caught(ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['org/full'] })))).name).toBe('RepositoryNotFoundException');
    // Created again, it starts empty.
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'org/full' }));
    expect((await ecr.send(new DescribeImagesCommand({ repositoryName: 'org/full' }))).imageDetails).toEqual([]);
  });

  it('PutImageScanningConfiguration turns scan on push on and off; RepositoryNotFoundException for none', async () => {
    const sandbox = frozenSandbox();
    const ecr = ecrFor(sandbox);
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'app' }));
    const on = await ecr.send(new PutImageScanningConfigurationCommand({ repositoryName: 'app', imageScanningConfiguration: { scanOnPush: true } }));
    expect(on).toMatchObject({ registryId: sandbox.accountId, repositoryName: 'app', imageScanningConfiguration: { scanOnPush: true } });
    expect((await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['app'] }))).repositories?.[0]?.imageScanningConfiguration).toEqual({ scanOnPush: true });
    await ecr.send(new PutImageScanningConfigurationCommand({ repositoryName: 'app', imageScanningConfiguration: { scanOnPush: false } }));
    expect((await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['app'] }))).repositories?.[0]?.imageScanningConfiguration).toEqual({ scanOnPush: false });
    expect((await caught(ecr.send(new PutImageScanningConfigurationCommand({ repositoryName: 'nope', imageScanningConfiguration: { scanOnPush: true } })))).name).toBe(
      'RepositoryNotFoundException',
    );
  });
});

describe('ECR tags', () => {
  it('TagResource adds and overwrites, UntagResource removes, ListTagsForResource shows them', async () => {
    const ecr = ecrFor(frozenSandbox());
    const arn = (await ecr.send(new CreateRepositoryCommand({ repositoryName: 'app', tags: [{ Key: 'slipway:app', Value: 'one' }] }))).repository!.repositoryArn!;
    await ecr.send(new TagResourceCommand({ resourceArn: arn, tags: [{ Key: 'slipway:app', Value: 'two' }, { Key: 'slipway:env', Value: 'prod' }] }));
    expect((await ecr.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual([
      { Key: 'slipway:app', Value: 'two' },
      { Key: 'slipway:env', Value: 'prod' },
    ]);
    await ecr.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['slipway:env'] }));
    expect((await ecr.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual([{ Key: 'slipway:app', Value: 'two' }]);
  });

  it('errors: unknown repository, a malformed ARN, a reserved key, too many tags', async () => {
    const sandbox = frozenSandbox();
    const ecr = ecrFor(sandbox);
    const arn = (await ecr.send(new CreateRepositoryCommand({ repositoryName: 'app' }))).repository!.repositoryArn!;
    const missing = `arn:aws:ecr:us-east-1:${sandbox.accountId}:repository/nope`;
    expect((await caught(ecr.send(new ListTagsForResourceCommand({ resourceArn: missing })))).name).toBe('RepositoryNotFoundException');
    expect((await caught(ecr.send(new TagResourceCommand({ resourceArn: missing, tags: [] })))).name).toBe('RepositoryNotFoundException');
    expect((await caught(ecr.send(new ListTagsForResourceCommand({ resourceArn: 'not-an-arn' })))).name).toBe('InvalidParameterException');
    expect((await caught(ecr.send(new TagResourceCommand({ resourceArn: arn, tags: [{ Key: 'aws:owner', Value: 'me' }] })))).name).toBe('InvalidTagParameterException');
    const many = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    expect((await caught(ecr.send(new TagResourceCommand({ resourceArn: arn, tags: many })))).name).toBe('TooManyTagsException');
    expect((await caught(ecr.send(new CreateRepositoryCommand({ repositoryName: 'other', tags: many })))).name).toBe('TooManyTagsException');
  });
});

describe('ECR lifecycle policies', () => {
  it('Put, Get (in ECR’s own form), Delete; LifecyclePolicyNotFoundException before and after', async () => {
    const sandbox = frozenSandbox();
    const ecr = ecrFor(sandbox);
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'org/app' }));
    const none = await caught(ecr.send(new GetLifecyclePolicyCommand({ repositoryName: 'org/app' })));
    expect(none.name).toBe('LifecyclePolicyNotFoundException');
    expect(none.message).toBe(`Lifecycle policy does not exist for the repository with name 'org/app' in the registry with id '${sandbox.accountId}'`);
    expect(classifyAwsError(none)).toBe('not-found');

    // Sent pretty-printed with the rules out of order: ECR keeps it compact and sorted by priority.
    const sent = JSON.stringify({ rules: [...BOOK_POLICY.rules].reverse() }, null, 2);
    const put = await ecr.send(new PutLifecyclePolicyCommand({ repositoryName: 'org/app', lifecyclePolicyText: sent }));
    expect(put).toMatchObject({ registryId: sandbox.accountId, repositoryName: 'org/app', lifecyclePolicyText: sent });
    const got = await ecr.send(new GetLifecyclePolicyCommand({ repositoryName: 'org/app' }));
    expect(got.lifecyclePolicyText).toBe(JSON.stringify(BOOK_POLICY));

    const deleted = await ecr.send(new DeleteLifecyclePolicyCommand({ repositoryName: 'org/app' }));
    expect(deleted.lifecyclePolicyText).toBe(JSON.stringify(BOOK_POLICY));
    expect((await caught(ecr.send(new GetLifecyclePolicyCommand({ repositoryName: 'org/app' })))).name).toBe('LifecyclePolicyNotFoundException');
    expect((await caught(ecr.send(new DeleteLifecyclePolicyCommand({ repositoryName: 'org/app' })))).name).toBe('LifecyclePolicyNotFoundException');
  });

  it('RepositoryNotFoundException for a repository that does not exist', async () => {
    const ecr = ecrFor(frozenSandbox());
    for (const command of [
      new PutLifecyclePolicyCommand({ repositoryName: 'nope', lifecyclePolicyText: JSON.stringify(BOOK_POLICY) }),
      new GetLifecyclePolicyCommand({ repositoryName: 'nope' }),
      new DeleteLifecyclePolicyCommand({ repositoryName: 'nope' }),
    ]) {
      expect((await caught(ecr.send(command as never))).name).toBe('RepositoryNotFoundException');
    }
  });

  const untagged = (priority: number, extra: object = {}) => ({ rulePriority: priority, selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 7, ...extra }, action: { type: 'expire' } });
  const any = (priority: number) => ({ rulePriority: priority, selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 50 }, action: { type: 'expire' } });
  const tagged = (priority: number, selection: object) => ({ rulePriority: priority, selection: { tagStatus: 'tagged', countType: 'imageCountMoreThan', countNumber: 5, ...selection }, action: { type: 'expire' } });
  const pad = (text: string) => text.padEnd(100, ' ');

  it.each([
    ['not JSON', pad('{"rules": ['), /Could not map policyString into LifecyclePolicy/],
    ['no rules', pad('{"rulez": []}'), /object has missing required properties \(\["rules"\]\)/],
    ['no rules at all', pad('{"rules": []}'), /array is too short/],
    ['a rule without action', JSON.stringify({ rules: [{ rulePriority: 1, selection: untagged(1).selection }] }), /missing required properties \(\["action"\]\)/],
    ['an unknown member', JSON.stringify({ rules: [{ ...untagged(1), colour: 'red' }] }), /not allowed by the schema: \(\["colour"\]\)/],
    ['a bad tagStatus', JSON.stringify({ rules: [untagged(1, { tagStatus: 'some' })] }), /instance value \("some"\) not found in enum/],
    ['countUnit with imageCountMoreThan', JSON.stringify({ rules: [untagged(1, { countType: 'imageCountMoreThan' })] }), /instance failed to match exactly one schema/],
    ['sinceImagePushed without countUnit', JSON.stringify({ rules: [{ ...any(1), selection: { tagStatus: 'any', countType: 'sinceImagePushed', countNumber: 3 } }] }), /instance failed to match exactly one schema/],
    ['countNumber 0', JSON.stringify({ rules: [untagged(1, { countNumber: 0 })] }), /lower than the required minimum \(minimum: 1, found: 0\)/],
    ['an action other than expire', JSON.stringify({ rules: [{ ...untagged(1), action: { type: 'archive' } }] }), /instance value \("archive"\) not found in enum/],
    ['duplicate priorities', JSON.stringify({ rules: [untagged(5), tagged(5, { tagPrefixList: ['v'] })] }), /priorit/i],
    ['two untagged rules', JSON.stringify({ rules: [untagged(1), untagged(2)] }), /Only one rule can select untagged images/],
    ['"any" before another rule', JSON.stringify({ rules: [any(1), untagged(2)] }), /tagStatus=ANY must have the lowest priority/],
    ['tagged without a prefix or pattern list', JSON.stringify({ rules: [tagged(1, {})] }), /tagPrefixList or tagPatternList must be specified/],
    ['a prefix list on an untagged rule', JSON.stringify({ rules: [untagged(1, { tagPrefixList: ['v'] })] }), /tagPrefixList can only be specified when tagStatus is tagged/],
    ['too short', '{"rules":[]}', /Member must have length greater than or equal to 100/],
  ])('PutLifecyclePolicy rejects %s with InvalidParameterException', async (_what, text, message) => {
    const ecr = ecrFor(frozenSandbox());
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'app' }));
    const error = await caught(ecr.send(new PutLifecyclePolicyCommand({ repositoryName: 'app', lifecyclePolicyText: text })));
    expect(error.name).toBe('InvalidParameterException');
    expect(error.message).toMatch(message);
    if (!/length/.test(error.message)) expect(error.message).toMatch(/^Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle policy validation failure: /);
    expect((await caught(ecr.send(new GetLifecyclePolicyCommand({ repositoryName: 'app' })))).name).toBe('LifecyclePolicyNotFoundException');
  });

  it('accepts tagged rules with a prefix or a wildcard pattern list', async () => {
    const ecr = ecrFor(frozenSandbox());
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'app' }));
    const text = JSON.stringify({ rules: [tagged(1, { tagPrefixList: ['v'] }), tagged(2, { tagPatternList: ['prod*'] }), untagged(3), any(4)] });
    await ecr.send(new PutLifecyclePolicyCommand({ repositoryName: 'app', lifecyclePolicyText: text }));
  });
});

describe('ECR GetAuthorizationToken', () => {
  it('without a registry: an ECR-shaped AWS:<token> for the ECR host, valid 12 hours, new after that', async () => {
    const sandbox = frozenSandbox();
    const ecr = ecrFor(sandbox, undefined, 'eu-central-1');
    const [data] = (await ecr.send(new GetAuthorizationTokenCommand({}))).authorizationData!;
    expect(data?.proxyEndpoint).toBe(`https://${sandbox.accountId}.dkr.ecr.eu-central-1.amazonaws.com`);
    expect(data?.expiresAt).toEqual(new Date(T0 + HOURS_12));
    const decoded = Buffer.from(data!.authorizationToken!, 'base64').toString();
    expect(decoded).toMatch(/^AWS:.+/);
    sandbox.clock.advance(HOURS_12 + 1000);
    const [later] = (await ecr.send(new GetAuthorizationTokenCommand({}))).authorizationData!;
    expect(later?.expiresAt).toEqual(new Date(T0 + 2 * HOURS_12 + 1000));
    expect(later?.authorizationToken).not.toBe(data?.authorizationToken);
  });

  it('with a registry: the registry’s user and password, its http:// endpoint, and URIs on it', async () => {
    const registry = { endpoint: '127.0.0.1:5999', username: 'AWS', password: 's3cret:with:colons' };
    const sandbox = frozenSandbox({ registry });
    const ecr = ecrFor(sandbox);
    const [data] = (await ecr.send(new GetAuthorizationTokenCommand({}))).authorizationData!;
    const decoded = Buffer.from(data!.authorizationToken!, 'base64').toString();
    // Split at the first colon, as reference §9 says: the password may contain more.
    expect([decoded.slice(0, decoded.indexOf(':')), decoded.slice(decoded.indexOf(':') + 1)]).toEqual(['AWS', 's3cret:with:colons']);
    expect(data?.proxyEndpoint).toBe('http://127.0.0.1:5999');
    expect(data?.expiresAt).toEqual(new Date(T0 + HOURS_12));
    // After expiresAt a new call gives a token with a new lifetime (the registry's password itself never expires).
    sandbox.clock.advance(HOURS_12 + 1);
    const [renewed] = (await ecr.send(new GetAuthorizationTokenCommand({}))).authorizationData!;
    expect(renewed?.expiresAt).toEqual(new Date(T0 + 2 * HOURS_12 + 1));
    expect(renewed?.authorizationToken).toBe(data?.authorizationToken);

    const { repository } = await ecr.send(new CreateRepositoryCommand({ repositoryName: 'org/app' }));
    expect(repository?.repositoryUri).toBe('127.0.0.1:5999/org/app');
    expect(repository?.repositoryArn).toBe(`arn:aws:ecr:us-east-1:${sandbox.accountId}:repository/org/app`);
  });

  it('the user’s own key (no MFA) is refused with AccessDeniedException', async () => {
    const sandbox = frozenSandbox();
    const { alice } = await bootstrapAccount(sandbox);
    const ecr = ecrFor(sandbox, alice);
    const error = await caught(ecr.send(new GetAuthorizationTokenCommand({})));
    expect(error.name).toBe('AccessDeniedException');
    // RequireMFAPolicy denies everything but MFA set-up to a caller without MFA.
    expect(error.message).toBe(`User: arn:aws:iam::${sandbox.accountId}:user/alice is not authorized to perform: ecr:GetAuthorizationToken on resource: * with an explicit deny in an identity-based policy`);
    expect(classifyAwsError(error)).toBe('access-denied');
    const create = await caught(ecr.send(new CreateRepositoryCommand({ repositoryName: 'org/app' })));
    expect(create.message).toMatch(new RegExp(`on resource: arn:aws:ecr:us-east-1:${sandbox.accountId}:repository/org/app `));
  });

  it('unknown keys → UnrecognizedClientException (ECR is a JSON service)', async () => {
    const sandbox = frozenSandbox();
    const error = await caught(ecrFor(sandbox, { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x' }).send(new GetAuthorizationTokenCommand({})));
    expect(error.name).toBe('UnrecognizedClientException');
    expect(classifyAwsError(error)).toBe('invalid-credentials');
  });
});

describe('ECR images without a registry (recorded with recordImage)', () => {
  async function withImages() {
    const sandbox = frozenSandbox();
    const ecr = ecrFor(sandbox);
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'org/app' }));
    const first = recordImage(sandbox, { repositoryName: 'org/app', tags: ['abc1234', 'latest'], sizeInBytes: 3_000_000 });
    sandbox.clock.advance(60_000);
    const second = recordImage(sandbox, { repositoryName: 'org/app', tags: ['def5678', 'latest'], sizeInBytes: 4_000_000 });
    return { sandbox, ecr, first, second };
  }

  it('DescribeImages lists them; `latest` moved to the newer image', async () => {
    const { sandbox, ecr, first, second } = await withImages();
    expect(first).toMatch(SHA256);
    const { imageDetails } = await ecr.send(new DescribeImagesCommand({ repositoryName: 'org/app' }));
    expect(imageDetails).toEqual([
      {
        registryId: sandbox.accountId,
        repositoryName: 'org/app',
        imageDigest: first,
        imageTags: ['abc1234'],
        imageSizeInBytes: 3_000_000,
        imagePushedAt: new Date(T0),
        imageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json',
        artifactMediaType: 'application/vnd.docker.container.image.v1+json',
      },
      expect.objectContaining({ imageDigest: second, imageTags: ['def5678', 'latest'], imagePushedAt: new Date(T0 + 60_000) }),
    ]);
  });

  it('by tag, by digest, by both; ImageNotFoundException in ECR’s words', async () => {
    const { sandbox, ecr, first, second } = await withImages();
    const byTag = await ecr.send(new DescribeImagesCommand({ repositoryName: 'org/app', imageIds: [{ imageTag: 'latest' }] }));
    expect(byTag.imageDetails?.map((d) => d.imageDigest)).toEqual([second]);
    const byDigest = await ecr.send(new DescribeImagesCommand({ repositoryName: 'org/app', imageIds: [{ imageDigest: first }] }));
    expect(byDigest.imageDetails?.[0]?.imageTags).toEqual(['abc1234']);
    const both = await ecr.send(new DescribeImagesCommand({ repositoryName: 'org/app', imageIds: [{ imageTag: 'def5678', imageDigest: second }, { imageTag: 'latest' }] }));
    expect(both.imageDetails).toHaveLength(1);

    const missing = await caught(ecr.send(new DescribeImagesCommand({ repositoryName: 'org/app', imageIds: [{ imageTag: 'nope' }] })));
    expect(missing.name).toBe('ImageNotFoundException');
    expect(missing.message).toBe(`The image with imageId {imageDigest:'null', imageTag:'nope'} does not exist within the repository with name 'org/app' in the registry with id '${sandbox.accountId}'`);
    expect(classifyAwsError(missing)).toBe('not-found');
    const mismatch = await caught(ecr.send(new DescribeImagesCommand({ repositoryName: 'org/app', imageIds: [{ imageTag: 'abc1234', imageDigest: second }] })));
    expect(mismatch.name).toBe('ImageNotFoundException');
    expect((await caught(ecr.send(new DescribeImagesCommand({ repositoryName: 'org/app', imageIds: [{}] })))).name).toBe('InvalidParameterException');
    expect((await caught(ecr.send(new DescribeImagesCommand({ repositoryName: 'nope' })))).name).toBe('RepositoryNotFoundException');
  });

  it('filters by tag status; an image that lost its last tag stays as untagged', async () => {
    const { sandbox, ecr, first, second } = await withImages();
    const third = recordImage(sandbox, { repositoryName: 'org/app', tags: ['abc1234'] });
    const untagged = await ecr.send(new DescribeImagesCommand({ repositoryName: 'org/app', filter: { tagStatus: 'UNTAGGED' } }));
    expect(untagged.imageDetails?.map((d) => d.imageDigest)).toEqual([first]);
    expect(untagged.imageDetails?.[0]).not.toHaveProperty('imageTags');
    const tagged = await ecr.send(new DescribeImagesCommand({ repositoryName: 'org/app', filter: { tagStatus: 'TAGGED' } }));
    expect(tagged.imageDetails?.map((d) => d.imageDigest)).toEqual([second, third]);
    expect((await ecr.send(new DescribeImagesCommand({ repositoryName: 'org/app' }))).imageDetails).toHaveLength(3);
    const page = await ecr.send(new DescribeImagesCommand({ repositoryName: 'org/app', maxResults: 2 }));
    expect(page.imageDetails).toHaveLength(2);
    expect((await ecr.send(new DescribeImagesCommand({ repositoryName: 'org/app', nextToken: page.nextToken }))).imageDetails?.map((d) => d.imageDigest)).toEqual([third]);
  });

  it('BatchGetImage returns manifests whose sha256 is the digest, and failures per id', async () => {
    const { ecr, first, second } = await withImages();
    const { images, failures } = await ecr.send(
      new BatchGetImageCommand({ repositoryName: 'org/app', imageIds: [{ imageTag: 'latest' }, { imageDigest: first }, { imageTag: 'gone' }, { imageTag: 'abc1234', imageDigest: second }, {}] }),
    );
    expect(images?.map((i) => i.imageId)).toEqual([{ imageDigest: second, imageTag: 'latest' }, { imageDigest: first }]);
    for (const image of images ?? []) {
      expect(`sha256:${createHash('sha256').update(image.imageManifest!).digest('hex')}`).toBe(image.imageId?.imageDigest);
      expect(image.imageManifestMediaType).toBe('application/vnd.docker.distribution.manifest.v2+json');
    }
    expect(failures).toEqual([
      { imageId: { imageTag: 'gone' }, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' },
      { imageId: { imageTag: 'abc1234', imageDigest: second }, failureCode: 'ImageTagDoesNotMatchDigest', failureReason: expect.any(String) },
      { imageId: {}, failureCode: 'MissingDigestAndTag', failureReason: expect.any(String) },
    ]);
  });

  it('an immutable repository refuses to move a tag, as a push to ECR would', async () => {
    const sandbox = frozenSandbox();
    const ecr = ecrFor(sandbox);
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'app', imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION', imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'latest' }] }));
    recordImage(sandbox, { repositoryName: 'app', tags: ['v1', 'latest'] });
    expect(() => recordImage(sandbox, { repositoryName: 'app', tags: ['v1'] })).toThrow(/tag invalid: The image tag 'v1' already exists in the 'app' repository and cannot be overwritten because the repository is immutable/);
    recordImage(sandbox, { repositoryName: 'app', tags: ['v2', 'latest'] });
    expect((await ecr.send(new DescribeImagesCommand({ repositoryName: 'app', imageIds: [{ imageTag: 'latest' }] }))).imageDetails?.[0]?.imageTags).toEqual(['v2', 'latest']);
  });

  it('recordImage needs the repository', () => {
    expect(() => recordImage(frozenSandbox(), { repositoryName: 'nope', tags: ['x'] })).toThrow(/no ECR repository nope in us-east-1/);
  });
});

/**
 * The sandbox must throw what the SDK's awsJson1_1 deserializer throws for the same response: a local
 * HTTP server plays ECR with JSON error bodies, the real client parses them, and the errors compare equal.
 */
describe('ECR errors are the SDK deserializer’s own', () => {
  let server: Server;
  let endpoint = '';
  let reply = { status: 400, body: '' };
  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(reply.status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'wire-request-id' });
        res.end(reply.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const wireClient = () => new ECRClient({ region: 'us-east-1', endpoint, maxAttempts: 1, credentials: { accessKeyId: 'AKIAWIRE', secretAccessKey: 'wire' } });

  function observable(error: Error & Record<string, unknown>) {
    const { $metadata, $response, stack, ...rest } = error as Record<string, unknown>;
    void $response;
    void stack;
    const meta = $metadata as { httpStatusCode?: number; requestId?: string };
    return { class: error.constructor.name, name: error.name, message: error.message, status: meta.httpStatusCode, hasRequestId: typeof meta.requestId === 'string', ...rest };
  }

  async function compare(ours: Promise<unknown>, wire: () => Promise<unknown>, status: number, type: string) {
    const mine = observable(await caught(ours));
    reply = { status, body: JSON.stringify({ __type: type, message: mine.message }) };
    const real = observable(await caught(wire()));
    expect(mine).toEqual(real);
    return mine;
  }

  it('RepositoryNotFoundException (modeled)', async () => {
    const ecr = ecrFor(frozenSandbox());
    const command = new DescribeRepositoriesCommand({ repositoryNames: ['nope'] });
    const mine = await compare(ecr.send(command), () => wireClient().send(command), 400, 'RepositoryNotFoundException');
    expect(mine.class).toBe('RepositoryNotFoundException');
  });

  it('AccessDeniedException (not modeled by ECR: ECRServiceException named by the type)', async () => {
    const sandbox = frozenSandbox();
    const { alice } = await bootstrapAccount(sandbox);
    const command = new GetAuthorizationTokenCommand({});
    const mine = await compare(ecrFor(sandbox, alice).send(command), () => wireClient().send(command), 400, 'AccessDeniedException');
    expect(mine.class).toBe('ECRServiceException');
  });
});
