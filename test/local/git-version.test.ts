import { execFileSync } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SlipwayError, UsageError } from '../../src/engine/errors.js';
import { DirtyWorkingTreeError, UnversionedProjectError, projectVersion, validateVersionTag, versionTag, withoutCredentials } from '../../src/local/git-version.js';
import type { ProjectVersion } from '../../src/local/git-version.js';

/**
 * Real repositories made with the real git. The setup commands ignore the developer's own git
 * config (signing, hooks, default branch); the code under test does not, as in real use.
 */
const SETUP_ENV = {
  ...process.env,
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
};

const made: string[] = [];
afterEach(() => made.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-git-'));
  made.push(dir);
  return dir;
}

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, env: SETUP_ENV, encoding: 'utf8' }).trim();
}

function write(dir: string, file: string, content: string): void {
  mkdirSync(dirname(join(dir, file)), { recursive: true });
  writeFileSync(join(dir, file), content);
}

/** A repository on branch main with one commit: app.js and a .gitignore for *.log. */
function repo(): string {
  const dir = tempDir();
  git(dir, 'init', '--quiet', '--initial-branch=main');
  git(dir, 'config', 'user.name', 'Test');
  git(dir, 'config', 'user.email', 'test@example.com');
  write(dir, 'app.js', 'console.log(1)\n');
  write(dir, '.gitignore', '*.log\n');
  git(dir, 'add', '.');
  git(dir, 'commit', '--quiet', '-m', 'first');
  return dir;
}

/** Outside any repository even if the temp folder itself lives in one. */
const outside = (dir: string) => ({ ...process.env, GIT_CEILING_DIRECTORIES: dirname(dir) });

describe('projectVersion', () => {
  it('a clean repository: the short SHA git prints, the branch, not dirty', async () => {
    const dir = repo();
    const v = await projectVersion(dir);
    expect(v).toEqual({ kind: 'git', sha: git(dir, 'rev-parse', '--short', 'HEAD'), dirty: false, branch: 'main' });
    if (v.kind !== 'git') throw new Error('unreachable');
    expect(v.sha).toMatch(/^[0-9a-f]{7,}$/);
    expect(git(dir, 'rev-parse', 'HEAD').startsWith(v.sha)).toBe(true);
  });

  it('works from a subfolder and reports the whole repository', async () => {
    const dir = repo();
    write(dir, 'services/api/index.js', 'x\n');
    git(dir, 'add', '.');
    git(dir, 'commit', '--quiet', '-m', 'api');
    write(dir, 'README.md', 'changed elsewhere\n');
    expect(await projectVersion(join(dir, 'services', 'api'))).toMatchObject({ kind: 'git', dirty: true, branch: 'main' });
  });

  it('dirty by an edit to a tracked file, staged or not, or by a deletion', async () => {
    const dir = repo();
    write(dir, 'app.js', 'console.log(2)\n');
    expect(await projectVersion(dir)).toMatchObject({ dirty: true });
    git(dir, 'add', 'app.js');
    expect(await projectVersion(dir)).toMatchObject({ dirty: true });
    git(dir, 'commit', '--quiet', '-m', 'second');
    expect(await projectVersion(dir)).toMatchObject({ dirty: false });
    rmSync(join(dir, 'app.js'));
    expect(await projectVersion(dir)).toMatchObject({ dirty: true });
  });

  it('dirty by an untracked file, even when the repository hides untracked files from status', async () => {
    const dir = repo();
    write(dir, 'new/file.txt', 'new\n');
    expect(await projectVersion(dir)).toMatchObject({ dirty: true });
    git(dir, 'config', 'status.showUntrackedFiles', 'no');
    expect(await projectVersion(dir)).toMatchObject({ dirty: true });
  });

  it('not dirty because of ignored files, or a file touched without a change', async () => {
    const dir = repo();
    write(dir, 'debug.log', 'noise\n');
    write(dir, 'logs/today.log', 'noise\n');
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(dir, 'app.js'), later, later);
    expect(await projectVersion(dir)).toMatchObject({ kind: 'git', dirty: false });
  });

  it('detached HEAD: the SHA without a branch', async () => {
    const dir = repo();
    write(dir, 'app.js', 'console.log(2)\n');
    git(dir, 'commit', '--quiet', '-am', 'second');
    git(dir, 'checkout', '--quiet', '--detach', 'HEAD~1');
    const v = await projectVersion(dir);
    expect(v).toEqual({ kind: 'git', sha: git(dir, 'rev-parse', '--short', 'HEAD'), dirty: false });
  });

  it('no commits yet', async () => {
    const dir = tempDir();
    git(dir, 'init', '--quiet');
    write(dir, 'app.js', 'x\n');
    expect(await projectVersion(dir)).toEqual({ kind: 'none', reason: 'no-commits' });
  });

  it('not a repository, and inside .git itself', async () => {
    const dir = tempDir();
    expect(await projectVersion(dir, outside(dir))).toEqual({ kind: 'none', reason: 'not-a-repository' });
    const inRepo = repo();
    expect(await projectVersion(join(inRepo, '.git'))).toEqual({ kind: 'none', reason: 'not-a-repository' });
  });

  it('git not installed', async () => {
    const dir = repo();
    expect(await projectVersion(dir, { ...process.env, PATH: join(dir, 'no-bin') })).toEqual({ kind: 'none', reason: 'git-missing' });
  });

  it('a missing folder is a usage error, not "git missing"', async () => {
    await expect(projectVersion(join(tmpdir(), 'slipway-no-such-project'))).rejects.toBeInstanceOf(UsageError);
  });

  it('ignores GIT_DIR from the environment (as set inside git hooks)', async () => {
    const dir = repo();
    const other = repo();
    write(other, 'other.txt', 'different history\n');
    write(other, 'untracked.txt', 'makes it dirty\n');
    git(other, 'add', 'other.txt');
    git(other, 'commit', '--quiet', '-m', 'other');
    const v = await projectVersion(dir, { ...process.env, GIT_DIR: join(other, '.git'), GIT_WORK_TREE: other });
    expect(v).toMatchObject({ sha: git(dir, 'rev-parse', '--short', 'HEAD'), dirty: false });
    expect(v).not.toMatchObject({ sha: git(other, 'rev-parse', '--short', 'HEAD') });
  });

  it('never fewer than 7 characters, whatever core.abbrev says', async () => {
    const dir = repo();
    git(dir, 'config', 'core.abbrev', '4');
    const v = await projectVersion(dir);
    expect(v.kind === 'git' && v.sha.length).toBe(7);
  });

  it('remote URL: upstream remote first, else origin, else the only one; credentials removed', async () => {
    const dir = repo();
    expect(await projectVersion(dir)).not.toHaveProperty('remoteUrl');
    git(dir, 'remote', 'add', 'mirror', 'https://ci-bot:ghp_secret@git.example.com/acme/app.git');
    expect(await projectVersion(dir)).toMatchObject({ remoteUrl: 'https://git.example.com/acme/app.git' });
    git(dir, 'remote', 'add', 'origin', 'git@github.com:acme/app.git');
    expect(await projectVersion(dir)).toMatchObject({ remoteUrl: 'git@github.com:acme/app.git' });
    git(dir, 'config', 'branch.main.remote', 'mirror');
    expect(await projectVersion(dir)).toMatchObject({ remoteUrl: 'https://git.example.com/acme/app.git' });
  });

  it.runIf(process.getuid?.() === 0)('explains git’s refusal of a repository owned by another user', async () => {
    const dir = repo();
    const nobody = 65534;
    chownSync(join(dir, '.git'), nobody, nobody); // git checks the owner of .git (root removes it afterwards all the same)
    const error = await projectVersion(dir, { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SlipwayError);
    expect(error).toMatchObject({ fix: `If you trust it: git config --global --add safe.directory ${dir}` });
  });
});

describe('withoutCredentials', () => {
  it('drops userinfo from https URLs, keeps ssh user names, leaves scp-like URLs alone', () => {
    expect(withoutCredentials('https://user:token@host/a.git')).toBe('https://host/a.git');
    expect(withoutCredentials('https://token@host/a.git')).toBe('https://host/a.git');
    expect(withoutCredentials('ssh://git:pw@host:22/a.git')).toBe('ssh://git@host:22/a.git');
    expect(withoutCredentials('git@github.com:acme/app.git')).toBe('git@github.com:acme/app.git');
    expect(withoutCredentials('/srv/git/app.git')).toBe('/srv/git/app.git');
  });
});

describe('versionTag', () => {
  const clean: ProjectVersion = { kind: 'git', sha: 'abc1234', dirty: false };
  const dirty: ProjectVersion = { kind: 'git', sha: 'abc1234', dirty: true, changes: ['slipway/environments/dev.json', 'app.sh'] };

  it('is the SHA, or SHA-dirty only when allowed', () => {
    expect(versionTag(clean)).toBe('abc1234');
    expect(versionTag(clean, { allowDirty: true })).toBe('abc1234');
    expect(versionTag(dirty, { allowDirty: true })).toBe('abc1234-dirty');
  });

  it('refuses a dirty tree with a typed usage error that says how to proceed', () => {
    const error = (() => {
      try {
        versionTag(dirty, { allowDirty: false });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(DirtyWorkingTreeError);
    expect(error).toBeInstanceOf(UsageError);
    expect(error).toMatchObject({ sha: 'abc1234', fix: expect.stringContaining('--allow-dirty') });
    // Which files: a new environment file after a first rollout is the usual surprise.
    expect((error as Error).message).toBe('The project has uncommitted changes: slipway/environments/dev.json, app.sh.');
  });

  it('refuses a project without a commit, saying why', () => {
    expect(() => versionTag({ kind: 'none', reason: 'no-commits' })).toThrow(UnversionedProjectError);
    expect(() => versionTag({ kind: 'none', reason: 'git-missing' })).toThrow(/git is not installed/);
  });

  it('always produces a valid Docker tag', () => {
    expect(validateVersionTag(versionTag(dirty, { allowDirty: true }))).toBeUndefined();
  });
});

describe('validateVersionTag', () => {
  it('accepts Docker tags', () => {
    for (const tag of ['latest', 'abc1234', 'abc1234-dirty', '_x', '1.2.3', 'A'.repeat(128), 'v1_2-3.4']) expect(validateVersionTag(tag), tag).toBeUndefined();
  });
  it('explains what is wrong', () => {
    expect(validateVersionTag('')).toBe('A tag is needed.');
    expect(validateVersionTag('a'.repeat(129))).toMatch(/at most 128/);
    expect(validateVersionTag('-x')).toMatch(/starts with/);
    expect(validateVersionTag('.x')).toMatch(/starts with/);
    expect(validateVersionTag('project:uuid')).toBe('A tag may use letters, digits, _ . - only (not ":").');
    expect(validateVersionTag('a b/c')).toBe('A tag may use letters, digits, _ . - only (not " " "/").');
  });
});
