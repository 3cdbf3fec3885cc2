import { randomUUID } from 'node:crypto';
import type { Storage, StoreItems } from 'botbuilder';
import type { Db, Sql } from './db.js';

/**
 * botbuilder `Storage` (for UserState and ConversationState) over the Elbow database, with the eTag
 * rules of botbuilder's MemoryStorage: a write carrying an eTag other than "*" succeeds only if it is
 * still the stored one (or the key is new); a write without eTag or with "*" overwrites. Each key is
 * written by one statement, so instances racing on a key with the same eTag get exactly one success.
 */
export class DbStorage implements Storage {
  /** Read-through cache of stored items (JSON + eTag), most recently used last; see the constructor. */
  private readonly cache = new Map<string, { json: string; etag: string }>();

  /**
   * `cacheSize` > 0 keeps that many items in memory so a turn's reads skip the database. Only safe when this
   * process is the database's sole writer (PGlite, guarded by the data-dir lock); never with a shared PostgreSQL.
   */
  constructor(
    private readonly db: Db,
    private readonly options: { cacheSize?: number } = {},
  ) {}

  /** Reads the stored items among `keys`; missing keys are absent from the result. */
  async read(keys: string[]): Promise<StoreItems> {
    if (!keys) throw new ReferenceError('Keys are required when reading.');
    if (keys.length === 0) return {};
    const items: StoreItems = {};
    const missing: string[] = [];
    for (const key of keys) {
      const hit = this.cache.get(key);
      if (hit) items[key] = { ...JSON.parse(hit.json), eTag: hit.etag };
      else missing.push(key);
    }
    if (missing.length === 0) return items;
    const rows = await this.db.query<{ key: string; value: Record<string, unknown>; etag: string }>(
      'SELECT key, value, etag FROM bot_state WHERE key = ANY($1::text[])',
      [missing],
    );
    for (const row of rows) {
      items[row.key] = { ...row.value, eTag: row.etag };
      this.remember(row.key, JSON.stringify(row.value), row.etag);
    }
    return items;
  }

  /** Writes all `changes` in one transaction; throws (writing none) on a stale eTag. */
  async write(changes: StoreItems): Promise<void> {
    if (!changes) throw new ReferenceError('Changes are required when writing.');
    const entries = Object.entries(changes);
    if (entries.length === 0) return;
    try {
      const written =
        entries.length === 1
          ? [await writeOne(this.db, entries[0]![0], entries[0]![1])]
          : await this.db.transaction(async (tx) => {
              const done: Written[] = [];
              for (const [key, item] of entries) done.push(await writeOne(tx, key, item));
              return done;
            });
      for (const w of written) this.remember(w.key, w.json, w.etag);
    } catch (err) {
      for (const [key] of entries) this.cache.delete(key);
      throw err;
    }
  }

  /** Removes `keys`; absent keys are ignored. */
  async delete(keys: string[]): Promise<void> {
    if (!keys || keys.length === 0) return;
    for (const key of keys) this.cache.delete(key);
    await this.db.query('DELETE FROM bot_state WHERE key = ANY($1::text[])', [keys]);
  }

  private remember(key: string, json: string, etag: string): void {
    const size = this.options.cacheSize ?? 0;
    if (size <= 0) return;
    this.cache.delete(key);
    this.cache.set(key, { json, etag });
    if (this.cache.size > size) this.cache.delete(this.cache.keys().next().value as string);
  }
}

interface Written {
  key: string;
  json: string;
  etag: string;
}

async function writeOne(sql: Sql, key: string, item: Record<string, unknown> | undefined): Promise<Written> {
  const { eTag, ...value } = item ?? {};
  const json = JSON.stringify(value);
  const etag = randomUUID();
  const unconditional = eTag === undefined || eTag === null || eTag === '' || eTag === '*';
  // Inserts a new key, or updates an existing one (only if its etag still matches, for conditional writes).
  const rows = await sql.query(
    `INSERT INTO bot_state (key, value, etag, updated_at) VALUES ($1, $2::jsonb, $3, now())
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, etag = EXCLUDED.etag, updated_at = EXCLUDED.updated_at
     ${unconditional ? '' : 'WHERE bot_state.etag = $4'}
     RETURNING key`,
    unconditional ? [key, json, etag] : [key, json, etag, String(eTag)],
  );
  if (rows.length === 0) throw new Error(`Storage: error writing "${key}" due to eTag conflict.`);
  return { key, json, etag };
}
