import fs from 'node:fs';
import path from 'node:path';
import { PGlite, types, type Transaction } from '@electric-sql/pglite';
import type { Db, Sql } from './db.js';
import { acquireDataDirLockWaiting, type LockOwner } from './data-dir-lock.js';
import { TransactionScope, abortedTransactionError } from './tx-scope.js';

/** Options for the embedded engine. */
export interface PgliteOptions {
  /** Told when the previous process left DATA_DIR without a clean shutdown (PGlite recovers from its WAL). */
  onUncleanShutdown?: (previousOwner: LockOwner) => void;
  /** How long to wait for another live process to release DATA_DIR (a restart while it drains); default 0. */
  lockWaitMs?: number;
  /** Told once when the open waits for another process to release DATA_DIR. */
  onLockWait?: (message: string) => void;
}

/** The PostgreSQL data directory inside DATA_DIR. */
const PGDATA = 'pglite';

/**
 * Opens (creating on first use) the embedded PGlite database under `dataDir`.
 *
 * Durability: PGlite runs PostgreSQL with fsync off on an in-process file system, so a commit has
 * written its WAL to the operating system before it resolves. It survives a crash or kill of the
 * process (tested) but not a power loss or OS crash; use PostgreSQL (DATABASE_URL) where that matters.
 */
export async function openPglite(dataDir: string, options: PgliteOptions = {}): Promise<Db> {
  const dir = path.resolve(dataDir);
  const lock = await acquireDataDirLockWaiting(dir, { waitMs: options.lockWaitMs ?? 0, onWait: options.onLockWait });
  try {
    if (lock.tookOverFrom) options.onUncleanShutdown?.(lock.tookOverFrom);
    const pgdata = path.join(dir, PGDATA);
    await initializeOnce(dir, pgdata);
    const pg = await PGlite.create(pgdata, pgliteOptions);
    return new PgliteDb(pg, `pglite:${pgdata}`, () => lock.release());
  } catch (err) {
    lock.release();
    throw err;
  }
}

/**
 * Same JS types as the `pg` driver set up in postgres.ts: dates stay 'YYYY-MM-DD' strings.
 * shared_buffers: PostgreSQL's default 128 MB is zeroed at every start (in WebAssembly memory, counted in RSS)
 * although Elbow's working set is a few MB (bot state is also cached in DbStorage): 16 MB measured
 * −0.5 to −0.9 s CPU per start and less RSS.
 */
const pgliteOptions = {
  relaxedDurability: false,
  parsers: { [types.DATE]: (value: string) => value },
  startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'],
};

/**
 * Runs initdb in a scratch directory and renames it into place, so a process killed during the
 * first start leaves no half-made database behind.
 */
async function initializeOnce(dir: string, pgdata: string): Promise<void> {
  if (fs.existsSync(path.join(pgdata, 'PG_VERSION'))) return;
  if (fs.existsSync(pgdata) && fs.readdirSync(pgdata).length > 0) {
    throw new Error(`${pgdata} exists but holds no PostgreSQL database; move it away`);
  }
  for (const entry of fs.readdirSync(dir)) {
    if (entry.startsWith(`${PGDATA}.init-`)) fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
  }
  const scratch = path.join(dir, `${PGDATA}.init-${process.pid}`);
  const pg = await PGlite.create(scratch, pgliteOptions);
  await pg.close();
  fs.rmSync(pgdata, { recursive: true, force: true });
  fs.renameSync(scratch, pgdata);
}

type Executor = PGlite | Transaction;

/** Parameterless text goes through the simple protocol (several statements allowed), as with `pg`. */
async function run<T>(executor: Executor, text: string, params?: unknown[]): Promise<T[]> {
  if (!params || params.length === 0) {
    const results = await executor.exec(text);
    return (results.at(-1)?.rows ?? []) as T[];
  }
  return (await executor.query<T>(text, params)).rows;
}

async function isAborted(tx: Transaction): Promise<boolean> {
  return tx.query('SELECT 1').then(
    () => false,
    () => true,
  );
}

class PgliteDb implements Db {
  readonly engine = 'pglite' as const;
  readonly #pg: PGlite;
  readonly #scope = new TransactionScope();
  readonly #release: () => void;
  #closing: Promise<void> | undefined;

  constructor(
    pg: PGlite,
    readonly label: string,
    release: () => void,
  ) {
    this.#pg = pg;
    this.#release = release;
  }

  async query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]> {
    this.#scope.assertOutside('db.query');
    return run<T>(this.#pg, text, params);
  }

  async transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    this.#scope.assertOutside('db.transaction');
    // PGlite's transaction() holds its connection mutex: other queries and transactions wait their turn.
    return this.#pg.transaction(async (tx) => {
      let failure: unknown;
      const sql: Sql = {
        query: async <R>(text: string, params?: unknown[]) => {
          try {
            return await run<R>(tx, text, params);
          } catch (err) {
            failure = err;
            throw err;
          }
        },
      };
      const result = await this.#scope.run(() => fn(sql));
      // A failed statement aborts the transaction (unless rolled back to a savepoint), and COMMIT would
      // then silently roll back: report that instead of success.
      if (failure !== undefined && (await isAborted(tx))) throw abortedTransactionError(failure);
      return result;
    });
  }

  async ping(): Promise<void> {
    await this.query('SELECT 1');
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      try {
        if (!this.#pg.closed) await this.#pg.close();
      } finally {
        this.#release();
      }
    })();
    return this.#closing;
  }
}
