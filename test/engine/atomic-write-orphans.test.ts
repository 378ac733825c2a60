import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/engine/atomic-write.js';

it('the next write removes temp files a killed writer left behind (they may hold a secret), not a live writer’s', () => {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-orphans-'));
  try {
    // A pid that has certainly exited: a child that already ran.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const orphan = join(dir, `.credentials.${dead}.abc.tmp`);
    const live = join(dir, `.credentials.${process.ppid}.def.tmp`);
    const other = join(dir, `.config.${dead}.ghi.tmp`);
    for (const f of [orphan, live, other]) writeFileSync(f, 'aws_secret_access_key = x');
    writeFileAtomic(join(dir, 'credentials'), '[acme]\n');
    expect(existsSync(orphan)).toBe(false);
    expect(existsSync(live)).toBe(true); // its writer may still rename it
    expect(existsSync(other)).toBe(true); // another file's temps wait for that file's next write
    expect(readdirSync(dir).sort()).toEqual(['.config.' + dead + '.ghi.tmp', `.credentials.${process.ppid}.def.tmp`, 'credentials'].sort());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
