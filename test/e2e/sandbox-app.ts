import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { createSandbox } from '../../src/sandbox/store.js';
import { processesGoneFrom, Terminal } from './terminal.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const busybox = ['/bin/busybox', '/usr/bin/busybox'].find((p) => existsSync(p));
const registryBinary = ['/usr/bin/docker-registry', '/usr/local/bin/registry', '/opt/homebrew/bin/registry'].some((p) => existsSync(p));

/** What a sandbox journey through the built binary needs: tmux, busybox (the app's image), a registry binary, Docker. */
export function journeyReady(test: string): boolean {
  const ready = Terminal.available() && Boolean(busybox) && registryBinary && spawnSync('docker', ['info']).status === 0;
  if (!ready && process.env.CI === 'true') throw new Error(`CI needs tmux, busybox, docker-registry and a Docker daemon for ${test} (.ci/run installs them).`);
  return ready;
}

/**
 * A temporary HOME holding the publish fixture app as a git repository (busybox copied in as its
 * image's only binary) and a sandbox of that name with quick tasks — a third of a second per task
 * phase. Reset and removed after the file's tests.
 */
export function useSandboxApp(sandbox: string, prefix: string): { readonly home: string; readonly app: string; readonly stateHome: string } {
  let home = '';
  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), prefix));
    const app = join(home, 'todo');
    cpSync(new URL('../fixtures/publish-app', import.meta.url), app, { recursive: true });
    copyFileSync(busybox ?? '', join(app, 'busybox'));
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: app });
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'todo');
    createSandbox({ name: sandbox, env: { XDG_STATE_HOME: join(home, 'state') } }).update((s) => {
      s.ecs = { ...(s.ecs ?? {}), taskPhaseSeconds: 0.3 };
    });
  });
  afterAll(async () => {
    spawnSync(process.execPath, [join(ROOT, 'dist', 'slipway.js'), 'sandbox', 'reset', '--sandbox-name', sandbox, '--yes'], { env: { PATH: process.env.PATH, HOME: home, XDG_STATE_HOME: join(home, 'state') } });
    // A slipway still exiting as tmux goes may write Node's compile cache into HOME: wait for it first.
    await processesGoneFrom(home);
    rmSync(home, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  });
  return {
    get home() {
      return home;
    },
    get app() {
      return join(home, 'todo');
    },
    get stateHome() {
      return join(home, 'state');
    },
  };
}
