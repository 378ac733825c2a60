import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { processesGoneFrom } from './terminal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeSupport } from '../../src/cli/node-support.js';

/**
 * The real, bundled CLI in a real terminal: tmux runs it in a 100x30 pane, the test types keys with
 * send-keys and reads the screen with capture-pane. What only a terminal can show is checked here:
 * the alternate screen is entered and left on every exit path, the scrollback before slipway survives,
 * the line summary lands on the normal screen, and the shell sees the right exit code.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DEADLINE_MS = 10_000;

const hasTmux = spawnSync('tmux', ['-V'], { encoding: 'utf8' }).status === 0;
const inCi = process.env.CI === 'true';
if (!hasTmux && !inCi) {
  console.warn('test/e2e/tmux.test.ts: SKIPPED — tmux is not installed (apt-get install tmux / brew install tmux). In CI (CI=true) this fails instead.');
}

if (!hasTmux && inCi) {
  it('tmux is installed (required when CI=true)', () => {
    expect.fail('tmux is not installed, and CI=true: the end-to-end tests cannot run. Install tmux in the CI image.');
  });
}

describe.skipIf(!hasTmux)('slipway in a real terminal (tmux)', () => {
  const socket = `slipway-e2e-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  let work: string;
  let env: NodeJS.ProcessEnv;
  let serverStarted = false;
  let socketPath: string | undefined;

  beforeAll(() => {
    buildIfMissing();
    work = mkdtempSync(join(tmpdir(), 'slipway-e2e-'));
    snapshotDist(join(work, 'app'));
    mkdirSync(join(work, 'home'));
    // A clean environment, not the test runner's: no real HOME or AWS credentials, and no CI=true
    // (which would make slipway pick its non-interactive mode instead of the wizard).
    env = {
      PATH: process.env.PATH,
      LANG: 'C.UTF-8',
      TERM: 'xterm-256color',
      HOME: join(work, 'home'),
      XDG_STATE_HOME: join(work, 'home', 'state'),
      AWS_REGION: 'us-east-1',
      AWS_EC2_METADATA_DISABLED: 'true',
      PS1: '$ ',
    };
  });

  afterAll(async () => {
    if (serverStarted) {
      try {
        tmux('kill-server');
      } finally {
        // kill-server leaves the socket file behind.
        if (socketPath) rmSync(socketPath, { force: true });
      }
    }
    // A slipway still exiting as its tmux server goes may write Node's compile cache into the HOME
    // being removed (ENOTEMPTY): wait for it to be gone, then remove (retried all the same).
    if (work) {
      await processesGoneFrom(work);
      rmSync(work, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    }
  });

  function tmux(...args: string[]): string {
    const result = spawnSync('tmux', ['-L', socket, '-f', '/dev/null', '-u', ...args], { encoding: 'utf8', env });
    if (result.status !== 0) throw new Error(`tmux ${args.join(' ')} failed: ${result.stderr}`);
    return result.stdout;
  }

  /** A fresh shell in its own session, in the app snapshot's folder, running `command` after a marker line. */
  function start(session: string, command = 'node dist/slipway.js'): void {
    tmux('new-session', '-d', '-s', session, '-x', '100', '-y', '30', '-c', join(work, 'app'), 'bash --norc --noprofile');
    serverStarted = true;
    socketPath ??= tmux('display-message', '-p', '-t', session, '#{socket_path}').trim();
    tmux('send-keys', '-t', session, '-l', `echo BEFORE-MARKER; ${command}; echo EXIT=$?`);
    tmux('send-keys', '-t', session, 'Enter');
  }

  /** The visible screen (-J joins lines the terminal wrapped). */
  const screen = (session: string) => tmux('capture-pane', '-p', '-J', '-t', session);
  /** The normal screen with its whole scrollback. */
  const history = (session: string) => tmux('capture-pane', '-p', '-J', '-S', '-', '-t', session);
  const flag = (session: string, name: string) => tmux('display-message', '-p', '-t', session, `#{${name}}`).trim();

  async function waitFor(session: string, what: string, test: (text: string) => boolean, read = screen): Promise<string> {
    const deadline = Date.now() + DEADLINE_MS;
    for (;;) {
      const text = read(session);
      if (test(text)) return text;
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}. The pane shows:\n${text}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  const waitForText = (session: string, text: string | RegExp, read = screen) =>
    waitFor(session, String(text), (t) => (typeof text === 'string' ? t.includes(text) : text.test(t)), read);

  /** The `EXIT=<code>` line the shell prints once slipway has ended. */
  async function exitCode(session: string): Promise<number> {
    const text = await waitForText(session, /^EXIT=\d+$/m, history);
    return Number(/^EXIT=(\d+)$/m.exec(text)?.[1]);
  }

  /** Once slipway has gone: the normal screen is back, the cursor is visible, the earlier output survives. */
  function expectTerminalRestored(session: string): string {
    expect(flag(session, 'alternate_on')).toBe('0');
    expect(flag(session, 'cursor_flag')).toBe('1');
    const text = history(session);
    expect(text).toMatch(/^BEFORE-MARKER$/m);
    expect(text).not.toContain('slipway · home');
    return text;
  }

  it('home → ↓ moves the cursor → Enter on "Check this machine" runs doctor → q leaves with the summary and its exit code', async () => {
    const s = 'doctor';
    start(s);
    const home = await waitForText(s, 'slipway · home');
    expect(flag(s, 'alternate_on')).toBe('1');
    expect(home).toContain('region us-east-1');
    const first = menu(home);
    expect(first.cursor).toBe(0);
    expect(first.items).toContain('Check this machine (slipway doctor)');
    expect(first.items.at(-1)).toBe('Quit');

    tmux('send-keys', '-t', s, 'Down');
    const moved = menu(await waitFor(s, 'the cursor to move down', (t) => menu(t).cursor === 1));
    expect(moved.items).toEqual(first.items);
    expect(moved.lines[0]).toBe(`   ${first.items[0]}`);
    expect(moved.lines[1]).toBe(` ❯ ${first.items[1]}`);

    const target = first.items.indexOf('Check this machine (slipway doctor)');
    for (let at = 1; at !== target; ) {
      const key = at < target ? 'Down' : 'Up';
      const next = at + (at < target ? 1 : -1);
      tmux('send-keys', '-t', s, key);
      await waitFor(s, `the cursor on item ${next}`, (t) => menu(t).cursor === next);
      at = next;
    }
    tmux('send-keys', '-t', s, 'Enter');

    await waitForText(s, 'slipway · Doctor');
    const done = await waitForText(s, 'enter/q leave');
    expect(flag(s, 'alternate_on')).toBe('1');
    for (const title of ['Node.js version', 'Docker client', 'Region set', 'AWS credentials found', 'Identity (sts:GetCallerIdentity)']) {
      expect(done).toMatch(new RegExp(`^ [✔✖] ${title.replace(/[()]/g, '\\$&')}`, 'm'));
    }
    expect(done).toMatch(/^ ✔ Region set — us-east-1 · AWS_REGION/m);
    const failedInTui = /^ ✖ /m.test(done);

    tmux('send-keys', '-t', s, 'q');
    const code = await exitCode(s);
    const text = expectTerminalRestored(s);
    // The run replayed as lines on the normal screen, after the marker.
    const summary = text.slice(text.indexOf('BEFORE-MARKER'));
    expect(summary).toMatch(/^Doctor · us-east-1$/m);
    // A supported Node passes the check with its version; an older one fails it, with the fix.
    if (nodeSupport(process.versions.node).supported) expect(summary).toMatch(/^ {2}✔ Node\.js version — version \d+\.\d+\.\d+/m);
    else expect(summary).toMatch(/^ {2}✖ Node\.js version/m);
    expect(summary).toMatch(/^ {2}✔ Region set — region us-east-1 · source AWS_REGION/m);
    // No credentials in the temporary HOME: doctor normally fails here (1); either way code and marks agree.
    const failedInSummary = /^ {2}✖ /m.test(summary);
    expect(failedInSummary).toBe(failedInTui);
    expect([0, 1]).toContain(code);
    expect(code).toBe(failedInSummary ? 1 : 0);
    if (failedInSummary) expect(summary).toMatch(/^\d+ checks? failed\. Fix what is named above/m);
    else expect(summary).toMatch(/^Done in /m);
  });

  it('keys sent in one burst the moment the menu appears act on the menu shown: ↓…↓ Enter opens doctor', async () => {
    const s = 'burst';
    start(s);
    // No waiting for ink: the keys go as soon as the first frame is there (the first paint reads them).
    const items = menu(await waitForText(s, 'slipway · home')).items;
    const target = items.indexOf('Check this machine (slipway doctor)');
    expect(target).toBeGreaterThan(0);
    tmux('send-keys', '-t', s, ...Array<string>(target).fill('Down'), 'Enter');
    await waitForText(s, 'slipway · Doctor');
    await waitForText(s, 'enter/q leave');
    tmux('send-keys', '-t', s, 'q');
    expect([0, 1]).toContain(await exitCode(s));
    expect(history(s)).toMatch(/^Doctor · us-east-1$/m);
  });

  it('q on the home screen leaves with 0; Ctrl-C on the home screen leaves too, terminal restored', async () => {
    const s = 'quit';
    start(s);
    await waitForText(s, 'slipway · home');
    tmux('send-keys', '-t', s, 'q');
    expect(await exitCode(s)).toBe(0);
    expectTerminalRestored(s);

    const c = 'ctrl-c';
    start(c);
    await waitForText(c, 'slipway · home');
    expect(flag(c, 'alternate_on')).toBe('1');
    tmux('send-keys', '-t', c, 'C-c');
    const code = await exitCode(c);
    console.info(`e2e: Ctrl-C on the home screen exited with ${code}`);
    expect([0, 130]).toContain(code);
    expectTerminalRestored(c);
  });

  it('SIGTERM while the home screen is up restores the terminal and exits with 143', async () => {
    const s = 'sigterm';
    start(s);
    await waitForText(s, 'slipway · home');
    expect(flag(s, 'alternate_on')).toBe('1');
    // The first frame answers keys before ink is loaded; a moved cursor says slipway is reading keys.
    tmux('send-keys', '-t', s, 'Down');
    await waitFor(s, 'the cursor to move', (t) => menu(t).cursor === 1);
    const pid = slipwayPid(Number(flag(s, 'pane_pid')));
    process.kill(pid, 'SIGTERM');
    expect(await exitCode(s)).toBe(143);
    expectTerminalRestored(s);
  });
});

/**
 * The home screen's menu: its items in order and which one has the ❯ cursor. Items are the lines from
 * the first menu line down to "Quit" (the hint line below "Quit" is not an item).
 */
function menu(text: string): { items: string[]; lines: string[]; cursor: number } {
  const lines = text.split('\n');
  const item = /^ (❯ | {2})(\S.*)$/;
  const last = lines.findIndex((line) => /^ (❯ | {2})Quit$/.test(line));
  if (last === -1) return { items: [], lines: [], cursor: -1 };
  let first = last;
  while (first > 0 && item.test(lines[first - 1] ?? '')) first--;
  const menuLines = lines.slice(first, last + 1);
  return {
    lines: menuLines,
    items: menuLines.map((line) => item.exec(line)?.[2] ?? ''),
    cursor: menuLines.findIndex((line) => line.startsWith(' ❯ ')),
  };
}

/** The pid of `node dist/slipway.js`, a child of the pane's shell. */
function slipwayPid(shellPid: number): number {
  const ps = spawnSync('ps', ['-A', '-o', 'pid=,ppid=,args='], { encoding: 'utf8' });
  const row = ps.stdout
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .find((m) => m && Number(m[2]) === shellPid && m[3]?.includes('dist/slipway.js'));
  if (!row) throw new Error(`No slipway process under the shell ${shellPid}:\n${ps.stdout}`);
  return Number(row[1]);
}

/**
 * test/global-setup.ts builds dist/ once before any test file runs; build here only when that did not
 * happen (another config, a cleaned tree). Rebuilding a stale dist/ from here would delete it under
 * the other test files that run the binary in parallel.
 */
function buildIfMissing(): void {
  if (existsSync(join(ROOT, 'dist', 'slipway.js'))) return;
  const result = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`npm run build failed:\n${result.stdout}\n${result.stderr}`);
}

/**
 * Copies dist/ so the test runs a private copy: other people rebuild (and first delete) dist/ while
 * these tests run, and a lazily imported chunk that vanishes mid-run would fail the test for nothing.
 * The bundle is self-contained, so the copy runs the same from anywhere.
 */
function snapshotDist(target: string): void {
  const dist = join(ROOT, 'dist');
  for (let attempt = 0; attempt < 5; attempt++) {
    const before = listing(dist);
    rmSync(target, { recursive: true, force: true });
    cpSync(dist, join(target, 'dist'), { recursive: true });
    if (before === listing(dist) && before === listing(join(target, 'dist')) && existsSync(join(target, 'dist', 'slipway.js'))) return;
    spawnSync('sleep', ['1']);
  }
  throw new Error('dist/ kept changing while it was copied (someone is rebuilding); run the tests again.');
}

function listing(dir: string): string {
  if (!existsSync(dir)) return '';
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const path = join(entry.parentPath, entry.name);
      return `${path.slice(dir.length)}:${statSync(path).size}`;
    })
    .sort()
    .join('\n');
}
