import { processesGoneFrom } from './terminal.js';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox } from '../../src/sandbox/store.js';
import { totpAtStep, totpStep } from '../../src/sandbox/totp.js';

/**
 * `slipway bootstrap` in the full-screen wizard, typed into a real terminal, against the sandbox
 * account: every answer, the one-time password panel, the QR code screen (the test reads the seed off
 * the screen, as a person would type it into an app) and three MFA codes.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const hasTmux = spawnSync('tmux', ['-V']).status === 0;

describe.skipIf(!hasTmux).each([
  [100, 32],
  [80, 24],
])('bootstrap through the TUI (tmux, sandbox) at %i×%i', (width, height) => {
  const socket = `slipway-boot-${process.pid}-${width}`;
  let home: string;
  const tmux = (...args: string[]) => {
    const run = spawnSync('tmux', ['-L', socket, '-f', '/dev/null', '-u', ...args], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${run.stderr}`);
    return run.stdout;
  };
  // -J joins wrapped lines: the seed is longer than one row.
  const screen = () => tmux('capture-pane', '-p', '-J', '-t', 'boot');
  async function waitFor(what: string, test: (text: string) => boolean, ms = 20_000): Promise<string> {
    const deadline = Date.now() + ms;
    for (;;) {
      const text = screen();
      if (test(text)) return text;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; screen:\n${text}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const keys = (...k: string[]) => tmux('send-keys', '-t', 'boot', ...k);
  const type = (text: string) => {
    tmux('send-keys', '-t', 'boot', '-l', text);
    keys('Enter');
  };

  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'slipway-boot-e2e-'));
    const env = ['env', '-i', `PATH=${process.env.PATH}`, 'LANG=C.UTF-8', 'TERM=xterm-256color', `HOME=${home}`, `XDG_STATE_HOME=${join(home, 'state')}`];
    const command = `${env.join(' ')} node ${join(ROOT, 'dist', 'slipway.js')} bootstrap --sandbox-name e2e --region eu-west-1 --user-name alice --profile-name acme; echo EXIT=$?`;
    tmux('new-session', '-d', '-s', 'boot', '-x', String(width), '-y', String(height), 'bash --norc --noprofile');
    tmux('send-keys', '-t', 'boot', '-l', command);
    keys('Enter');
  });
  afterAll(async () => {
    spawnSync('tmux', ['-L', socket, 'kill-server']);
    await processesGoneFrom(home);
    rmSync(home, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  });

  it('asks, shows the password once, shows the QR code, takes the codes, and sets everything up', async () => {
    // Questions without a flag are asked with their default; Enter takes it.
    for (const question of ['Account alias', 'Admin role name', 'Group allowed to assume', 'Group that requires MFA', 'Create a console password', 'EC2 key pair name']) {
      await waitFor(question, (s) => s.includes(question));
      keys('Enter');
    }
    const password = await waitFor('the one-time password', (s) => s.includes('One-time console password for alice'));
    expect(password).toContain('SANDBOX e2e');
    keys('Enter');

    const qr = await waitFor('the QR code', (s) => s.includes('by hand'));
    // The code is whole: the title above it and the key below it are on the screen too.
    const lines = qr.split('\n');
    const title = lines.findIndex((l) => l.includes('Scan with your authenticator app'));
    expect(title).toBeGreaterThanOrEqual(0);
    // The code's top: a quiet-zone row (blank), then its finder patterns.
    expect(lines[title + 1]?.trim()).toBe('');
    expect(lines[title + 2]).toMatch(/^\s*█▀▀▀▀▀█ /);
    const seed = (/Enter this key by hand:\s*\n\s*([A-Z2-7 ]+)/.exec(qr)?.[1] ?? /^((?:[A-Z2-7]{8} )+[A-Z2-7]{1,8})\s*$/m.exec(qr)?.[1] ?? '').replace(/\s/g, '');
    // At 80×24 the header gives way so the code fits; with room, the full panel.
    expect(qr.includes('Enter this key by hand')).toBe(height >= 32);
    expect(seed).toMatch(/^[A-Z2-7]{32,}$/);
    // The step list is hidden while the QR code needs the room.
    expect(qr).not.toContain('IAM user in both groups');
    keys('Enter');

    const step = totpStep(Date.now());
    await waitFor('the first code', (s) => s.includes('First code from the app'));
    type(totpAtStep(seed, step - 1));
    await waitFor('the second code', (s) => s.includes('Wait for the next code'));
    type(totpAtStep(seed, step));
    await waitFor('a fresh code for the role', (s) => s.includes('A new code from the app'));
    type(totpAtStep(seed, step + 1));

    const done = await waitFor('the end', (s) => s.includes('Done in') || s.includes('failed'), 60_000);
    expect(done).toContain('Done in');
    keys('q');
    const after = await waitFor('the exit code', (s) => /EXIT=\d+/.test(s));
    expect(after).toContain('EXIT=0');
    expect(after).toContain('export AWS_PROFILE=acme');
    // The secrets shown in the alternate screen are not in what is left on the normal screen.
    const history = tmux('capture-pane', '-p', '-S', '-', '-t', 'boot');
    expect(history).not.toContain(seed);

    const sandbox = createSandbox({ file: join(home, 'state', 'slipway', 'sandbox', 'e2e.json') });
    const state = sandbox.snapshot();
    expect(state.iam.users.alice?.groups.map((g) => g.group).sort()).toEqual(['Administrators', 'Users']);
    expect(Object.values(state.iam.mfaDevices).find((d) => d.user === 'alice')).toBeDefined();
    const sandboxHome = join(home, 'state', 'slipway', 'sandbox', 'e2e.home');
    expect(readFileSync(join(sandboxHome, '.aws', 'config'), 'utf8')).toContain('[profile acme]');
    expect(statSync(join(sandboxHome, '.ssh', 'admin.pem')).mode & 0o777).toBe(0o600);
    expect(existsSync(join(home, '.aws'))).toBe(false); // the real ~/.aws is never touched in the sandbox
  }, 120_000);
});
