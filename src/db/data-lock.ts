import { closeSync, existsSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** What the lock file says about the process that holds a data folder. */
export interface LockHolder {
  pid: number;
  /** Kernel start time of the process, so a recycled PID is not mistaken for the holder. */
  startTime: string | null;
  /** Present while `fairdesk serve` accepts CLI requests on its admin socket. */
  adminSocket?: string;
}

export class DataFolderLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    super(
      `the data folder ${dataDir} is in use by another Fairdesk process (pid ${holder.pid}); ` +
        'stop it first, or use a different --data folder',
    );
  }
}

export function lockPath(dataDir: string): string {
  return join(dataDir, 'fairdesk.lock');
}

/**
 * Takes the data folder's PID lock, or throws DataFolderLockedError if a live process holds it.
 * PGlite corrupts a folder that two processes open, and its own lock holds a fake PID, so this
 * lock is Fairdesk's own. A lock left by a killed process is stale and taken over.
 */
export function acquireDataLock(dataDir: string, extra: Partial<LockHolder> = {}): () => void {
  mkdirSync(dataDir, { recursive: true });
  const path = lockPath(dataDir);
  const me: LockHolder = { pid: process.pid, startTime: processStartTime(process.pid), ...extra };
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      return () => releaseDataLock(dataDir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readDataLock(dataDir);
      if (holder && holder.pid !== process.pid && isAlive(holder)) throw new DataFolderLockedError(dataDir, holder);
      // Stale (or half-written by a process killed mid-write): remove it and try again atomically.
      try {
        unlinkSync(path);
      } catch (unlinkError) {
        if ((unlinkError as NodeJS.ErrnoException).code !== 'ENOENT') throw unlinkError;
      }
    }
  }
  throw new Error(`could not take the lock ${path}`);
}

/** Rewrites the lock we hold, e.g. to announce the admin socket once it listens. */
export function updateDataLock(dataDir: string, extra: Partial<LockHolder>): void {
  const current = readDataLock(dataDir);
  if (!current || current.pid !== process.pid) return;
  const path = lockPath(dataDir);
  const fd = openSync(path, 'w', 0o600);
  writeSync(fd, JSON.stringify({ ...current, ...extra }));
  closeSync(fd);
}

/** The live holder of the data folder, or null when it is free (no lock or a stale one). */
export function liveLockHolder(dataDir: string): LockHolder | null {
  const holder = readDataLock(dataDir);
  return holder && isAlive(holder) ? holder : null;
}

function readDataLock(dataDir: string): LockHolder | null {
  const path = lockPath(dataDir);
  if (!existsSync(path)) return null;
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockHolder>;
    if (typeof parsed.pid !== 'number') return null;
    return { pid: parsed.pid, startTime: parsed.startTime ?? null, ...(parsed.adminSocket ? { adminSocket: parsed.adminSocket } : {}) };
  } catch {
    return null;
  }
}

function releaseDataLock(dataDir: string): void {
  const holder = readDataLock(dataDir);
  if (holder?.pid === process.pid) {
    try {
      unlinkSync(lockPath(dataDir));
    } catch {
      // already gone
    }
  }
}

function isAlive(holder: LockHolder): boolean {
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const startTime = processStartTime(holder.pid);
  // Where /proc exists, a different start time means the PID was recycled by another process.
  return !(holder.startTime && startTime && startTime !== holder.startTime);
}

function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22 (starttime) follows the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}
