import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { projectVersion, workTreeDigest } from '../../src/local/git-version.js';

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
  mkdirSync(join(dir, 'slipway', 'environments'));
  writeFileSync(join(dir, 'slipway', 'environments', 'dev.json'), '{}\n');
  expect(await projectVersion(dir, process.env, { ignore })).toMatchObject({ kind: 'git', dirty: true, changes: ['app.sh', 'slipway/environments/'] });
});

describe('workTreeDigest: what a dirty tree holds', () => {
  function repo(options: { ignoreProjectFile?: boolean } = {}) {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-git-tree-'));
    dirs.push(dir);
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir, encoding: 'utf8' });
    git('init', '-q');
    mkdirSync(join(dir, 'slipway'));
    writeFileSync(join(dir, 'slipway', 'project.json'), '{}\n');
    if (options.ignoreProjectFile) writeFileSync(join(dir, '.gitignore'), 'slipway/project.json\n');
    writeFileSync(join(dir, 'app.sh'), 'echo 1\n');
    git('add', '.');
    git('commit', '-qm', 'one');
    return { dir, git };
  }
  const ignore = ['slipway/project.json'];

  it.each([false, true])('tells two edits of one commit apart, is the same for the same content, and leaves the real index alone (project.json gitignored: %s)', async (ignoreProjectFile) => {
    const { dir, git } = repo({ ignoreProjectFile });
    writeFileSync(join(dir, 'app.sh'), 'echo 2\n');
    writeFileSync(join(dir, 'new-file.txt'), 'untracked but not ignored\n');
    const first = await workTreeDigest(dir, process.env, { ignore });
    expect(first).toMatch(/^[0-9a-f]{40}$/);
    expect(await workTreeDigest(dir, process.env, { ignore })).toBe(first);
    // slipway's own record changes after every publish: it is not the content.
    writeFileSync(join(dir, 'slipway', 'project.json'), '{"lastPublished": {}}\n');
    expect(await workTreeDigest(dir, process.env, { ignore })).toBe(first);
    writeFileSync(join(dir, 'new-file.txt'), 'edited\n');
    expect(await workTreeDigest(dir, process.env, { ignore })).not.toBe(first);
    // Nothing was staged: git status still shows the edits as unstaged and the new file as untracked.
    expect(git('status', '--porcelain')).toContain('?? new-file.txt');
    expect(git('diff', '--cached', '--name-only')).toBe('');
  });
});
