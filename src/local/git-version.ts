export { validateVersionTag } from './version-tag.js';
import { copyFileSync, utimesSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { SlipwayError, UsageError } from '../engine/errors.js';

/**
 * The image version is the commit it was built from (the book's APP_VERSION = short SHA). Asked of
 * the real `git` CLI, which knows every config, worktree and submodule layout that a reimplementation
 * would get wrong.
 */
export type ProjectVersion =
  | {
      kind: 'git';
      /** As git abbreviates it: at least 7 characters, more when 7 would be ambiguous. */
      sha: string;
      /** Uncommitted changes to tracked files, or untracked files that are not ignored, anywhere in the repository. */
      dirty: boolean;
      /** What makes it dirty, as `git status --short` names it (relative to the repository's top). */
      changes?: string[];
      /** Undefined on a detached HEAD (CI checkouts). */
      branch?: string;
      /** The branch's upstream remote, else `origin`, else the only remote; credentials removed. */
      remoteUrl?: string;
    }
  | { kind: 'none'; reason: 'not-a-repository' | 'no-commits' | 'git-missing' };

/** Variables that would point git at another repository than the folder asked about (set inside git hooks). */
const REPOSITORY_OVERRIDES = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_PREFIX', 'GIT_COMMON_DIR', 'GIT_OBJECT_DIRECTORY', 'GIT_NAMESPACE'];

/**
 * `ignore`: paths (relative to `dir`) whose changes do not make the tree dirty — slipway's own
 * bookkeeping (slipway/project.json records the last published digest after every publish).
 */
export async function projectVersion(dir: string, env: NodeJS.ProcessEnv = process.env, options: { ignore?: string[] } = {}): Promise<ProjectVersion> {
  // execa reports a missing cwd as ENOENT, like a missing git: tell them apart first.
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new UsageError(`${dir} is not a folder.`, { fix: 'Run slipway in the folder of the app.' });
  }
  const git = gitIn(dir, env);

  const inside = await git(['rev-parse', '--is-inside-work-tree']);
  if (inside.missing) return { kind: 'none', reason: 'git-missing' };
  if (inside.exitCode !== 0) {
    if (/dubious ownership/i.test(inside.stderr)) {
      throw new SlipwayError(`git refuses to read the repository at ${dir}: it belongs to another user.`, {
        why: 'Since git 2.35.2, git ignores repositories owned by someone else unless they are marked safe (CVE-2022-24765).',
        fix: `If you trust it: git config --global --add safe.directory ${shellQuote(dir)}`,
      });
    }
    if (/not a git repository/i.test(inside.stderr)) return { kind: 'none', reason: 'not-a-repository' };
    throw gitFailure('git rev-parse --is-inside-work-tree', inside);
  }
  // "false": inside .git itself or a bare repository, where there is no work tree to build.
  if (inside.stdout !== 'true') return { kind: 'none', reason: 'not-a-repository' };

  const sha = await shortSha(git);
  if (!sha) return { kind: 'none', reason: 'no-commits' };

  const [status, branch] = await Promise.all([
    // --untracked-files: a status.showUntrackedFiles=no setting must not hide new files from us.
    // ':/' keeps the whole repository in view (a subfolder's edits count too); excludes are relative to dir.
    git(['status', '--porcelain', '--untracked-files=normal', ...(options.ignore?.length ? ['--', ':/', ...options.ignore.map((path) => `:(exclude)${path}`)] : [])]),
    git(['symbolic-ref', '--quiet', '--short', 'HEAD']),
  ]);
  if (status.exitCode !== 0) throw gitFailure('git status', status);

  // "XY path" lines; the first one's leading blank X is gone with the output's trim.
  const changes = status.stdout.split('\n').filter(Boolean).map((line) => line.replace(/^[ MTADRCU?!]{1,2} /, ''));
  const version: ProjectVersion = { kind: 'git', sha, dirty: changes.length > 0, ...(changes.length ? { changes } : {}) };
  if (branch.exitCode === 0 && branch.stdout) version.branch = branch.stdout;
  const remoteUrl = await remote(git, version.branch);
  if (remoteUrl) version.remoteUrl = remoteUrl;
  return version;
}

/**
 * A digest of what the work tree holds now — tracked files as edited, and untracked files git does not
 * ignore — so two different dirty trees on one commit are told apart (both are `<sha>-dirty`). It is the
 * tree id git would commit: `git add -A` into a throwaway copy of the index, then `git write-tree`; the
 * real index is never touched. `ignore` as for projectVersion.
 */
export async function workTreeDigest(dir: string, env: NodeJS.ProcessEnv = process.env, options: { ignore?: string[] } = {}): Promise<string> {
  const gitDir = (await gitIn(dir, env)(['rev-parse', '--absolute-git-dir'])).stdout;
  const scratch = mkdtempSync(join(tmpdir(), 'slipway-index-'));
  const index = join(scratch, 'index');
  try {
    const realIndex = join(gitDir, 'index');
    if (existsSync(realIndex)) {
      copyFileSync(realIndex, index);
      // The copy is newer than the edits, so git would trust every entry whose size and mtime (to the
      // second) still match — and miss a same-size edit made in the second of the last commit. Dated
      // 1970, every entry is "racily clean" and git compares contents (still reusing the real index,
      // so tracked files that .gitignore names count too).
      utimesSync(index, 1, 1);
    }
    const git = gitIn(dir, env, { GIT_INDEX_FILE: index });
    const added = await git(['add', '--all', '--', ':/']);
    if (added.exitCode !== 0) throw gitFailure('git add --all (into a scratch index)', added);
    // Not an exclude pathspec on the add: git refuses one that names a .gitignored file.
    if (options.ignore?.length) {
      const dropped = await git(['rm', '--cached', '--quiet', '--ignore-unmatch', '--', ...options.ignore]);
      if (dropped.exitCode !== 0) throw gitFailure('git rm --cached (from the scratch index)', dropped);
    }
    const tree = await git(['write-tree']);
    if (tree.exitCode !== 0 || !tree.stdout) throw gitFailure('git write-tree', tree);
    return tree.stdout;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

type Git = (args: string[]) => Promise<GitResult>;

interface GitResult {
  exitCode?: number;
  stdout: string;
  stderr: string;
  missing: boolean;
}

function gitIn(dir: string, env: NodeJS.ProcessEnv, extra: Record<string, string> = {}): Git {
  const clean: Record<string, string | undefined> = { ...env };
  for (const name of REPOSITORY_OVERRIDES) delete clean[name];
  Object.assign(clean, extra);
  // C locale: the messages matched above are git's English ones. No optional locks: `git status`
  // would otherwise refresh the index, racing an editor or IDE running git at the same moment.
  Object.assign(clean, { LC_ALL: 'C', GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0' });
  return async (args) => {
    const result = await execa('git', args, { cwd: dir, env: clean, extendEnv: false, reject: false, stdin: 'ignore' });
    return {
      ...(result.exitCode === undefined ? {} : { exitCode: result.exitCode }),
      stdout: typeof result.stdout === 'string' ? result.stdout.trim() : '',
      stderr: typeof result.stderr === 'string' ? result.stderr.trim() : '',
      missing: result.code === 'ENOENT',
    };
  };
}

/** Undefined before the first commit. core.abbrev may ask for fewer than 7 characters; never go below 7. */
async function shortSha(git: Git): Promise<string | undefined> {
  const short = await git(['rev-parse', '--verify', '--quiet', '--short', 'HEAD']);
  if (short.exitCode !== 0 || !short.stdout) return undefined;
  if (short.stdout.length >= 7) return short.stdout;
  return (await git(['rev-parse', '--verify', '--quiet', '--short=7', 'HEAD'])).stdout || undefined;
}

async function remote(git: Git, branch: string | undefined): Promise<string | undefined> {
  const [names, upstream] = await Promise.all([
    git(['remote']),
    branch === undefined ? undefined : git(['config', '--get', `branch.${branch}.remote`]),
  ]);
  const remotes = names.exitCode === 0 ? names.stdout.split('\n').filter(Boolean) : [];
  const tracked = upstream?.exitCode === 0 && remotes.includes(upstream.stdout) ? upstream.stdout : undefined;
  const chosen = tracked ?? (remotes.includes('origin') ? 'origin' : remotes.length === 1 ? remotes[0] : undefined);
  if (chosen === undefined) return undefined;
  // get-url applies url.<base>.insteadOf rewrites, unlike reading remote.<name>.url.
  const url = await git(['remote', 'get-url', chosen]);
  return url.exitCode === 0 && url.stdout ? withoutCredentials(url.stdout) : undefined;
}

/**
 * `https://user:token@host/…` → `https://host/…`. The URL may end up in the journal, logs and image
 * labels, where a token must never go; an ssh user name (`ssh://git@host`) is not a secret and stays.
 */
export function withoutCredentials(url: string): string {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([^@/]*)@/i.exec(url);
  if (!match) return url;
  const scheme = (match[1] ?? '').toLowerCase();
  const user = (match[2] ?? '').split(':')[0] ?? '';
  const keep = /^(ssh|git\+ssh|ssh\+git):\/\/$/.test(scheme) && user ? `${user}@` : '';
  return `${match[1]}${keep}${url.slice(match[0].length)}`;
}

function gitFailure(command: string, result: GitResult): SlipwayError {
  return new SlipwayError(`${command} failed${result.exitCode === undefined ? '' : ` (exit ${result.exitCode})`}.`, {
    why: result.stderr || 'git printed no reason.',
    fix: 'Run the same command in the project folder to see what git says, fix that, then run slipway again.',
  });
}

function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

/** Refused: the image would carry a commit's tag without being that commit's content. */
export class DirtyWorkingTreeError extends UsageError {
  readonly sha: string;
  constructor(sha: string, changes: string[] = []) {
    const shown = changes.length > 5 ? [...changes.slice(0, 5), `and ${changes.length - 5} more`] : changes;
    super(`The project has uncommitted changes${shown.length ? `: ${shown.join(', ')}` : ''}.`, {
      why: `The image would be tagged ${sha}, but it would not be what commit ${sha} holds.`,
      fix: `Commit (or stash) the changes and run this again, or pass --allow-dirty to publish it as ${sha}-dirty.`,
    });
    this.name = 'DirtyWorkingTreeError';
    this.sha = sha;
  }
}

/** There is no commit to name the image after. */
export class UnversionedProjectError extends UsageError {
  readonly reason: Extract<ProjectVersion, { kind: 'none' }>['reason'];
  constructor(reason: UnversionedProjectError['reason']) {
    const details = {
      'not-a-repository': { message: 'This folder is not in a git repository.', fix: 'git init, then git add and git commit the project, and run this again.' },
      'no-commits': { message: 'The git repository has no commits yet.', fix: 'git add and git commit the project, then run this again.' },
      'git-missing': { message: 'git is not installed.', fix: 'Install git (apt-get install git, brew install git or xcode-select --install), then run this again.' },
    }[reason];
    super(details.message, { why: 'Images are tagged with the commit they were built from (its short SHA).', fix: details.fix });
    this.name = 'UnversionedProjectError';
    this.reason = reason;
  }
}

/** `<sha>`, or `<sha>-dirty` when the tree is dirty and that was explicitly allowed. */
export function versionTag(v: ProjectVersion, opts: { allowDirty?: boolean } = {}): string {
  if (v.kind === 'none') throw new UnversionedProjectError(v.reason);
  if (!v.dirty) return v.sha;
  if (!opts.allowDirty) throw new DirtyWorkingTreeError(v.sha, v.changes);
  return `${v.sha}-dirty`;
}

