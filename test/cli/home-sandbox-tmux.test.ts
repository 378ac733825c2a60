import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The home screen's "Rehearse in the sandbox" in the real binary and a real terminal (tmux), on a
 * machine with no AWS credentials: offered first with its reason, it switches the home screen to the
 * sandbox (badge), and a flow started from there rehearses in it — in the wizard and in line mode.
 */
const hasTmux = spawnSync('tmux', ['-V'], { encoding: 'utf8' }).status === 0;
if (!hasTmux && process.env.CI === 'true') {
  it('tmux is installed (required when CI=true)', () => {
    expect.fail('tmux is not installed, and CI=true.');
  });
} else if (!hasTmux) {
  console.warn('test/cli/home-sandbox-tmux.test.ts: SKIPPED — tmux is not installed (apt-get install tmux / brew install tmux).');
}

const REASON = 'No AWS credentials found on this machine — rehearse first; nothing leaves this machine.';

describe.skipIf(!hasTmux)('Rehearse in the sandbox, in a terminal', () => {
  const socket = `slipway-home-sandbox-${process.pid}`;
  let work: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'slipway-home-sandbox-'));
    // A private copy of the bundle: others may rebuild dist/ while this runs.
    cpSync(join(process.cwd(), 'dist'), join(work, 'dist'), { recursive: true });
    mkdirSync(join(work, 'home'));
    env = { PATH: process.env.PATH, LANG: 'C.UTF-8', TERM: 'xterm-256color', HOME: join(work, 'home'), XDG_STATE_HOME: join(work, 'state'), AWS_REGION: 'eu-west-1', AWS_EC2_METADATA_DISABLED: 'true' };
  });
  afterAll(() => {
    spawnSync('tmux', ['-L', socket, 'kill-server']);
    if (work) rmSync(work, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  });

  function tmux(...args: string[]): string {
    const result = spawnSync('tmux', ['-L', socket, '-f', '/dev/null', '-u', ...args], { encoding: 'utf8', env });
    if (result.status !== 0) throw new Error(`tmux ${args.join(' ')} failed: ${result.stderr}`);
    return result.stdout;
  }
  function start(session: string, args: string): void {
    tmux('new-session', '-d', '-s', session, '-x', '110', '-y', '32', '-c', work, 'bash --norc --noprofile');
    tmux('send-keys', '-t', session, '-l', `node dist/slipway.js ${args}; echo EXIT=$?`);
    tmux('send-keys', '-t', session, 'Enter');
  }
  const screen = (session: string) => tmux('capture-pane', '-p', '-J', '-t', session);
  async function waitFor(session: string, text: string | RegExp): Promise<string> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const shown = screen(session);
      if (typeof text === 'string' ? shown.includes(text) : text.test(shown)) return shown;
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${String(text)}. The pane shows:\n${shown}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('the wizard: offered first, Enter switches to the sandbox, the flow started there shows the badge and makes the sandbox', async () => {
    start('tui', '');
    const home = await waitFor('tui', 'slipway · home');
    expect(home).toContain(REASON);
    expect(home).toMatch(/^ ❯ Rehearse in the sandbox \(slipway --sandbox\)$/m);
    tmux('send-keys', '-t', 'tui', 'Enter');
    const inside = await waitFor('tui', 'SANDBOX default');
    expect(inside).toContain('region us-east-1');
    expect(inside).not.toContain('Rehearse in the sandbox');
    expect(inside).not.toContain(REASON);
    // Down to "Check this machine", and run it in the sandbox.
    const items = inside.split('\n').filter((line) => /^ (❯ | {2})\S/.test(line));
    const doctor = items.findIndex((line) => line.includes('(slipway doctor)'));
    for (let i = 0; i < doctor; i++) tmux('send-keys', '-t', 'tui', 'Down');
    await waitFor('tui', '❯ Check this machine');
    tmux('send-keys', '-t', 'tui', 'Enter');
    await waitFor('tui', /slipway · Doctor SANDBOX default[\s\S]*Node\.js version/);
    await waitFor('tui', 'enter/q leave');
    tmux('send-keys', '-t', 'tui', 'q');
    // The run's record on the normal screen: the ~/.aws files it checked are the sandbox's.
    expect(await waitFor('tui', /^EXIT=\d+$/m)).toMatch(/sandbox\/default\.home\/\.aws\/config/);
    expect(existsSync(join(work, 'state', 'slipway', 'sandbox', 'default.json'))).toBe(true);
  }, 60_000);

  it('line mode: the same entry, first; then the menu again, in the sandbox', async () => {
    start('plain', '--plain');
    const menu = await waitFor('plain', 'What would you like to do?');
    expect(menu).toContain(REASON);
    expect(menu).toMatch(/❯ Rehearse in the sandbox \(slipway --sandbox\)/);
    tmux('send-keys', '-t', 'plain', 'Enter');
    const inside = await waitFor('plain', 'SANDBOX default: what you start now runs against a simulated AWS account on this machine.');
    const again = inside.slice(inside.lastIndexOf('SANDBOX default'));
    expect(again).not.toContain('Rehearse in the sandbox');
    tmux('send-keys', '-t', 'plain', 'Up');
    await waitFor('plain', /❯ Quit/);
    tmux('send-keys', '-t', 'plain', 'Enter');
    expect(await waitFor('plain', /^EXIT=0$/m)).toBeTruthy();
  }, 60_000);
});
