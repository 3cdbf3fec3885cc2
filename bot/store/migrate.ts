import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db, Sql } from './db.js';

/** One versioned schema change: a `NNN_name.sql` file. */
export interface Migration {
  /** The file name without `.sql`, e.g. "001_bot_state"; recorded in schema_migrations. */
  version: string;
  sql: string;
}

/** The migrations that ship with Elbow. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

const FILE_NAME = /^(\d{3,})_[a-z0-9_]+\.sql$/;

/**
 * Reads every `*.sql` file of `dir` in file-name order. Fails loudly on a badly named file or two
 * files with one number (two branches that each added "002_…").
 */
export function loadMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  const byNumber = new Map<string, string>();
  return files.map((file) => {
    const match = FILE_NAME.exec(file);
    if (!match) throw new Error(`migration ${path.join(dir, file)}: name must look like 001_what_it_does.sql`);
    const number = match[1]!;
    const other = byNumber.get(number);
    if (other) throw new Error(`migrations ${other} and ${file} share the number ${number}; renumber one`);
    byNumber.set(number, file);
    return { version: file.slice(0, -'.sql'.length), sql: fs.readFileSync(path.join(dir, file), 'utf8') };
  });
}

/** Any constant will do; it only has to be the same in every Elbow instance. */
const MIGRATION_LOCK = 7_356_201_406;

/**
 * Applies the migrations not yet recorded in schema_migrations, in order, each in its own transaction,
 * and returns the versions it applied. Every transaction first takes one advisory lock, so instances
 * starting together against one PostgreSQL apply each migration exactly once.
 */
export async function migrate(db: Db, migrations: Migration[] = loadMigrations()): Promise<string[]> {
  const recorded = await db.transaction(async (tx) => {
    await lock(tx);
    await tx.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    return tx.query<{ version: string }>('SELECT version FROM schema_migrations');
  });
  const done = new Set(recorded.map((r) => r.version));
  const applied: string[] = [];
  for (const migration of migrations.filter((m) => !done.has(m.version))) {
    const didApply = await db.transaction(async (tx) => {
      await lock(tx);
      // Read again under the lock: another instance may have applied it meanwhile.
      const found = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [migration.version]);
      if (found.length > 0) return false;
      await tx.query(migration.sql).catch((err: Error) => {
        throw new Error(`migration ${migration.version} failed: ${err.message}`, { cause: err });
      });
      await tx.query('INSERT INTO schema_migrations (version) VALUES ($1)', [migration.version]);
      return true;
    });
    if (didApply) applied.push(migration.version);
  }
  return applied;
}

/** Held until the transaction ends. */
async function lock(tx: Sql): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
}
