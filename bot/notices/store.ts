import type { ConversationReference } from 'botbuilder';
import type { Notice } from '../knowledge/notices.js';
import type { Sql } from '../store/db.js';

/** Notices in the database (migration 007): posted ones, early ends, and "tell me when it's fixed" subscriptions. */

interface NoticeRow {
  id: string;
  title: string;
  body: string;
  articles: string[];
  units: string[];
  starts: Date;
  ends: Date;
}

/** Stores (or replaces) a notice posted through the API or /admin; a new post of an id clears its early end. */
export async function saveNotice(db: Sql, notice: Omit<Notice, 'source'>, now: Date): Promise<void> {
  await db.query(
    `INSERT INTO notices (id, title, body, articles, units, starts, ends, created_at)
     VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6, $7, $8)
     ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, body = EXCLUDED.body, articles = EXCLUDED.articles,
       units = EXCLUDED.units, starts = EXCLUDED.starts, ends = EXCLUDED.ends`,
    [notice.id, notice.title, notice.body, JSON.stringify(notice.articles), JSON.stringify(notice.units), notice.starts, notice.ends, now],
  );
  await db.query('DELETE FROM notice_ends WHERE notice_id = $1', [notice.id]);
}

/** Every stored notice that has not ended before `since` (older ones only matter to history). */
export async function storedNotices(db: Sql, since: Date): Promise<Notice[]> {
  const rows = await db.query<NoticeRow>('SELECT id, title, body, articles, units, starts, ends FROM notices WHERE ends > $1 ORDER BY starts', [since]);
  return rows.map((r) => ({ ...r, starts: new Date(r.starts), ends: new Date(r.ends), source: 'api' as const }));
}

/** Early ends by notice id. */
export async function noticeEnds(db: Sql): Promise<Map<string, Date>> {
  const rows = await db.query<{ notice_id: string; ended_at: Date }>('SELECT notice_id, ended_at FROM notice_ends');
  return new Map(rows.map((r) => [r.notice_id, new Date(r.ended_at)]));
}

/** Ends a notice now (file or stored); keeps the earliest end when ended twice. */
export async function endNotice(db: Sql, id: string, now: Date): Promise<void> {
  await db.query(
    `INSERT INTO notice_ends (notice_id, ended_at) VALUES ($1, $2)
     ON CONFLICT (notice_id) DO UPDATE SET ended_at = LEAST(notice_ends.ended_at, EXCLUDED.ended_at)`,
    [id, now],
  );
}

/** Remembers that a clinician wants to hear when the notice's problem is fixed (once per user and notice). */
export async function subscribe(db: Sql, noticeId: string, userKey: string, ref: Partial<ConversationReference>, now: Date): Promise<void> {
  await db.query(
    `INSERT INTO notice_subscriptions (notice_id, user_key, conversation_ref, created_at) VALUES ($1, $2, $3::jsonb, $4)
     ON CONFLICT (notice_id, user_key) DO UPDATE SET conversation_ref = EXCLUDED.conversation_ref`,
    [noticeId, userKey, JSON.stringify(ref), now],
  );
}

/** Notice ids with subscribers not yet told. */
export async function pendingSubscriptionNotices(db: Sql): Promise<string[]> {
  const rows = await db.query<{ notice_id: string }>('SELECT DISTINCT notice_id FROM notice_subscriptions WHERE notified_at IS NULL');
  return rows.map((r) => r.notice_id);
}

/**
 * Claims the untold subscribers of an ended notice (marks them told in the same statement), so exactly one
 * instance sends each "fixed" message; a send that then fails is logged, not retried.
 */
export async function claimSubscribers(db: Sql, noticeId: string, now: Date): Promise<Array<Partial<ConversationReference>>> {
  const rows = await db.query<{ conversation_ref: Partial<ConversationReference> }>(
    `UPDATE notice_subscriptions SET notified_at = $2 WHERE notice_id = $1 AND notified_at IS NULL RETURNING conversation_ref`,
    [noticeId, now],
  );
  return rows.map((r) => r.conversation_ref);
}
