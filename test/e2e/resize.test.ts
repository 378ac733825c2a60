import { processesGoneFrom } from './terminal.js';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const hasTmux = spawnSync('tmux', ['-V']).status === 0;

/** A resized terminal gets a frame laid out for its new width, not a wrapped copy of the old one. */
describe.skipIf(!hasTmux)('resize (tmux)', () => {
  const socket = `slipway-resize-${process.pid}`;
  let home: string;
  const tmux = (...args: string[]) => spawnSync('tmux', ['-L', socket, '-f', '/dev/null', '-u', ...args], { encoding: 'utf8' }).stdout;
  const topLine = () => tmux('capture-pane', '-p', '-t', 'r').split('\n')[0] ?? '';
  async function waitFor(test: (line: string) => boolean): Promise<string> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const line = topLine();
      if (test(line)) return line;
      if (Date.now() > deadline) throw new Error(`timed out; top line: ${line}\n${tmux('capture-pane', '-p', '-t', 'r')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'slipway-resize-'));
    const env = ['env', '-i', `PATH=${process.env.PATH}`, 'LANG=C.UTF-8', 'TERM=xterm-256color', `HOME=${home}`, `XDG_STATE_HOME=${join(home, 'state')}`, 'AWS_REGION=us-east-1'];
    tmux('new-session', '-d', '-s', 'r', '-x', '100', '-y', '30', `${env.join(' ')} node ${join(ROOT, 'dist', 'slipway.js')}; sleep 30`);
  });
  afterAll(async () => {
    tmux('kill-server');
    await processesGoneFrom(home);
    rmSync(home, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  });

  // The header's top border spans the terminal exactly: ╭ + ─… + ╮.
  const border = (width: number) => (line: string) => line.trimEnd() === `╭${'─'.repeat(width - 2)}╮`;

  it('redraws the header box to the new width, both narrower and wider', async () => {
    await waitFor(border(100));
    tmux('resize-window', '-t', 'r', '-x', '72', '-y', '30');
    expect(await waitFor(border(72))).toMatch(/╮\s*$/);
    tmux('resize-window', '-t', 'r', '-x', '120', '-y', '30');
    expect(await waitFor(border(120))).toMatch(/╮\s*$/);
  });
});

/**
 * Ink clears the terminal with ESC[3J — which also erases the scrollback in xterm and most
 * terminals — whenever a frame is taller than the window. tmux ignores ESC[3J in the alternate screen,
 * so this reads the raw bytes a 80x12 pseudo-terminal receives instead.
 */
const hasScript = spawnSync('script', ['--version']).status === 0;
describe.skipIf(!hasScript)('scrollback (raw terminal bytes)', () => {
  it('a frame taller than the terminal never sends "erase scrollback"', () => {
    const home = mkdtempSync(join(tmpdir(), 'slipway-3j-'));
    try {
      const run = spawnSync('script', ['-qfec', `stty cols 80 rows 12; exec ${process.execPath} ${join(ROOT, 'dist', 'slipway.js')} doctor`, '/dev/null'], {
        env: { PATH: process.env.PATH, HOME: home, XDG_STATE_HOME: join(home, 'state'), AWS_REGION: 'us-east-1', TERM: 'xterm-256color', LANG: 'C.UTF-8' },
        encoding: 'utf8',
        timeout: 5_000,
        killSignal: 'SIGTERM',
      });
      // The doctor screen did draw (and overflow 12 rows), and it was cleared with ESC[2J only.
      expect(run.stdout).toContain('slipway · Doctor');
      expect(run.stdout).toContain('\u001B[2J');
      expect(run.stdout).not.toContain('\u001B[3J');
    } finally {
      rmSync(home, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    }
  });
});
