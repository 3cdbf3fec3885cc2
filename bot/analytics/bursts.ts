import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import type { Sql } from '../store/db.js';
import { clusterQuestions } from './gaps.js';

/**
 * Outage bursts: many different clinicians landing on one article (answer, or first clarify candidate)
 * in a short window, far above what that article usually gets. For article k in the last `minutes`:
 *
 *   users_k     = distinct clinicians who landed on k in the window
 *   baseline_k  = turns on k in the `baselineDays` before the window / windows in those days
 *   share_k     = (turns on k in those days + 1) / (turns on any article in those days + articles)
 *   N           = distinct (clinician, article) pairs in the window, over all articles
 *   threshold_k = max(users, lift × baseline_k, lift × share_k × N)
 *
 * The last term keeps busy but ordinary traffic (a Monday morning, the benchmark's load) quiet: there every
 * article gets about its usual share. With no history, share_k is 1 / articles. A burst ends when fewer than
 * half of `users` clinicians landed on k in the last window. No-match questions are clustered with the kb:gaps
 * clustering; a cluster bursts when it holds at least `users` questions and `lift` × the mean of the others.
 */

/** Burst settings (BURST_USERS, BURST_MINUTES and the rate rule). */
export interface BurstSettings {
  users: number;
  minutes: number;
  /** How far above the usual rate and share a burst must be (default 4). */
  lift?: number;
  /** Days of history the usual rate is taken from (default 7). */
  baselineDays?: number;
}

/** A burst found in the window. */
export interface Burst {
  /** The article id, or "gap:<terms>" for a cluster of unanswered questions. */
  key: string;
  articleId: string | null;
  users: number;
  since: Date;
  threshold: number;
  /** Latest distinct questions (already redacted when stored). */
  sampleQuestions: string[];
  /** The cluster's words, for a no-match burst. */
  terms?: string[];
}

/** Usual counts per article over the baseline days, cached because they change slowly. */
export interface BurstHistory {
  perArticle: Map<string, number>;
  total: number;
  computedAt: number;
}

const LANDED_ON = `CASE WHEN outcome = 'answer' THEN article_id ELSE candidates->>0 END`;

/** Counts per article over `baselineDays` before `until`; cached by the caller. */
export async function burstHistory(db: Sql, until: Date, baselineDays: number): Promise<BurstHistory> {
  const since = new Date(until.getTime() - baselineDays * 86_400_000);
  const rows = await db.query<{ key: string; n: number }>(
    `SELECT ${LANDED_ON} AS key, count(*)::int AS n FROM turns
      WHERE at > $1 AND at <= $2 AND outcome IN ('answer', 'clarify') GROUP BY 1`,
    [since, until],
  );
  const perArticle = new Map(rows.filter((r) => r.key).map((r) => [r.key, Number(r.n)]));
  return { perArticle, total: [...perArticle.values()].reduce((a, b) => a + b, 0), computedAt: until.getTime() };
}

/** Distinct clinicians per article in the window. */
export async function windowCounts(db: Sql, now: Date, minutes: number): Promise<Map<string, { users: number; since: Date }>> {
  const rows = await db.query<{ key: string; users: number; since: Date }>(
    `SELECT key, count(DISTINCT user_hash)::int AS users, min(at) AS since FROM (
       SELECT ${LANDED_ON} AS key, user_hash, at FROM turns
        WHERE at > $1 AND at <= $2 AND outcome IN ('answer', 'clarify')) t
      WHERE key IS NOT NULL GROUP BY key`,
    [new Date(now.getTime() - minutes * 60_000), now],
  );
  return new Map(rows.map((r) => [r.key, { users: Number(r.users), since: new Date(r.since) }]));
}

async function samples(db: Sql, key: string, since: Date): Promise<string[]> {
  const rows = await db.query<{ q: string }>(
    `SELECT question_redacted AS q FROM turns
      WHERE at >= $1 AND outcome IN ('answer', 'clarify') AND ${LANDED_ON} = $2 AND question_redacted <> ''
      ORDER BY at DESC LIMIT 20`,
    [since, key],
  );
  return [...new Set(rows.map((r) => r.q))].slice(0, 3);
}

/** The article bursts in the window ending at `now`, given the usual counts. */
export async function articleBursts(db: Sql, kb: KnowledgeBase, now: Date, settings: BurstSettings, history: BurstHistory, counts?: Map<string, { users: number; since: Date }>): Promise<Burst[]> {
  const lift = settings.lift ?? 4;
  const windows = ((settings.baselineDays ?? 7) * 24 * 60) / settings.minutes;
  const window = counts ?? (await windowCounts(db, now, settings.minutes));
  const pairs = [...window.values()].reduce((a, b) => a + b.users, 0);
  const bursts: Burst[] = [];
  for (const [key, { users, since }] of window) {
    if (users < settings.users) continue;
    const usual = history.perArticle.get(key) ?? 0;
    const share = (usual + 1) / (history.total + Math.max(1, kb.articles.length));
    const threshold = Math.max(settings.users, lift * (usual / windows), lift * share * pairs);
    if (users >= threshold) bursts.push({ key, articleId: key, users, since, threshold, sampleQuestions: await samples(db, key, since) });
  }
  return bursts;
}

/** Bursts of unanswered questions that cluster together (kb:gaps clustering), in the window ending at `now`. */
export async function gapBursts(db: Sql, kb: KnowledgeBase, now: Date, settings: BurstSettings): Promise<Burst[]> {
  const rows = await db.query<{ question: string; at: Date }>(
    `SELECT DISTINCT ON (user_hash, question_redacted) question_redacted AS question, at FROM turns
      WHERE at > $1 AND at <= $2 AND outcome = 'no-match' AND question_redacted <> ''
      ORDER BY user_hash, question_redacted, at DESC LIMIT 2000`,
    [new Date(now.getTime() - settings.minutes * 60_000), now],
  );
  if (rows.length < settings.users) return [];
  const clusters = clusterQuestions(rows.map((r) => ({ question: r.question, at: new Date(r.at) })), kb);
  const lift = settings.lift ?? 4;
  const total = clusters.reduce((a, c) => a + c.count, 0);
  return clusters
    .filter((c) => {
      const othersMean = clusters.length > 1 ? (total - c.count) / (clusters.length - 1) : 0;
      return c.count >= Math.max(settings.users, lift * othersMean);
    })
    .map((c) => ({
      key: `gap:${[...c.terms].slice(0, 3).sort().join('+')}`,
      articleId: null,
      users: c.count,
      since: new Date(Math.min(...rows.map((r) => new Date(r.at).getTime()))),
      threshold: settings.users,
      sampleQuestions: c.examples.slice(0, 3),
      terms: c.terms,
    }));
}
