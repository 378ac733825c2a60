import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, statSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { writeFileAtomic } from '../engine/atomic-write.js';
import { SlipwayError } from '../engine/errors.js';

/**
 * Safe writes of private local files (AWS keys, SSH keys): the folder 0700, the file 0600, written
 * atomically, the previous version kept as `<file>.slipway-backup`, and an OS error turned into one a
 * person can act on. Error texts carry paths only, never file contents.
 */

export interface ExistingFile {
  bytes: Buffer;
  mode: number;
}

export function backupPathOf(path: string): string {
  return `${path}.slipway-backup`;
}

/**
 * The file a write should replace. A symlinked `~/.aws/credentials` (dotfiles, a secrets mount) is
 * followed: renaming over the link would silently cut it.
 */
export function writeTarget(path: string): string {
  try {
    if (lstatSync(path).isSymbolicLink()) return realpathSync(path);
  } catch (error) {
    if (errorCode(error) === 'ENOENT' && isDanglingLink(path)) {
      throw new SlipwayError(`${path} is a link to a file that does not exist.`, {
        why: 'slipway follows links rather than replacing them, and this one leads nowhere.',
        fix: `Check it with: ls -l ${path}. Remove the link (rm ${path}) or create its target, then run this again.`,
      });
    }
    if (errorCode(error) !== 'ENOENT') throw explainFileError(error, path, 'read');
  }
  return path;
}

/** The file's bytes and mode, or undefined when it does not exist. */
export function readExisting(path: string): ExistingFile | undefined {
  try {
    const bytes = readFileSync(path);
    return { bytes, mode: statSync(path).mode & 0o777 };
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw explainFileError(error, path, 'read');
  }
}

/** Creates `dir` as 0700 when missing; an existing folder keeps its mode (it may be shared on purpose). */
export function ensurePrivateDir(dir: string): void {
  if (existsSync(dir)) return;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700); // mkdir's mode passes through the umask
  } catch (error) {
    throw explainFileError(error, dir, 'write');
  }
}

/** Writes `content` to `path` atomically as 0600. On failure the old file is untouched and no temp file is left. */
export function writePrivateFile(path: string, content: string | Uint8Array): void {
  ensurePrivateDir(dirname(path));
  try {
    writeFileAtomic(path, content, 0o600);
    chmodSync(path, 0o600); // the temp file's mode passed through the umask
  } catch (error) {
    removeOwnTempFiles(path);
    throw explainFileError(error, path, 'write');
  }
}

/** Keeps `previous` beside `path` so a person can undo slipway's edit by hand. */
export function writeBackup(path: string, previous: Uint8Array): string {
  const backup = backupPathOf(path);
  writePrivateFile(backup, previous);
  return backup;
}

/** Tightens an existing file to 0600; true when it had to change. */
export function makePrivate(path: string, mode: number): boolean {
  if (mode === 0o600) return false;
  try {
    chmodSync(path, 0o600);
  } catch (error) {
    throw explainFileError(error, path, 'write');
  }
  return true;
}

/** Turns an fs error into a SlipwayError naming the path and the command that fixes it. */
export function explainFileError(error: unknown, path: string, action: 'read' | 'write'): SlipwayError {
  if (error instanceof SlipwayError) return error;
  const code = errorCode(error);
  const dir = dirname(path);
  const message = `Cannot ${action} ${path}.`;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return new SlipwayError(message, {
        why: `Permission denied (${code}): ${dir} or ${path} is not ${action === 'read' ? 'readable' : 'writable'} by you — often left over from a command run with sudo.`,
        fix: `Check with: ls -ld ${dir} ${path}. If another user owns them: sudo chown -R "$(id -un)" ${dir}. Then: chmod 700 ${dir} && chmod 600 ${path}. Run this again afterwards.`,
        cause: error,
      });
    case 'EROFS':
      return new SlipwayError(message, {
        why: `${dir} is on a read-only filesystem (EROFS).`,
        fix: `Make ${dir} writable (remount it read-write, or point the AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE variables at a writable place), check it with ls -ld ${dir}, then run this again.`,
        cause: error,
      });
    case 'EISDIR':
      return new SlipwayError(message, {
        why: `${path} is a folder, where a file was expected.`,
        fix: `Look at it (ls -la ${path}) and move it away (mv ${path} ${path}.old), then run this again.`,
        cause: error,
      });
    case 'ENOTDIR':
      return new SlipwayError(message, {
        why: `Part of the path ${dir} is a file, where a folder was expected.`,
        fix: `Check the path with: ls -ld ${dir}. Move the file that is in the way, then run this again.`,
        cause: error,
      });
    case 'ENOSPC':
    case 'EDQUOT':
      return new SlipwayError(message, { why: 'The disk (or your quota) is full.', fix: `Free some space (df -h ${dir}), then run this again.`, cause: error });
    default:
      return new SlipwayError(message, {
        why: error instanceof Error ? error.message : String(error),
        fix: `Check the path with: ls -ld ${dir} ${path}; it must be a folder and a file you own (chmod 700 ${dir}, chmod 600 ${path}).`,
        cause: error,
      });
  }
}

export function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

function isDanglingLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** writeFileAtomic leaves its temp file behind when the final rename fails; it holds the new content, maybe a secret. */
function removeOwnTempFiles(path: string): void {
  const prefix = `.${basename(path)}.${process.pid}.`;
  try {
    for (const entry of readdirSync(dirname(path))) {
      if (entry.startsWith(prefix) && entry.endsWith('.tmp')) unlinkSync(join(dirname(path), entry));
    }
  } catch {
    // An unreadable folder cannot have received a temp file either.
  }
}
