import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DeleteRepositoryCommand,
  DescribeImagesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
} from '@aws-sdk/client-ecr';
import { execa } from 'execa';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig } from '../../src/aws/clients.js';
import { attachSandbox } from '../../src/sandbox/attach.js';
import { recordImage } from '../../src/sandbox/ecr.js';
import { RegistryClient, RegistryError } from '../../src/sandbox/registry-client.js';
import { createSandbox, type Sandbox } from '../../src/sandbox/store.js';
import { caught, frozenSandbox } from './support.js';

function ecrFor(sandbox: Sandbox, region = 'us-east-1'): ECRClient {
  return attachSandbox(new ECRClient(clientConfig({ region }, async () => sandbox.adminCredentials())), sandbox);
}

const sha256 = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

/**
 * Just enough of the Docker Registry HTTP API v2 (basic auth, tags, manifests, delete) to test the
 * registry-backed paths on every machine, Docker or not.
 */
class StubRegistry {
  readonly requests: { line: string; accept: string }[] = [];
  readonly username = 'AWS';
  readonly password = `stub-${randomBytes(4).toString('hex')}`;
  endpoint = '';
  private readonly repos = new Map<string, { tags: Map<string, string>; manifests: Map<string, { body: string; mediaType: string }> }>();
  private server?: Server;

  async start(): Promise<void> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.endpoint = `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  get registry() {
    return { endpoint: this.endpoint, username: this.username, password: this.password };
  }

  push(name: string, manifest: { mediaType?: string }, tags: string[], contentType = manifest.mediaType ?? OCI_MANIFEST): string {
    const body = JSON.stringify(manifest, null, 3);
    const digest = sha256(body);
    const repo = this.repos.get(name) ?? { tags: new Map(), manifests: new Map() };
    this.repos.set(name, repo);
    repo.manifests.set(digest, { body, mediaType: contentType });
    for (const tag of tags) repo.tags.set(tag, digest);
    return digest;
  }

  tagsOf(name: string): string[] {
    return [...(this.repos.get(name)?.tags.keys() ?? [])];
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    this.requests.push({ line: `${req.method} ${req.url}`, accept: req.headers.accept ?? '' });
    const reply = (status: number, body?: string, headers: Record<string, string | number> = {}): void => {
      res.writeHead(status, headers).end(body);
    };
    const error = (status: number, code: string): void => reply(status, JSON.stringify({ errors: [{ code, message: code.toLowerCase() }] }), { 'content-type': 'application/json' });
    if (req.headers.authorization !== `Basic ${Buffer.from(`${this.username}:${this.password}`).toString('base64')}`) return error(401, 'UNAUTHORIZED');
    const path = new URL(req.url ?? '/', 'http://stub').pathname;
    const tags = /^\/v2\/(.+)\/tags\/list$/.exec(path);
    if (tags) {
      const repo = this.repos.get(tags[1]!);
      return repo ? reply(200, JSON.stringify({ name: tags[1], tags: [...repo.tags.keys()] }), { 'content-type': 'application/json' }) : error(404, 'NAME_UNKNOWN');
    }
    const manifests = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(path);
    if (!manifests) return error(404, 'NOT_FOUND');
    const repo = this.repos.get(manifests[1]!);
    const reference = manifests[2]!;
    const digest = reference.startsWith('sha256:') ? reference : repo?.tags.get(reference);
    const manifest = digest ? repo?.manifests.get(digest) : undefined;
    if (!repo || !digest || !manifest) return error(404, 'MANIFEST_UNKNOWN');
    if (req.method === 'DELETE') {
      repo.manifests.delete(digest);
      for (const [tag, d] of repo.tags) if (d === digest) repo.tags.delete(tag);
      return reply(202);
    }
    reply(200, req.method === 'HEAD' ? undefined : manifest.body, { 'content-type': manifest.mediaType, 'content-length': Buffer.byteLength(manifest.body), 'docker-content-digest': digest });
  }
}

function imageManifest(mediaType: string, configSize: number, layerSizes: number[], seed: string) {
  const oci = mediaType === OCI_MANIFEST;
  return {
    schemaVersion: 2,
    mediaType,
    config: { mediaType: oci ? 'application/vnd.oci.image.config.v1+json' : 'application/vnd.docker.container.image.v1+json', size: configSize, digest: sha256(`config:${seed}`) },
    layers: layerSizes.map((size, i) => ({ mediaType: oci ? 'application/vnd.oci.image.layer.v1.tar+gzip' : 'application/vnd.docker.image.rootfs.diff.tar.gzip', size, digest: sha256(`layer:${seed}:${i}`) })),
  };
}

describe('ECR backed by a registry (HTTP API v2 stub)', () => {
  const stub = new StubRegistry();
  beforeAll(() => stub.start());
  afterAll(() => stub.stop());

  async function repositoryWithImages(name: string) {
    const sandbox = frozenSandbox({ registry: stub.registry });
    const ecr = ecrFor(sandbox);
    await ecr.send(new CreateRepositoryCommand({ repositoryName: name }));
    const docker = stub.push(name, imageManifest(DOCKER_MANIFEST, 1_000, [100, 20], `${name}-docker`), ['v1', 'latest']);
    const oci = stub.push(name, imageManifest(OCI_MANIFEST, 500, [7_000], `${name}-oci`), ['v2']);
    return { sandbox, ecr, docker, oci };
  }

  it('DescribeImages reads tags and manifests: digest, tags, size (config + layers), media types', async () => {
    const { sandbox, ecr, docker, oci } = await repositoryWithImages('org/described');
    const { imageDetails } = await ecr.send(new DescribeImagesCommand({ repositoryName: 'org/described' }));
    expect(imageDetails).toEqual([
      {
        registryId: sandbox.accountId,
        repositoryName: 'org/described',
        imageDigest: docker,
        imageTags: ['v1', 'latest'],
        imageSizeInBytes: 1_120,
        imageManifestMediaType: DOCKER_MANIFEST,
        artifactMediaType: 'application/vnd.docker.container.image.v1+json',
      },
      {
        registryId: sandbox.accountId,
        repositoryName: 'org/described',
        imageDigest: oci,
        imageTags: ['v2'],
        imageSizeInBytes: 7_500,
        imageManifestMediaType: OCI_MANIFEST,
        artifactMediaType: 'application/vnd.oci.image.config.v1+json',
      },
    ]);
    // The registry API has no push time, and cannot list untagged manifests.
    expect(imageDetails?.[0]).not.toHaveProperty('imagePushedAt');
    expect((await ecr.send(new DescribeImagesCommand({ repositoryName: 'org/described', filter: { tagStatus: 'UNTAGGED' } }))).imageDetails).toEqual([]);
  });

  it('asks for every manifest kind, as docker pull does', async () => {
    const { ecr } = await repositoryWithImages('org/headers');
    stub.requests.length = 0;
    await ecr.send(new DescribeImagesCommand({ repositoryName: 'org/headers', imageIds: [{ imageTag: 'latest' }] }));
    const head = stub.requests.find((r) => r.line === 'HEAD /v2/org/headers/manifests/latest');
    expect(head?.accept.split(/,\s*/).sort()).toEqual([
      'application/vnd.docker.distribution.manifest.list.v2+json',
      DOCKER_MANIFEST,
      OCI_INDEX,
      OCI_MANIFEST,
    ]);
  });

  it('by tag and by digest; ImageNotFoundException for what the registry does not have', async () => {
    const { sandbox, ecr, docker, oci } = await repositoryWithImages('org/lookup');
    const byTag = await ecr.send(new DescribeImagesCommand({ repositoryName: 'org/lookup', imageIds: [{ imageTag: 'latest' }] }));
    expect(byTag.imageDetails?.map((d) => [d.imageDigest, d.imageTags])).toEqual([[docker, ['v1', 'latest']]]);
    const byDigest = await ecr.send(new DescribeImagesCommand({ repositoryName: 'org/lookup', imageIds: [{ imageDigest: oci }] }));
    expect(byDigest.imageDetails?.[0]?.imageTags).toEqual(['v2']);
    const missing = await caught(ecr.send(new DescribeImagesCommand({ repositoryName: 'org/lookup', imageIds: [{ imageTag: 'v9' }] })));
    expect(missing.name).toBe('ImageNotFoundException');
    expect(missing.message).toBe(`The image with imageId {imageDigest:'null', imageTag:'v9'} does not exist within the repository with name 'org/lookup' in the registry with id '${sandbox.accountId}'`);
    const unknownDigest = `sha256:${'0'.repeat(64)}`;
    expect((await caught(ecr.send(new DescribeImagesCommand({ repositoryName: 'org/lookup', imageIds: [{ imageDigest: unknownDigest }] })))).name).toBe('ImageNotFoundException');
    // A repository the registry has never seen is simply empty.
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'org/never-pushed' }));
    expect((await ecr.send(new DescribeImagesCommand({ repositoryName: 'org/never-pushed' }))).imageDetails).toEqual([]);
  });

  it('a multi-platform index: its own media type, the largest platform’s size', async () => {
    const sandbox = frozenSandbox({ registry: stub.registry });
    const ecr = ecrFor(sandbox);
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'org/multi' }));
    const amd = stub.push('org/multi', imageManifest(OCI_MANIFEST, 300, [5_000], 'amd64'), []);
    const arm = stub.push('org/multi', imageManifest(OCI_MANIFEST, 300, [6_000], 'arm64'), []);
    const index = stub.push('org/multi', { schemaVersion: 2, mediaType: OCI_INDEX, manifests: [amd, arm].map((digest) => ({ mediaType: OCI_MANIFEST, digest, size: 400 })) } as never, ['latest']);
    const [detail] = (await ecr.send(new DescribeImagesCommand({ repositoryName: 'org/multi' }))).imageDetails!;
    expect(detail).toMatchObject({ imageDigest: index, imageTags: ['latest'], imageManifestMediaType: OCI_INDEX, imageSizeInBytes: 6_300 });
    expect(detail).not.toHaveProperty('artifactMediaType');
  });

  it('BatchGetImage returns the manifest as stored, whose sha256 is its digest', async () => {
    const { ecr, docker } = await repositoryWithImages('org/batch');
    const { images, failures } = await ecr.send(new BatchGetImageCommand({ repositoryName: 'org/batch', imageIds: [{ imageTag: 'latest' }, { imageTag: 'gone' }] }));
    expect(images?.[0]).toMatchObject({ imageId: { imageDigest: docker, imageTag: 'latest' }, imageManifestMediaType: DOCKER_MANIFEST });
    expect(sha256(images![0]!.imageManifest!)).toBe(docker);
    expect(failures).toEqual([{ imageId: { imageTag: 'gone' }, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' }]);
  });

  it('DeleteRepository: RepositoryNotEmptyException while the registry has tags; force deletes the manifests', async () => {
    const { ecr } = await repositoryWithImages('org/deleted');
    expect((await caught(ecr.send(new DeleteRepositoryCommand({ repositoryName: 'org/deleted' })))).name).toBe('RepositoryNotEmptyException');
    await ecr.send(new DeleteRepositoryCommand({ repositoryName: 'org/deleted', force: true }));
    expect(stub.tagsOf('org/deleted')).toEqual([]);
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'org/deleted' }));
    expect((await ecr.send(new DescribeImagesCommand({ repositoryName: 'org/deleted' }))).imageDetails).toEqual([]);
  });

  it('recordImage refuses: the registry is where images live', async () => {
    const sandbox = frozenSandbox({ registry: stub.registry });
    await ecrFor(sandbox).send(new CreateRepositoryCommand({ repositoryName: 'app' }));
    expect(() => recordImage(sandbox, { repositoryName: 'app', tags: ['x'] })).toThrow(/push there with docker/);
  });

  it('a registry that refuses the credentials or is not there is a RegistryError that says so', async () => {
    const wrong = frozenSandbox({ registry: { ...stub.registry, password: 'wrong' } });
    await ecrFor(wrong).send(new CreateRepositoryCommand({ repositoryName: 'app' }));
    const refused = await caught(ecrFor(wrong).send(new DescribeImagesCommand({ repositoryName: 'app' })));
    expect(refused).toBeInstanceOf(RegistryError);
    expect(refused.message).toMatch(new RegExp(`registry at ${stub.endpoint} refused the sandbox's credentials \\(401\\)`));
    expect(refused.message).not.toContain('wrong');

    const closed = await new Promise<number>((resolve) => {
      const probe = createServer();
      probe.listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const gone = frozenSandbox({ registry: { endpoint: `127.0.0.1:${closed}`, username: 'AWS', password: 'x' } });
    await ecrFor(gone).send(new CreateRepositoryCommand({ repositoryName: 'app' }));
    const unreachable = await caught(ecrFor(gone).send(new DescribeImagesCommand({ repositoryName: 'app' })));
    expect(unreachable).toBeInstanceOf(RegistryError);
    expect(unreachable.message).toMatch(/is not reachable \(ECONNREFUSED\)/);
  });
});

describe('the registry setting', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('is kept in the sandbox file and replaced when given again', () => {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-ecr-'));
    dirs.push(dir);
    const file = join(dir, 'sandbox.json');
    const first = { endpoint: '127.0.0.1:5000', username: 'AWS', password: 'one' };
    createSandbox({ file, registry: first });
    expect(createSandbox({ file }).snapshot().ecr?.registry).toEqual(first);
    const second = { endpoint: 'localhost:5001', username: 'AWS', password: 'two' };
    expect(createSandbox({ file, registry: second }).snapshot().ecr?.registry).toEqual(second);
    expect(createSandbox({ file }).snapshot().ecr?.registry).toEqual(second);
  });

  it('a sandbox saved before ECR existed gets it on first use', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-ecr-'));
    dirs.push(dir);
    const file = join(dir, 'old.json');
    const state = createSandbox({ file }).snapshot();
    delete state.ecr;
    writeFileSync(file, JSON.stringify(state));
    const sandbox = createSandbox({ file });
    const ecr = ecrFor(sandbox);
    expect((await ecr.send(new GetAuthorizationTokenCommand({}))).authorizationData).toHaveLength(1);
    expect(sandbox.snapshot().ecr).toBeUndefined();
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'app' }));
    expect(Object.keys(createSandbox({ file }).snapshot().ecr?.repositories['us-east-1'] ?? {})).toEqual(['app']);
  });

  it.each(['10.0.0.5:5000', 'registry.example.com:5000', '127.0.0.1', 'http://127.0.0.1:5000'])('refuses %j (loopback host:port only)', (endpoint) => {
    expect(() => createSandbox({ registry: { endpoint, username: 'AWS', password: 'x' } })).toThrow(RegistryError);
  });
});

// A real push: dockerd and a registry with htpasswd auth on loopback (`source .ci/docker-env.sh`).
const registry = process.env.SLIPWAY_TEST_REGISTRY;
const username = process.env.SLIPWAY_TEST_REGISTRY_USER;
const password = process.env.SLIPWAY_TEST_REGISTRY_PASSWORD;
const dockerMissing = (() => {
  if (!registry || !username || !password) return 'SLIPWAY_TEST_REGISTRY, SLIPWAY_TEST_REGISTRY_USER and SLIPWAY_TEST_REGISTRY_PASSWORD are not set';
  try {
    execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], { stdio: 'pipe', timeout: 15_000 });
    return undefined;
  } catch (error) {
    return `the Docker daemon is not reachable (${(error as Error).message.split('\n')[0]})`;
  }
})();

if (dockerMissing && process.env.CI === 'true') {
  describe('ECR sandbox with a real registry', () => {
    it('has a Docker daemon and a test registry in CI', () => {
      throw new Error(`CI=true but ${dockerMissing}. Source .ci/docker-env.sh before the tests.`);
    });
  });
} else if (dockerMissing) {
  console.warn(`[skipped] ECR sandbox real-registry test: ${dockerMissing}. Run \`source .ci/docker-env.sh\` to enable it.`);
}

describe.runIf(!dockerMissing)('ECR sandbox with a real registry', () => {
  const runId = randomBytes(6).toString('hex');
  let dir = '';
  let dockerConfig = '';
  let ref = '';
  let pushed = '';

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'slipway-ecr-push-'));
    dockerConfig = mkdtempSync(join(tmpdir(), 'slipway-ecr-docker-'));
  });
  afterAll(async () => {
    // Only this run's image: other runs may be pushing to the same repository right now.
    if (pushed) await new RegistryClient({ endpoint: registry!, username: username!, password: password! }).deleteManifest('sandbox-test/app', pushed).catch(() => undefined);
    if (ref) await execa('docker', ['image', 'rm', '--force', ref], { reject: false, env: { DOCKER_CONFIG: dockerConfig } });
    for (const d of [dir, dockerConfig]) if (d) rmSync(d, { recursive: true, force: true });
  });

  it('docker push to the repositoryUri, with the GetAuthorizationToken login, shows up in DescribeImages with the same digest', async () => {
    const sandbox = createSandbox({ registry: { endpoint: registry!, username: username!, password: password! } });
    const ecr = ecrFor(sandbox);
    const { repository } = await ecr.send(new CreateRepositoryCommand({ repositoryName: 'sandbox-test/app' }));
    expect(repository?.repositoryUri).toBe(`${registry}/sandbox-test/app`);

    // Reference §9: decode the token, split at the first colon, log in through stdin at the bare host.
    const [auth] = (await ecr.send(new GetAuthorizationTokenCommand({}))).authorizationData!;
    const decoded = Buffer.from(auth!.authorizationToken!, 'base64').toString();
    const separator = decoded.indexOf(':');
    const host = auth!.proxyEndpoint!.replace(/^https?:\/\//, '');
    expect(host).toBe(registry);
    const env = { DOCKER_CONFIG: dockerConfig };
    const login = await execa('docker', ['login', '--username', decoded.slice(0, separator), '--password-stdin', host], { input: decoded.slice(separator + 1), env });
    expect(login.stdout).toMatch(/Login Succeeded/);

    writeFileSync(join(dir, 'hello.txt'), `hello from the ECR sandbox test ${runId}\n`);
    writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\nCOPY hello.txt /\n');
    const tag = `t-${runId}`;
    ref = `${repository!.repositoryUri}:${tag}`;
    await execa('docker', ['build', '--tag', ref, dir], { env });
    const push = await execa('docker', ['push', ref], { env });
    const printed = new RegExp(`${tag}: digest: (sha256:[0-9a-f]{64}) size: (\\d+)`).exec(push.stdout);
    expect(printed, push.stdout).not.toBeNull();
    const digest = printed![1]!;
    pushed = digest;

    const byTag = await ecr.send(new DescribeImagesCommand({ repositoryName: 'sandbox-test/app', imageIds: [{ imageTag: tag }] }));
    expect(byTag.imageDetails).toHaveLength(1);
    const [detail] = byTag.imageDetails!;
    expect(detail).toMatchObject({ registryId: sandbox.accountId, repositoryName: 'sandbox-test/app', imageDigest: digest });
    expect(detail?.imageTags).toContain(tag);
    expect(detail?.imageSizeInBytes).toBeGreaterThan(0);
    expect(detail?.imageManifestMediaType).toMatch(/^application\/vnd\.(docker\.distribution\.manifest\.v2|oci\.image\.manifest\.v1)\+json$/);

    const { images } = await ecr.send(new BatchGetImageCommand({ repositoryName: 'sandbox-test/app', imageIds: [{ imageDigest: digest }] }));
    expect(sha256(images![0]!.imageManifest!)).toBe(digest);
    // `size:` in the push output is the manifest's own length.
    expect(Buffer.byteLength(images![0]!.imageManifest!)).toBe(Number(printed![2]));
  });
});
