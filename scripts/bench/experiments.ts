/**
 * What-if measurements behind the proposals in docs/performance.md. Not part of the figures: the Elbow child
 * uses them only when BENCH_EXPERIMENT is set (`npm run bench -- --experiment NAME`), to measure what a change
 * would gain before anyone makes it.
 *
 * - `count`: counts SQL statements by kind (what a turn costs the database).
 * - `state-cache`: serves bot_state reads from memory, kept current by the writes (write-through), as a
 *   read cache in DbStorage would on PGlite, where the data-dir lock guarantees a single writer.
 */
import type { Db, Sql } from '../../bot/store/db.js';

/** Statement counts by kind (first words of the SQL), for the report. */
export type StatementCounts = Record<string, number>;

function kindOf(text: string): string {
  const t = text.trim().replace(/\s+/g, ' ');
  const table = /\b(?:FROM|INTO|UPDATE)\s+([a-z_]+)/i.exec(t)?.[1] ?? '';
  return `${t.split(' ')[0].toUpperCase()} ${table}`.trim();
}

/** Wraps a Db for an experiment; `counts` fills as statements run. */
export function experimentalDb(db: Db, experiment: string): { db: Db; counts: StatementCounts } {
  const counts: StatementCounts = {};
  const cache = new Map<string, { value: unknown; etag: string }>();
  const stateCache = experiment === 'state-cache';

  const run = async <T>(sql: Sql, text: string, params?: unknown[]): Promise<T[]> => {
    const kind = kindOf(text);
    if (stateCache && kind === 'SELECT bot_state' && Array.isArray(params?.[0])) {
      const keys = params[0] as string[];
      if (keys.every((k) => cache.has(k))) {
        counts['SELECT bot_state (cached)'] = (counts['SELECT bot_state (cached)'] ?? 0) + 1;
        return keys.map((key) => ({ key, ...cache.get(key)! })) as T[];
      }
    }
    counts[kind] = (counts[kind] ?? 0) + 1;
    const rows = await sql.query<T>(text, params);
    if (stateCache && kind === 'SELECT bot_state') {
      // Keys not found stay uncached (a new user): the first write fills them.
      for (const row of rows as Array<{ key: string; value: unknown; etag: string }>) cache.set(row.key, { value: row.value, etag: row.etag });
    }
    if (stateCache && kind === 'INSERT bot_state' && rows.length > 0 && params) {
      cache.set(String(params[0]), { value: JSON.parse(String(params[1])), etag: String(params[2]) });
    }
    return rows;
  };

  const wrapped: Db = {
    engine: db.engine,
    label: db.label,
    query: (text, params) => run(db, text, params),
    transaction: (fn) => db.transaction((tx) => fn({ query: (text, params) => run(tx, text, params) })),
    ping: () => db.ping(),
    close: () => db.close(),
  };
  return { db: wrapped, counts };
}
