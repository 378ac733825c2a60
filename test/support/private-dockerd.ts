// A Docker daemon of a test's own, so a test can stop and restart it mid-build without touching the
// daemon every other test (and CI job) shares. No vitest imports: verify children use it too.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export interface PrivateDockerd {
  /** For docker: `DOCKER_HOST=unix://…/docker.sock`. */
  readonly env: { DOCKER_HOST: string };
  /** The way `systemctl restart docker` does it: SIGTERM, wait for the exit, start again after `downMs`. */
  restart(downMs?: number): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it and removes its data. */
  dispose(): Promise<void>;
  /** The daemon's log, for failure messages. */
  log(): string;
}

/** Why this machine cannot run a second daemon, or undefined when it can (root, dockerd, a daemon to copy the storage driver from). */
export function privateDockerdUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root';
  if (spawnSync('dockerd', ['--version']).status !== 0) return 'no dockerd';
  if (spawnSync('ip', ['-V']).status !== 0) return 'no ip (iproute2) to make its bridge';
  if (!sharedStorageDriver()) return 'no running Docker daemon to copy the storage driver from';
  return undefined;
}

/** The running daemon's storage driver: what works on this machine (CI falls back to vfs inside containers). */
function sharedStorageDriver(): string | undefined {
  const result = spawnSync('docker', ['info', '--format', '{{.Driver}}'], { encoding: 'utf8', env: { ...process.env, DOCKER_HOST: '' } });
  const driver = result.status === 0 ? result.stdout.trim() : '';
  return driver || undefined;
}

export async function startPrivateDockerd(): Promise<PrivateDockerd> {
  // Short: a unix socket path must stay under 108 bytes.
  const dir = mkdtempSync('/tmp/sdd-');
  const socket = join(dir, 'docker.sock');
  const env = { DOCKER_HOST: `unix://${socket}` };
  const logFile = join(dir, 'dockerd.log');
  const driver = sharedStorageDriver() ?? 'vfs';
  const bridge = ownBridge();
  let child: ChildProcess | undefined;

  const answers = () => spawnSync('docker', ['version', '--format', '{{.Server.Version}}'], { env: { ...process.env, ...env }, timeout: 5_000 }).status === 0;

  async function start(): Promise<void> {
    const log = openSync(logFile, 'a');
    const args = [
      `--data-root=${join(dir, 'data')}`,
      `--exec-root=${join(dir, 'exec')}`,
      `--pidfile=${join(dir, 'docker.pid')}`,
      `--host=${env.DOCKER_HOST}`,
      `--storage-driver=${driver}`,
      // A bridge of its own. Not --bridge=none: a daemon started that way deletes the host's docker0,
      // which the shared daemon's containers need. No iptables: the shared daemon's rules stay alone.
      `--bridge=${bridge.name}`,
      '--iptables=false',
      '--ip6tables=false',
    ];
    const started = spawn('dockerd', args, { stdio: ['ignore', log, log] });
    closeSync(log);
    child = started;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (started.exitCode !== null) throw new Error(`the private dockerd exited (${started.exitCode}):\n${tail()}`);
      if (answers()) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`the private dockerd did not answer within 30 s:\n${tail()}`);
  }

  async function stop(): Promise<void> {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill('SIGTERM');
    const killLater = setTimeout(() => running.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(killLater);
  }

  function tail(): string {
    try {
      return readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n');
    } catch {
      return '(no log)';
    }
  }

  await start();
  return {
    env,
    start,
    stop,
    async restart(downMs = 1_000) {
      await stop();
      await new Promise((r) => setTimeout(r, downMs));
      await start();
    },
    async dispose() {
      await stop();
      // Mounts a killed daemon left behind would make the removal fail; unmount what is under the folder.
      for (const line of readFileSync('/proc/mounts', 'utf8').split('\n').reverse()) {
        const mountPoint = line.split(' ')[1];
        if (mountPoint?.startsWith(dir)) spawnSync('umount', ['-l', mountPoint]);
      }
      rmSync(dir, { recursive: true, force: true });
      bridge.remove();
    },
    log: tail,
  };
}

/** A bridge interface for the private daemon (dockerd only creates docker0 itself), on a /24 of 10.213/16. */
function ownBridge(): { name: string; remove(): void } {
  const n = 1 + Math.floor(Math.random() * 250);
  const name = `sdd${process.pid % 10000}x${n}`.slice(0, 15);
  const ip = (...args: string[]) => {
    const result = spawnSync('ip', args, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`ip ${args.join(' ')}: ${result.stderr.trim()}`);
  };
  ip('link', 'add', 'name', name, 'type', 'bridge');
  ip('addr', 'add', `10.213.${n}.1/24`, 'dev', name);
  ip('link', 'set', name, 'up');
  return { name, remove: () => void spawnSync('ip', ['link', 'del', name]) };
}
