import { copyFileSync, cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureLocalRegistry, findRegistryBinary, stopLocalRegistry } from '../../src/sandbox/local-registry.js';
import type { SandboxRegistry } from '../../src/sandbox/state.js';

// What a verify world for `slipway publish` needs beyond the sandbox: the fixture app in a git
// repository, busybox for its test stage, and a registry for the sandbox's ECR to store in. No vitest here.

export const BUSYBOX = ['/bin/busybox', '/usr/bin/busybox'].find((p) => existsSync(p));

/** The publish fixture at `app`, committed once (fixed dates: the same commit, the same image). */
export function publishApp(app: string, options: { dockerfile?: (original: string) => string } = {}): void {
  if (!BUSYBOX) throw new Error('no static busybox (busybox-static) for the fixture’s images');
  cpSync(new URL('../fixtures/publish-app', import.meta.url), app, { recursive: true });
  copyFileSync(BUSYBOX, join(app, 'busybox'));
  if (options.dockerfile) {
    const file = join(app, 'Dockerfile');
    writeFileSync(file, options.dockerfile(readFileSync(file, 'utf8')));
  }
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: app, env: { ...process.env, GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z' } });
  git('init', '-q');
  git('add', '.');
  git('commit', '-qm', 'fixture');
}

/**
 * ECR's storage for publish worlds: CI's registry (SLIPWAY_TEST_REGISTRY*, from .ci/docker-env.sh), or
 * one started from the docker-registry binary; undefined when there is neither.
 */
export async function verifyRegistry(ownerFile: string): Promise<{ registry: SandboxRegistry; stop(): Promise<void> } | undefined> {
  const { SLIPWAY_TEST_REGISTRY: endpoint, SLIPWAY_TEST_REGISTRY_USER: username, SLIPWAY_TEST_REGISTRY_PASSWORD: password } = process.env;
  if (endpoint && username && password) return { registry: { endpoint, username, password }, stop: async () => {} };
  const binary = findRegistryBinary();
  if (!binary) return undefined;
  const registry = await ensureLocalRegistry(ownerFile, { binary, env: process.env });
  return {
    registry,
    stop: async () => {
      await stopLocalRegistry(ownerFile);
    },
  };
}
