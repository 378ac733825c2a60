import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { journalsDir } from '../../src/engine/paths.js';
import { flowChild, runFlowChild } from './children.js';
import { recordFigure } from './figures.js';
import { sandboxState } from './inventory.js';
import { personSecrets, sandboxSecrets, scanForSecrets, worldSources } from './secrets.js';
import { addToTally } from './figures.js';
import { plainWorld, rolloutWorld, worldEnv } from './worlds.js';

/**
 * Figure 6: two slipways on one journal. The first holds the run (paused inside a step, lock taken);
 * the second is refused with the first one's pid and changes nothing. The first is SIGKILLed, leaving
 * its lock behind; the next run takes the lock over and finishes the flow.
 */
const root = mkdtempSync(join(tmpdir(), 'slipway-verify-lock-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const results: string[] = [];
let passed = 0;
let cases = 0;

async function holdRun(flow: string, work: string, step: string): Promise<{ pid: number; stop: () => Promise<void>; output: () => string }> {
  const child = await flowChild();
  const proc = spawn(process.execPath, [child, flow, work], { env: { ...process.env, SLIPWAY_VERIFY_PAUSE: `start:${step}` }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
  const pid = await new Promise<number>((resolve, reject) => {
    proc.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const paused = out.split('\n').find((l) => l.includes('"type":"paused"'));
      if (paused) resolve((JSON.parse(paused) as { pid: number }).pid);
    });
    proc.on('close', () => reject(new Error(`the first run ended before pausing: ${out.slice(-600)}`)));
  });
  return {
    pid,
    output: () => out,
    stop: async () => {
      const closed = new Promise((resolve) => proc.on('close', resolve));
      proc.kill('SIGKILL');
      await closed;
    },
  };
}

function lockFiles(work: string): string[] {
  const dir = journalsDir(worldEnv(work));
  return existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith('.lock')) : [];
}

describe('two instances on one journal', () => {
  for (const [flow, step] of [
    ['bootstrap', 'admin-role'],
    ['rollout', 'cluster'],
  ] as const) {
    it(`${flow}: the second is refused with the first's pid; a killed one's lock is taken over`, async () => {
      cases++;
      const work = join(root, flow);
      if (flow === 'rollout') await rolloutWorld(work);
      else plainWorld(work);
      const first = await holdRun(flow, work, step);
      const before = readFileSync(join(work, 'sandbox.json'), 'utf8');

      const second = await runFlowChild(flow, work);
      expect(second.code, second.stderr).not.toBe(0);
      expect(second.stderr).toContain(`Another slipway (pid ${first.pid}) is already working on this run.`);
      expect(readFileSync(join(work, 'sandbox.json'), 'utf8'), 'the refused run changed the account').toBe(before);

      await first.stop();
      const stale = lockFiles(work);
      expect(stale, 'the killed run leaves its lock behind').toHaveLength(1);
      const third = await runFlowChild(flow, work);
      expect(third.code, third.stderr).toBe(0);
      expect(third.lines.find((l) => l.type === 'run-started')?.resumed).toBe(true);
      expect(lockFiles(work), 'released at the end').toEqual([]);

      const scan = scanForSecrets([...sandboxSecrets(sandboxState(work)), ...personSecrets(work)], [
        ...worldSources(work),
        { name: 'first', content: first.output() },
        { name: 'second', content: second.stdout + second.stderr },
        { name: 'third', content: third.stdout + third.stderr },
      ]);
      addToTally('secrets', { hits: scan.hits.length, bytes: scan.bytes, scans: 1 });
      expect(scan.hits).toEqual([]);
      results.push(`${flow}: second refused naming pid ${first.pid}, nothing changed; stale lock of the killed run taken over, run finished`);
      passed++;
    });
  }

  afterAll(() => {
    recordFigure({
      name: '6 concurrency',
      value: `${passed}/${cases} cases: second instance refused with the first's pid, dead owner's lock taken over`,
      floor: 'every case',
      ok: cases >= 2 && passed === cases,
      details: results,
    });
  });
});
