import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { expect } from 'chai';
import { acquireDataDirLock, acquireDataDirLockWaiting, DataDirInUseError, lockIsStale, type LockOwner } from '../../bot/store/data-dir-lock.js';
import { expectRejection } from './expect-rejection.js';

describe('lockIsStale', () => {
  const owner: LockOwner = { pid: 4242, host: 'ward-pc', since: '2026-01-01T00:00:00.000Z' };
  const probe = { pid: 100, host: 'ward-pc', ageMs: 0, staleAfterMs: 30_000, isAlive: () => true };

  it('keeps a lock whose owner runs on this host', () => {
    expect(lockIsStale(owner, probe)).to.equal(false);
  });
  it('takes over a lock whose owner died on this host, however fresh', () => {
    expect(lockIsStale(owner, { ...probe, isAlive: () => false })).to.equal(true);
  });
  it('takes over a lock left by an earlier life of our own pid (PID 1 in a restarted container)', () => {
    expect(lockIsStale(owner, { ...probe, pid: 4242 })).to.equal(true);
  });
  it('judges a lock from another host by its heartbeat age', () => {
    expect(lockIsStale(owner, { ...probe, host: 'other', ageMs: 29_000 })).to.equal(false);
    expect(lockIsStale(owner, { ...probe, host: 'other', ageMs: 31_000 })).to.equal(true);
  });
  it('takes over an unreadable lock', () => {
    expect(lockIsStale(undefined, probe)).to.equal(true);
  });
});

describe('acquireDataDirLock', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'elbow-lock-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('refuses a second holder in the same process until released', () => {
    const lock = acquireDataDirLock(dir);
    expect(() => acquireDataDirLock(dir)).to.throw(DataDirInUseError, /already open in this process/);
    lock.release();
    lock.release();
    acquireDataDirLock(dir).release();
  });

  it('refuses a lock held by another live process on this host, naming it', () => {
    const other: LockOwner = { pid: process.ppid, host: os.hostname(), since: '2026-01-01T00:00:00.000Z' };
    fs.writeFileSync(path.join(dir, 'pglite.lock'), JSON.stringify(other));
    expect(() => acquireDataDirLock(dir)).to.throw(DataDirInUseError, new RegExp(`in use by process ${process.ppid} on`));
  });

  it('takes over a lock left by a dead process and says so', () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    const left: LockOwner = { pid: dead, host: os.hostname(), since: '2026-01-01T00:00:00.000Z' };
    fs.writeFileSync(path.join(dir, 'pglite.lock'), JSON.stringify(left));
    const lock = acquireDataDirLock(dir);
    expect(lock.tookOverFrom).to.deep.equal(left);
    lock.release();
    expect(fs.existsSync(path.join(dir, 'pglite.lock'))).to.equal(false);
  });
});

describe('acquireDataDirLockWaiting (a restart while the previous process still drains)', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'elbow-lock-wait-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('waits for a live holder on this host and takes the lock once it has exited', async () => {
    const previous = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    const exited = new Promise((resolve) => previous.once('exit', resolve));
    const owner: LockOwner = { pid: previous.pid!, host: os.hostname(), since: '2026-01-01T00:00:00.000Z' };
    fs.writeFileSync(path.join(dir, 'pglite.lock'), JSON.stringify(owner));
    const told: string[] = [];
    const lock = await acquireDataDirLockWaiting(dir, {
      waitMs: 20_000,
      pollMs: 20,
      // The previous process ends only after the new one has started waiting for it.
      onWait: (message) => {
        told.push(message);
        previous.kill('SIGKILL');
      },
    });
    await exited;
    expect(told).to.have.length(1);
    expect(told[0]).to.match(new RegExp(`in use by process ${owner.pid} on`));
    expect(lock.tookOverFrom).to.deep.equal(owner);
    lock.release();
  });

  it('gives up after waitMs with the holder named, while the holder stays alive', async () => {
    const alive: LockOwner = { pid: process.ppid, host: os.hostname(), since: '2026-01-01T00:00:00.000Z' };
    fs.writeFileSync(path.join(dir, 'pglite.lock'), JSON.stringify(alive));
    const started = Date.now();
    await expectRejection(acquireDataDirLockWaiting(dir, { waitMs: 300, pollMs: 50 }), new RegExp(`in use by process ${process.ppid} on`));
    expect(Date.now() - started).to.be.at.least(300);
  });

  it('does not wait when this very process holds the lock (that would never end)', async () => {
    const lock = acquireDataDirLock(dir);
    await expectRejection(acquireDataDirLockWaiting(dir, { waitMs: 600_000 }), /already open in this process/);
    lock.release();
  });
});
