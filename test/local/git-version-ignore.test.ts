import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { projectVersion } from '../../src/local/git-version.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

it('paths slipway keeps for itself (slipway/project.json) do not make the tree dirty; anything else still does', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-git-ignore-'));
  dirs.push(dir);
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir });
  git('init', '-q');
  mkdirSync(join(dir, 'slipway'));
  writeFileSync(join(dir, 'slipway', 'project.json'), '{}\n');
  writeFileSync(join(dir, 'app.sh'), 'echo 1\n');
  git('add', '.');
  git('commit', '-qm', 'one');
  writeFileSync(join(dir, 'slipway', 'project.json'), '{"lastPublished": {}}\n');
  const ignore = ['slipway/project.json'];
  expect(await projectVersion(dir, process.env, { ignore })).toMatchObject({ kind: 'git', dirty: false });
  expect(await projectVersion(dir)).toMatchObject({ kind: 'git', dirty: true });
  writeFileSync(join(dir, 'app.sh'), 'echo 2\n');
  expect(await projectVersion(dir, process.env, { ignore })).toMatchObject({ kind: 'git', dirty: true });
});
