import { spawnSync } from 'node:child_process';

/** A tmux session on its own server, driven like a person at a terminal. */
export class Terminal {
  constructor(
    private readonly socket: string,
    private readonly name = 'main',
  ) {}

  static available(): boolean {
    return spawnSync('tmux', ['-V']).status === 0;
  }

  tmux(...args: string[]): string {
    const run = spawnSync('tmux', ['-L', this.socket, '-f', '/dev/null', '-u', ...args], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${run.stderr}`);
    return run.stdout;
  }

  start(width = 100, height = 32): void {
    this.tmux('new-session', '-d', '-s', this.name, '-x', String(width), '-y', String(height), 'bash --norc --noprofile');
  }

  /** The visible screen, wrapped lines joined. */
  screen(): string {
    return this.tmux('capture-pane', '-p', '-J', '-t', this.name);
  }

  /** Everything the pane printed, scrollback included. */
  history(): string {
    return this.tmux('capture-pane', '-p', '-J', '-S', '-', '-t', this.name);
  }

  keys(...keys: string[]): void {
    this.tmux('send-keys', '-t', this.name, ...keys);
  }

  type(text: string): void {
    this.tmux('send-keys', '-t', this.name, '-l', text);
    this.keys('Enter');
  }

  async waitFor(what: string, test: (text: string) => boolean, ms = 20_000): Promise<string> {
    const deadline = Date.now() + ms;
    for (;;) {
      const text = this.screen();
      if (test(text)) return text;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; screen:\n${text}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  stop(): void {
    spawnSync('tmux', ['-L', this.socket, 'kill-server']);
  }
}

/**
 * Waits until no process runs with its working folder or its HOME under `dir` — a slipway still exiting after its
 * tmux server went (it writes Node's compile cache and its journal on the way out) — sending SIGTERM
 * to stragglers half-way. Then the folder can be removed without racing them (ENOTEMPTY).
 */
export async function processesGoneFrom(dir: string, ms = 10_000): Promise<void> {
  const { readdirSync, readFileSync, readlinkSync } = await import('node:fs');
  const uses = (pid: string): boolean => {
    try {
      if (readlinkSync(`/proc/${pid}/cwd`).startsWith(dir)) return true;
      return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').some((v) => v.startsWith(`HOME=${dir}`));
    } catch {
      return false;
    }
  };
  const inside = (): number[] =>
    readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry) && Number(entry) !== process.pid && uses(entry))
      .map(Number);
  const deadline = Date.now() + ms;
  let warned = false;
  for (let left = inside(); left.length > 0; left = inside()) {
    if (Date.now() > deadline) return;
    if (!warned && Date.now() > deadline - ms / 2) {
      warned = true;
      for (const pid of left) {
        try {
          process.kill(pid, 'SIGTERM');
        } catch {
          // gone already
        }
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
