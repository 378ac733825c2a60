import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { LockedError } from './errors.js';

/**
 * One lock file per journal, holding the owner's pid. Created with O_EXCL so two processes can never
 * both win; a lock whose pid is no longer alive (a crash, a SIGKILL) is taken over.
 */
export class JournalLock {
  private held = false;
  private constructor(readonly path: string, private readonly journalPath: string) {}

  static acquire(journalPath: string): JournalLock {
    mkdirSync(dirname(journalPath), { recursive: true, mode: 0o700 });
    const lock = new JournalLock(`${journalPath}.lock`, journalPath);
    lock.take();
    return lock;
  }

  private take(): void {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fd = openSync(this.path, 'wx', 0o600);
        writeSync(fd, String(process.pid));
        closeSync(fd);
        this.held = true;
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const owner = readOwner(this.path);
      if (owner !== undefined && owner !== process.pid && isAlive(owner)) throw new LockedError(owner, this.journalPath);
      // Stale (dead owner, or a half-written lock file): remove it and try again.
      try {
        unlinkSync(this.path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    const owner = readOwner(this.path);
    throw new LockedError(owner ?? -1, this.journalPath);
  }

  release(): void {
    if (!this.held) return;
    this.held = false;
    try {
      if (readOwner(this.path) === process.pid) unlinkSync(this.path);
    } catch {
      // Already gone: nothing to release.
    }
  }
}

function readOwner(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else — still alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
