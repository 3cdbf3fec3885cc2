import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

/**
 * A lock file that keeps two processes from opening the same PGlite DATA_DIR: PGlite itself does not
 * (two processes writing one data directory corrupt it). A lock left by a crashed process is taken over.
 */

/** Who holds a DATA_DIR, as written in its lock file. */
export interface LockOwner {
  pid: number;
  host: string;
  since: string;
}

/** What the taker knows when it finds a lock file. */
export interface LockProbe {
  pid: number;
  host: string;
  /** Milliseconds since the lock file was last touched by its owner's heartbeat. */
  ageMs: number;
  staleAfterMs: number;
  isAlive: (pid: number) => boolean;
}

/**
 * Decides whether a found lock may be taken over: unreadable; left by a dead process (or by an earlier
 * life of this very pid, e.g. PID 1 in a restarted container) on this host; or, from another host
 * (shared volume), not touched for `staleAfterMs`.
 */
export function lockIsStale(owner: LockOwner | undefined, probe: LockProbe): boolean {
  if (!owner) return true;
  if (owner.host === probe.host) return owner.pid === probe.pid || !probe.isAlive(owner.pid);
  return probe.ageMs > probe.staleAfterMs;
}

/** Thrown when another live process holds the DATA_DIR. */
export class DataDirInUseError extends Error {}

/** A held lock. */
export interface DataDirLock {
  /** The owner of a stale lock that was taken over (the previous process did not shut down cleanly). */
  readonly tookOverFrom?: LockOwner;
  /** Removes the lock file; idempotent. */
  release(): void;
}

const LOCK_FILE = 'pglite.lock';
const STALE_AFTER_MS = 30_000;
const held = new Set<string>();

/** Takes the lock on `dir` (created if missing), or throws DataDirInUseError. */
export function acquireDataDirLock(dataDir: string): DataDirLock {
  const dir = path.resolve(dataDir);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, LOCK_FILE);
  if (held.has(file)) throw new DataDirInUseError(`DATA_DIR ${dir} is already open in this process`);
  const me: LockOwner = { pid: process.pid, host: os.hostname(), since: new Date().toISOString() };
  let tookOverFrom: LockOwner | undefined;
  for (let attempt = 0; ; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(me), { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw inUse(dir, file, err);
      const owner = readOwner(file);
      const ageMs = Date.now() - mtimeMs(file);
      if (!lockIsStale(owner, { ...me, ageMs, staleAfterMs: STALE_AFTER_MS, isAlive })) throw inUse(dir, file, err);
      tookOverFrom = owner;
      fs.rmSync(file, { force: true });
    }
  }
  held.add(file);
  const heartbeat = setInterval(() => touch(file), STALE_AFTER_MS / 3);
  heartbeat.unref();
  let released = false;
  return {
    tookOverFrom,
    release() {
      if (released) return;
      released = true;
      clearInterval(heartbeat);
      held.delete(file);
      const owner = readOwner(file);
      if (owner?.pid === me.pid && owner.since === me.since) fs.rmSync(file, { force: true });
    },
  };
}

/**
 * Like acquireDataDirLock, but while another live process holds the lock it tries again every `pollMs` for up to
 * `waitMs`: a restart (stop, then start at once) finds the previous process still draining and closing its database
 * for a second or two, and should wait for it rather than fail. `onWait` is told once, with the holder's message.
 */
export async function acquireDataDirLockWaiting(
  dataDir: string,
  options: { waitMs: number; pollMs?: number; onWait?: (message: string) => void },
): Promise<DataDirLock> {
  const deadline = Date.now() + options.waitMs;
  for (let told = false; ; told = true) {
    try {
      return acquireDataDirLock(dataDir);
    } catch (err) {
      const ownProcess = err instanceof DataDirInUseError && /already open in this process/.test(err.message);
      if (!(err instanceof DataDirInUseError) || ownProcess || Date.now() >= deadline) throw err;
      if (!told) options.onWait?.(err.message);
      await delay(Math.min(options.pollMs ?? 100, Math.max(1, deadline - Date.now())));
    }
  }
}

function inUse(dir: string, file: string, cause: unknown): DataDirInUseError {
  const owner = readOwner(file);
  const who = owner ? `process ${owner.pid} on ${owner.host} since ${owner.since}` : 'another process';
  return new DataDirInUseError(
    `DATA_DIR ${dir} is in use by ${who}. Stop it first; several instances must share a PostgreSQL (DATABASE_URL) instead.`,
    { cause },
  );
}

function readOwner(file: string): LockOwner | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LockOwner>;
    if (typeof parsed.pid === 'number' && typeof parsed.host === 'string' && typeof parsed.since === 'string') {
      return { pid: parsed.pid, host: parsed.host, since: parsed.since };
    }
  } catch {
    // unreadable or vanished: treated as no owner
  }
  return undefined;
}

function mtimeMs(file: string): number {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

function touch(file: string): void {
  try {
    const now = new Date();
    fs.utimesSync(file, now, now);
  } catch {
    // the next open will judge the lock by its owner's pid or age
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
