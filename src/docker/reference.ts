/**
 * Image reference and registry address helpers. Kept deliberately small: slipway only handles
 * references it built itself (`host[:port]/path:tag`) and ECR's `https://` proxy endpoints.
 */

/** `https://123.dkr.ecr.eu-west-1.amazonaws.com/` → `123.dkr.ecr.eu-west-1.amazonaws.com`. */
export function registryHost(registry: string): string {
  return registry
    .trim()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
    .replace(/\/.*$/, '');
}

/** The registry part of a reference; Docker Hub when the first component is not a host. */
export function registryOf(ref: string): string {
  const first = ref.split('/')[0] ?? '';
  const isHost = ref.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  return isHost ? first : 'docker.io';
}

/** `host:5000/a/b:tag` or `…@sha256:…` → `host:5000/a/b`, as it appears in RepoDigests. */
export function repositoryOf(ref: string): string {
  const withoutDigest = ref.split('@')[0] ?? ref;
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  const repository = colon === -1 ? withoutDigest : withoutDigest.slice(0, colon);
  // RepoDigests write Docker Hub names short ("nginx@…", "org/app@…").
  return repository.replace(/^(docker\.io|index\.docker\.io)\//, '').replace(/^library\//, '');
}
