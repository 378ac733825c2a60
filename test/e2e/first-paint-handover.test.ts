import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The home screen is painted before ink is loaded, then ink draws it again. What the terminal receives
 * between the two decides whether a person sees a flicker: the clear that precedes ink's frame must come
 * with the frame, inside ink's synchronized-output block — never on its own while ink is still loading.
 */
const BIN = join(process.cwd(), 'dist', 'slipway.js');
const hasScript = spawnSync('script', ['--version']).status === 0;
const home = mkdtempSync(join(tmpdir(), 'slipway-handover-'));
afterAll(() => rmSync(home, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 }));

/** The chunks the terminal receives until `until` appears after a clear, then `q`. */
function chunksUntilInk(): Promise<string[]> {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, XDG_STATE_HOME: join(home, 'state'), TERM: 'xterm-256color', AWS_REGION: 'us-east-1', LANG: 'C.UTF-8' };
  const child = spawn('script', ['-qfec', `stty cols 100 rows 30; exec "${process.execPath}" "${BIN}"`, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'inherit'] });
  const chunks: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`ink never took over; received ${JSON.stringify(chunks.join('').slice(-400))}`));
    }, 20_000);
    child.stdout.on('data', (data: Buffer) => {
      chunks.push(data.toString('utf8'));
      const all = chunks.join('');
      const clear = all.indexOf('\u001B[2J');
      // Ink's frame is in: the menu's last line after the clear.
      if (clear !== -1 && all.indexOf('Quit', clear) !== -1 && !child.stdin.writableEnded) child.stdin.end('q');
    });
    child.on('close', () => {
      clearTimeout(timer);
      resolve(chunks);
    });
  });
}

describe.skipIf(!hasScript)('the first paint hands over to ink without a blank screen', () => {
  it('the clear and ink’s frame come inside one synchronized-output block, the frame before the block ends', async () => {
    // Judged on the byte stream, not on how the pty happened to cut it into reads (a loaded machine
    // splits one write into several).
    const stream = (await chunksUntilInk()).join('');
    const painted = stream.indexOf('slipway · home');
    const clear = stream.indexOf('\u001B[2J');
    expect(painted).toBeGreaterThanOrEqual(0);
    expect(clear).toBeGreaterThan(painted);
    // ESC[?2026h … ESC[?2026l: terminals that know it show the block at once, so the cleared screen is
    // never on view. (Cleared before ink loaded, as before, the clear sat in no block at all.)
    const opened = stream.lastIndexOf('\u001B[?2026h', clear);
    expect(opened).toBeGreaterThanOrEqual(0);
    expect(stream.slice(opened, clear)).not.toContain('\u001B[?2026l');
    const closed = stream.indexOf('\u001B[?2026l', clear);
    expect(closed).toBeGreaterThan(clear);
    expect(stream.slice(clear, closed)).toContain('slipway · home');
    expect(stream.slice(clear, closed)).toContain('Quit');
  });
});
