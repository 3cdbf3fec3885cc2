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
  constructor(private readonly db: Db) {}

  /** Reads the stored items among `keys`; missing keys are absent from the result. */
  async read(keys: string[]): Promise<StoreItems> {
    if (!keys) throw new ReferenceError('Keys are required when reading.');
    if (keys.length === 0) return {};
    const rows = await this.db.query<{ key: string; value: Record<string, unknown>; etag: string }>(
      'SELECT key, value, etag FROM bot_state WHERE key = ANY($1::text[])',
      [keys],
    );
    const items: StoreItems = {};
    for (const row of rows) items[row.key] = { ...row.value, eTag: row.etag };
    return items;
  }

  /** Writes all `changes` in one transaction; throws (writing none) on a stale eTag. */
  async write(changes: StoreItems): Promise<void> {
    if (!changes) throw new ReferenceError('Changes are required when writing.');
    const entries = Object.entries(changes);
    if (entries.length === 1) return writeOne(this.db, entries[0]![0], entries[0]![1]);
    if (entries.length > 1) {
      await this.db.transaction(async (tx) => {
        for (const [key, item] of entries) await writeOne(tx, key, item);
      });
    }
  }

  /** Removes `keys`; absent keys are ignored. */
  async delete(keys: string[]): Promise<void> {
    if (!keys || keys.length === 0) return;
    await this.db.query('DELETE FROM bot_state WHERE key = ANY($1::text[])', [keys]);
  }
}

async function writeOne(sql: Sql, key: string, item: Record<string, unknown> | undefined): Promise<void> {
  const { eTag, ...value } = item ?? {};
  const unconditional = eTag === undefined || eTag === null || eTag === '' || eTag === '*';
  // Inserts a new key, or updates an existing one (only if its etag still matches, for conditional writes).
  const rows = await sql.query(
    `INSERT INTO bot_state (key, value, etag, updated_at) VALUES ($1, $2::jsonb, $3, now())
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, etag = EXCLUDED.etag, updated_at = EXCLUDED.updated_at
     ${unconditional ? '' : 'WHERE bot_state.etag = $4'}
     RETURNING key`,
    unconditional ? [key, JSON.stringify(value), randomUUID()] : [key, JSON.stringify(value), randomUUID(), String(eTag)],
  );
  if (rows.length === 0) throw new Error(`Storage: error writing "${key}" due to eTag conflict.`);
}
