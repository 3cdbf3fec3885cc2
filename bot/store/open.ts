import type { Db } from './db.js';
import { migrate } from './migrate.js';

/** Where to find the data, from config (DATABASE_URL, DATA_DIR). */
export interface OpenDbOptions {
  /** PostgreSQL URL; when set, the database is shared by every instance that uses it. */
  databaseUrl?: string;
  /** PGlite's home when no databaseUrl is given (created on first use). */
  dataDir: string;
  /** Pool size for PostgreSQL (default 10). */
  poolMax?: number;
  /** PGlite: how long to wait for another live process to release DATA_DIR (a restart while it drains); default 0. */
  lockWaitMs?: number;
  /** For start-up warnings (pino's logger fits). */
  logger?: { warn: (obj: object, msg: string) => void };
}

/** Opens PostgreSQL when a URL is given, else PGlite under dataDir; applies pending migrations. */
export async function openDb(options: OpenDbOptions): Promise<Db> {
  const { logger } = options;
  // Each engine's driver is loaded only when used (pg or PGlite's WebAssembly glue: start-up time).
  const db = options.databaseUrl
    ? await (await import('./postgres.js')).openPostgres(options.databaseUrl, {
        max: options.poolMax,
        onError: (err) => logger?.warn({ err: err.message }, 'idle PostgreSQL connection failed; the pool replaces it'),
      })
    : await (await import('./pglite.js')).openPglite(options.dataDir, {
        onUncleanShutdown: (previous) =>
          logger?.warn({ previous }, 'DATA_DIR was not closed cleanly; PGlite recovers from its log'),
        lockWaitMs: options.lockWaitMs,
        onLockWait: (message) => logger?.warn({ waitMs: options.lockWaitMs, holder: message }, 'waiting for the previous process to release DATA_DIR'),
      });
  try {
    await migrate(db);
    return db;
  } catch (err) {
    await db.close();
    throw err;
  }
}

/** One log-safe line naming engine and place, e.g. "pglite:/srv/elbow/data/pglite". */
export function describeDb(db: Db): string {
  return db.label ?? db.engine;
}
