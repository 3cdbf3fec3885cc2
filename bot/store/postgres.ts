import pg from 'pg';
import type { Db, Sql } from './db.js';
import { TransactionScope, abortedTransactionError } from './tx-scope.js';

/** Options for the PostgreSQL engine. */
export interface PostgresOptions {
  /** Largest number of pooled connections (default 10). */
  max?: number;
  /** Give up connecting after this long (default 10 s), so /readyz answers when the server is unreachable. */
  connectTimeoutMs?: number;
  /** Told about errors of idle pooled connections (e.g. the server restarted); the pool replaces them. */
  onError?: (err: Error) => void;
}

const INT8 = 20;
const DATE = 1082;

/** The same JS types as PGlite's defaults (see db.ts): int8 -> number, date -> 'YYYY-MM-DD'. */
const typeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8) return (value: string) => Number(value);
    if (oid === DATE) return (value: string) => value;
    return pg.types.getTypeParser(oid, format);
  }) as pg.CustomTypesConfig['getTypeParser'],
};

/** Opens a pooled connection to the PostgreSQL database at `url` and checks that it answers. */
export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<Db> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    keepAlive: true,
    // A database that stops answering must fail a statement, not hang a turn forever.
    statement_timeout: 15_000,
    query_timeout: 20_000,
    types: typeParsers,
  });
  pool.on('error', (err) => options.onError?.(err));
  const db = new PostgresDb(pool, redactUrl(url));
  try {
    await db.ping();
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}

/** "postgres://host:port/db" without user, password or query string: safe to log. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return 'postgres://(unparsable url)';
  }
}

type Queryable = pg.Pool | pg.PoolClient;

async function run<T>(client: Queryable, text: string, params?: unknown[]): Promise<T[]> {
  const result = (await client.query(text, params)) as pg.QueryResult | pg.QueryResult[];
  // Several statements in one parameterless text give one result each; keep the last, like PGlite.
  const last = Array.isArray(result) ? result.at(-1) : result;
  return (last?.rows ?? []) as T[];
}

class PostgresDb implements Db {
  readonly engine = 'postgres' as const;
  readonly #pool: pg.Pool;
  readonly #scope = new TransactionScope();
  #closing: Promise<void> | undefined;

  constructor(
    pool: pg.Pool,
    readonly label: string,
  ) {
    this.#pool = pool;
  }

  async query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]> {
    this.#scope.assertOutside('db.query');
    return run<T>(this.#pool, text, params);
  }

  async transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    this.#scope.assertOutside('db.transaction');
    const client = await this.#pool.connect();
    let open = true;
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const tx: Sql = {
        query: async <R>(text: string, params?: unknown[]) => {
          if (!open) throw new Error('Transaction is closed');
          return run<R>(client, text, params);
        },
      };
      let result: T;
      try {
        result = await this.#scope.run(() => fn(tx));
      } finally {
        open = false;
      }
      const commit = await client.query('COMMIT');
      // COMMIT of an aborted transaction answers ROLLBACK instead of failing.
      if (commit.command === 'ROLLBACK') throw abortedTransactionError(undefined);
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch((rollbackErr: Error) => {
        broken = rollbackErr;
      });
      throw err;
    } finally {
      // A connection that could not roll back is destroyed rather than returned to the pool.
      client.release(broken);
    }
  }

  async ping(): Promise<void> {
    await this.query('SELECT 1');
  }

  close(): Promise<void> {
    this.#closing ??= this.#pool.end();
    return this.#closing;
  }
}
