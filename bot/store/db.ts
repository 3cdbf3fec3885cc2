/**
 * The one storage interface of Elbow. Two engines implement it with the same SQL and migrations:
 * PGlite (embedded, files under DATA_DIR) and PostgreSQL through a `pg` pool (DATABASE_URL).
 */

/** A SQL executor: the database itself or an open transaction. Parameters use $1, $2 … */
export interface Sql {
  /**
   * Runs one statement and returns its rows. Without parameters the text may hold several statements
   * (simple protocol, as migrations need); the rows of the last one are returned.
   * Both engines return the same JS types: int8/bigint -> number, numeric -> string, date -> 'YYYY-MM-DD',
   * timestamptz -> Date, json/jsonb -> parsed value.
   */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
}

/** An open database. */
export interface Db extends Sql {
  /** Which engine serves this database. */
  readonly engine: 'pglite' | 'postgres';
  /** Where the data lives, safe to log: "pglite:/abs/dir" or "postgres://host:port/db" (no credentials). */
  readonly label?: string;
  /**
   * Runs `fn` in one transaction: committed when it resolves, rolled back when it throws.
   * Inside `fn` use only `tx`: calling this Db's query/transaction there throws (on PGlite it would deadlock).
   */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  /** Cheap liveness check (SELECT 1); throws when the database is unreachable. */
  ping(): Promise<void>;
  /** Closes the pool / embedded database; idempotent. */
  close(): Promise<void>;
}
