import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NonInteractivePrompter } from '../../../src/console/ci-prompter.js';
import { runRollout } from '../rollout/harness.js';
import { BIN, SANDBOX, useBinaryWorlds } from '../run/binary-world.js';

const world = useBinaryWorlds();

/** A local image whose /bin/sh is a static busybox (no base image can be pulled here). */
function localShellImage(): string | undefined {
  if (spawnSync('docker', ['info'], { stdio: 'ignore' }).status !== 0) return undefined;
  const busybox = ['/bin/busybox', '/usr/bin/busybox'].find((p) => existsSync(p));
  if (!busybox || spawnSync('script', ['--version'], { stdio: 'ignore' }).status !== 0) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'slipway-exec-image-'));
  try {
    copyFileSync(busybox, join(dir, 'busybox'));
    writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\nCOPY busybox /bin/busybox\nCOPY busybox /bin/sh\nCMD ["/bin/sh"]\n');
    const tag = 'slipway-exec-test:busybox';
    return spawnSync('docker', ['build', '-q', '-t', tag, dir], { stdio: 'ignore' }).status === 0 ? tag : undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('slipway exec at a terminal (a pseudo-terminal from script(1))', () => {
  it('line mode, never the wizard; the default shell gets the terminal (docker run -it) and its exit code is slipway’s', async () => {
    const image = localShellImage();
    if (!image) {
      if (process.env.CI === 'true') expect.fail('Docker, busybox-static and script(1) are needed under CI=true');
      return;
    }
    const w = await world();
    await runRollout(w, new NonInteractivePrompter());
    w.sandbox.update((s) => {
      s.ecs!.taskDefinitions!['us-east-1']!['todo-dev']![0]!.containerDefinitions[0]!.image = image;
    });
    const command = [process.execPath, BIN, 'exec', '--sandbox-name', SANDBOX, '--env', 'dev', '--enable'].map((a) => `'${a}'`).join(' ');
    const child = spawn('script', ['-qefc', command, '/dev/null'], { cwd: w.runtime.cwd, env: { ...w.binaryEnv, TERM: 'xterm-256color' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    // Once the shell's prompt shows, type into it.
    void new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (/NEW container/.test(out) && /built-in shell[\s\S]*# /.test(out)) {
          clearInterval(timer);
          child.stdin.write('echo hi-$((40+2))\r');
          setTimeout(() => child.stdin.write('exit 3\r'), 500);
          resolve();
        }
      }, 100);
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), 40_000);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearTimeout(killer);
    expect(out).not.toContain('\u001b[?1049h'); // never the alternate screen: no wizard
    expect(out).toContain('hi-42');
    expect(code, out).toBe(3);
  }, 60_000);
});
