import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireDataLock, DataFolderLockedError, liveLockHolder, lockPath } from '../../src/db/data-lock.ts';

const dirs: string[] = [];
const fresh = () => {
  const dir = mkdtempSync(join(tmpdir(), 'fairdesk-lock-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The PID of a process that has exited (so its lock is stale). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

describe('the data folder lock', () => {
  it('is taken and released', () => {
    const dir = fresh();
    const release = acquireDataLock(dir);
    expect(JSON.parse(readFileSync(lockPath(dir), 'utf8')).pid).toBe(process.pid);
    expect(liveLockHolder(dir)?.pid).toBe(process.pid);
    release();
    expect(existsSync(lockPath(dir))).toBe(false);
  });

  it('refuses a folder held by a live process, naming it', () => {
    const dir = fresh();
    // PID 1 is always alive; its start time is unknown to the lock, so only liveness counts.
    writeFileSync(lockPath(dir), JSON.stringify({ pid: 1, startTime: null }));
    expect(() => acquireDataLock(dir)).toThrow(DataFolderLockedError);
    expect(() => acquireDataLock(dir)).toThrow(/in use by another Fairdesk process \(pid 1\)/);
  });

  it('takes over a stale lock left by a killed process', () => {
    const dir = fresh();
    writeFileSync(lockPath(dir), JSON.stringify({ pid: deadPid(), startTime: '1' }));
    expect(liveLockHolder(dir)).toBeNull();
    const release = acquireDataLock(dir);
    expect(JSON.parse(readFileSync(lockPath(dir), 'utf8')).pid).toBe(process.pid);
    release();
  });

  it('takes over a lock whose PID was recycled by another process', () => {
    const dir = fresh();
    writeFileSync(lockPath(dir), JSON.stringify({ pid: 1, startTime: 'not-the-real-start-time' }));
    if (!existsSync('/proc/1/stat')) return; // the start-time check needs /proc
    const release = acquireDataLock(dir);
    release();
  });

  it('takes over a half-written lock file', () => {
    const dir = fresh();
    writeFileSync(lockPath(dir), '{"pid": 12');
    const release = acquireDataLock(dir);
    release();
  });
});
