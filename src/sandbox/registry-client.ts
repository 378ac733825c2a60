import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import type { SandboxRegistry } from './state.js';

/** The manifest kinds a registry may hold for an image, asked for all at once as `docker pull` does. */
export const MANIFEST_MEDIA_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
] as const;

const INDEX_MEDIA_TYPES = new Set<string>([MANIFEST_MEDIA_TYPES[0], MANIFEST_MEDIA_TYPES[2]]);
const TIMEOUT_MS = 10_000;

/** The sandbox's registry misbehaved or is unreachable: a problem of the set-up, not an AWS error. */
export class RegistryError extends Error {
  override readonly name = 'RegistryError';
}

/** One manifest as the registry serves it. */
export interface RegistryManifest {
  digest: string;
  mediaType: string;
  /** The manifest exactly as served (its sha256 is the digest). */
  body: string;
  /** The config's media type (what ECR calls the artifact media type); absent for an index. */
  configMediaType?: string;
  /** Config plus layers; for an index, the largest of its manifests (as ECR reports a manifest list). */
  sizeInBytes: number;
}

/**
 * Checks that a registry is one the sandbox may talk to (on loopback: the sandbox sends it the
 * password over plain HTTP) and returns a clean copy.
 */
export function checkRegistry(registry: SandboxRegistry): SandboxRegistry {
  const { endpoint, username, password } = registry;
  let url: URL;
  try {
    url = new URL(`http://${endpoint}`);
  } catch {
    throw new RegistryError(`The sandbox registry endpoint "${endpoint}" is not host:port (e.g. 127.0.0.1:5000).`);
  }
  if (url.host !== endpoint.toLowerCase() || url.pathname !== '/' || !url.port) {
    throw new RegistryError(`The sandbox registry endpoint "${endpoint}" is not host:port (e.g. 127.0.0.1:5000).`);
  }
  if (!isLoopback(url.hostname)) {
    throw new RegistryError(`The sandbox only uses a registry on this machine (127.0.0.1, ::1 or localhost), not ${endpoint}: it sends the password over plain HTTP.`);
  }
  if (!username || !password) throw new RegistryError(`The sandbox registry at ${endpoint} needs a username and a password (htpasswd auth).`);
  return { endpoint, username, password };
}

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

/** Reads (and, for a forced DeleteRepository, deletes) images through the registry's HTTP API v2. */
export class RegistryClient {
  private readonly base: string;
  private readonly authorization: string;

  constructor(
    private readonly registry: SandboxRegistry,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    checkRegistry(registry);
    this.base = `http://${registry.endpoint}/v2`;
    this.authorization = `Basic ${Buffer.from(`${registry.username}:${registry.password}`).toString('base64')}`;
  }

  /** Every tag of a repository; none when the registry has never seen it. */
  async tags(name: string): Promise<string[]> {
    const tags: string[] = [];
    let path: string | undefined = `/${name}/tags/list`;
    while (path) {
      const response = await this.request('GET', path);
      if (await gone(response)) return tags;
      await this.expectOk(response, `list the tags of ${name}`);
      const body = (await response.json()) as { tags?: string[] | null };
      tags.push(...(body.tags ?? []));
      path = nextPage(response.headers.get('link'));
    }
    return tags;
  }

  /** The digest a tag (or digest) points to, without downloading the manifest; undefined if unknown. */
  async digestOf(name: string, reference: string): Promise<string | undefined> {
    const response = await this.request('HEAD', `/${name}/manifests/${reference}`, { accept: MANIFEST_MEDIA_TYPES.join(', ') });
    if (await gone(response)) return undefined;
    await this.expectOk(response, `resolve ${name}:${reference}`);
    const digest = response.headers.get('docker-content-digest');
    // Without the header (some registries omit it on HEAD), the manifest itself tells.
    return digest ?? (await this.manifest(name, reference))?.digest;
  }

  /** A manifest by tag or digest; undefined if the registry does not have it. */
  async manifest(name: string, reference: string): Promise<RegistryManifest | undefined> {
    const response = await this.request('GET', `/${name}/manifests/${reference}`, { accept: MANIFEST_MEDIA_TYPES.join(', ') });
    if (await gone(response)) return undefined;
    await this.expectOk(response, `read ${name}:${reference}`);
    const body = await response.text();
    const { children, ...manifest } = readManifest(body, response.headers.get('content-type') ?? undefined, response.headers.get('docker-content-digest') ?? undefined);
    if (!children.length) return manifest;
    const sizes = await Promise.all(children.map(async (child) => (await this.manifest(name, child))?.sizeInBytes ?? 0));
    return { ...manifest, sizeInBytes: Math.max(0, ...sizes) };
  }

  /** Deletes a manifest by digest (the registry needs `storage.delete.enabled`); gone already is fine. */
  async deleteManifest(name: string, digest: string): Promise<void> {
    const response = await this.request('DELETE', `/${name}/manifests/${digest}`);
    if (await gone(response)) return;
    if (response.status === 405) {
      throw new RegistryError(`The sandbox registry at ${this.registry.endpoint} does not allow deleting images; set storage.delete.enabled: true in its config.yml.`);
    }
    await this.expectOk(response, `delete ${name}@${digest}`);
  }

  private async request(method: string, path: string, headers: Record<string, string> = {}): Promise<Response> {
    try {
      return await this.fetchImpl(`${this.base}${path}`, {
        method,
        headers: { ...headers, authorization: this.authorization },
        redirect: 'error',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new RegistryError(`The sandbox registry at ${this.registry.endpoint} is not reachable (${cause?.code ?? cause?.message ?? (error as Error).message}). Start it, or create the sandbox without a registry.`);
    }
  }

  private async expectOk(response: Response, what: string): Promise<void> {
    if (response.ok) return;
    if (response.status === 401) {
      await response.body?.cancel();
      throw new RegistryError(`The sandbox registry at ${this.registry.endpoint} refused the sandbox's credentials (401) when asked to ${what}; check the registry user and password.`);
    }
    const detail = (await response.text().catch(() => '')).slice(0, 300);
    throw new RegistryError(`The sandbox registry at ${this.registry.endpoint} answered ${response.status} when asked to ${what}${detail ? `: ${detail}` : ''}`);
  }
}

/** A 404 (NAME_UNKNOWN, MANIFEST_UNKNOWN): nothing there. Its body is drained so the connection is reused. */
async function gone(response: Response): Promise<boolean> {
  if (response.status !== 404) return false;
  await response.body?.cancel();
  return true;
}

interface ManifestJson {
  mediaType?: string;
  config?: { mediaType?: string; size?: number };
  layers?: { size?: number }[];
  manifests?: { digest: string }[];
}

/**
 * What a manifest says about its image: media type (the body's own, else the served Content-Type),
 * config media type, and size as config plus layers. An index lists `children` instead, whose sizes
 * the caller looks up; its own size is then 0.
 */
export function readManifest(body: string, contentType?: string, digest?: string): RegistryManifest & { children: string[] } {
  const parsed = JSON.parse(body) as ManifestJson;
  const mediaType = parsed.mediaType ?? contentType?.split(';')[0]?.trim() ?? (parsed.manifests ? MANIFEST_MEDIA_TYPES[0] : MANIFEST_MEDIA_TYPES[1]);
  const common = { digest: digest ?? `sha256:${createHash('sha256').update(body).digest('hex')}`, mediaType, body };
  if (INDEX_MEDIA_TYPES.has(mediaType) || parsed.manifests) return { ...common, sizeInBytes: 0, children: (parsed.manifests ?? []).map((m) => m.digest) };
  const sizeInBytes = (parsed.config?.size ?? 0) + (parsed.layers ?? []).reduce((sum, layer) => sum + (layer.size ?? 0), 0);
  return { ...common, sizeInBytes, children: [], ...(parsed.config?.mediaType ? { configMediaType: parsed.config.mediaType } : {}) };
}

/** The next page from an RFC 5988 `Link: </v2/…?last=x&n=y>; rel="next"` header, as a path below /v2. */
function nextPage(link: string | null): string | undefined {
  const target = link?.match(/<([^>]+)>\s*;\s*rel="?next"?/)?.[1];
  if (!target) return undefined;
  const path = target.startsWith('http') ? new URL(target).pathname + new URL(target).search : target;
  return path.replace(/^\/v2/, '');
}
