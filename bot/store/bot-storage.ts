import { randomUUID } from 'node:crypto';
import type { Storage, StoreItems } from 'botbuilder';
import type { Db, Sql } from './db.js';
import { GroupCommit, type Outcome } from './group-commit.js';
import { planStateBatch, type StateChange, type StateRequest } from './state-batch.js';

/**
 * botbuilder `Storage` (for UserState and ConversationState) over the Elbow database, with the eTag
 * rules of botbuilder's MemoryStorage: a write carrying an eTag other than "*" succeeds only if it is
 * still the stored one (or the key is new); a write without eTag or with "*" overwrites.
 *
 * Writes (and deletes) are group-committed: those of concurrent turns share one transaction, which locks the
 * stored rows it checks (SELECT … FOR UPDATE), so instances racing on a key with the same eTag get exactly one
 * success. Each write() resolves only after its transaction committed. A write() is all or nothing.
 */
export class DbStorage implements Storage {
  /** Read-through cache of stored items (JSON + eTag, or null for "not stored"), most recently used last. */
  private readonly cache = new Map<string, { json: string; etag: string } | null>();
  private readonly commits = new GroupCommit<StateRequest, void>((batch) => this.commitBatch(batch));

  /**
   * `cacheSize` > 0 keeps that many items in memory so a turn's reads skip the database, and so do the eTag
   * checks of writes. Only safe when this process is the database's sole writer (PGlite, guarded by the data-dir
   * lock); never with a shared PostgreSQL.
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
      else if (hit === undefined) missing.push(key);
    }
    if (missing.length === 0) return items;
    const rows = await this.db.query<{ key: string; value: Record<string, unknown>; etag: string }>(
      'SELECT key, value, etag FROM bot_state WHERE key = ANY($1::text[])',
      [missing],
    );
    const absent = new Set(missing);
    for (const row of rows) {
      items[row.key] = { ...row.value, eTag: row.etag };
      this.remember(row.key, { json: JSON.stringify(row.value), etag: row.etag });
      absent.delete(row.key);
    }
    for (const key of absent) this.remember(key, null);
    return items;
  }

  /** Writes all `changes` in one transaction (shared with concurrent writes); throws (writing none) on a stale eTag. */
  async write(changes: StoreItems): Promise<void> {
    if (!changes) throw new ReferenceError('Changes are required when writing.');
    const entries = Object.entries(changes);
    if (entries.length === 0) return;
    await this.commits.submit({ writes: entries });
  }

  /** Removes `keys`; absent keys are ignored. Ordered with writes (same commit queue). */
  async delete(keys: string[]): Promise<void> {
    if (!keys || keys.length === 0) return;
    await this.commits.submit({ deletes: keys });
  }

  /** One transaction for a batch of requests; each request's outcome is its own. */
  private async commitBatch(batch: StateRequest[]): Promise<Array<Outcome<void>>> {
    const keys = [...new Set(batch.flatMap(requestKeys))].sort();
    const known = this.knownEtags(keys);
    try {
      let plan: ReturnType<typeof planStateBatch>;
      if (known && batch.every((r) => !r.deletes)) {
        // Sole writer and every key cached: the eTags are known, one upsert statement is the whole transaction.
        plan = planStateBatch(batch, known, randomUUID);
        await upsert(this.db, plan.changes);
      } else {
        plan = await this.db.transaction(async (tx) => {
          const rows = await tx.query<{ key: string; etag: string }>(
            'SELECT key, etag FROM bot_state WHERE key = ANY($1::text[]) ORDER BY key FOR UPDATE',
            [keys],
          );
          const stored = new Map<string, string | null>(rows.map((r) => [r.key, r.etag]));
          const planned = planStateBatch(batch, stored, randomUUID);
          await upsert(tx, planned.changes);
          const gone = [...planned.changes].filter(([, c]) => c === null).map(([k]) => k);
          if (gone.length > 0) await tx.query('DELETE FROM bot_state WHERE key = ANY($1::text[])', [gone]);
          return planned;
        });
      }
      for (const [key, change] of plan.changes) this.remember(key, change);
      batch.forEach((request, i) => {
        if (!plan.outcomes[i]!.ok) for (const key of requestKeys(request)) this.cache.delete(key);
      });
      return plan.outcomes;
    } catch (err) {
      for (const key of keys) this.cache.delete(key);
      throw err;
    }
  }

  /** The stored eTag (null: not stored) of every key, when all are cached; else undefined. */
  private knownEtags(keys: string[]): Map<string, string | null> | undefined {
    if ((this.options.cacheSize ?? 0) <= 0) return undefined;
    const known = new Map<string, string | null>();
    for (const key of keys) {
      const hit = this.cache.get(key);
      if (hit === undefined) return undefined;
      known.set(key, hit?.etag ?? null);
    }
    return known;
  }

  private remember(key: string, item: { json: string; etag: string } | null): void {
    const size = this.options.cacheSize ?? 0;
    if (size <= 0) return;
    this.cache.delete(key);
    this.cache.set(key, item);
    if (this.cache.size > size) this.cache.delete(this.cache.keys().next().value as string);
  }
}

function requestKeys(request: StateRequest): string[] {
  return request.deletes ?? request.writes.map(([key]) => key);
}

/** Inserts or overwrites every written key of `changes` in one statement (keys in sorted order: no deadlocks). */
async function upsert(sql: Sql, changes: Map<string, StateChange>): Promise<void> {
  const rows = [...changes].filter((e): e is [string, NonNullable<StateChange>] => e[1] !== null).sort(([a], [b]) => (a < b ? -1 : 1));
  if (rows.length === 0) return;
  await sql.query(
    `INSERT INTO bot_state (key, value, etag, updated_at)
     SELECT k, v::jsonb, e, now() FROM unnest($1::text[], $2::text[], $3::text[]) AS t(k, v, e)
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, etag = EXCLUDED.etag, updated_at = EXCLUDED.updated_at`,
    [rows.map(([k]) => k), rows.map(([, c]) => c.json), rows.map(([, c]) => c.etag)],
  );
}
