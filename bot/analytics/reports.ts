import { isStale, type Article } from '../knowledge/article.js';
import type { TicketStatus } from '../escalation/ticket.js';
import type { Sql } from '../store/db.js';
import type { ReportWindow } from './window.js';

/**
 * The analysts' reports over the turns and feedback tables. Each report is one SQL query (both engines)
 * plus, where there is a decision to make, a pure function over its rows.
 */

/** Outcomes of a turn that asked the knowledge base something. */
export const QUESTION_OUTCOMES = ['answer', 'clarify', 'no-match', 'escalate'] as const;
/** An escalation by the same user this soon after an answer means the answer did not deflect it. */
export const ESCALATION_FOLLOW_MINUTES = 30;

/** SQL condition selecting typed questions from turns (optionally through a table alias). */
function questionFilter(alias = ''): string {
  const p = alias ? `${alias}.` : '';
  return `${p}outcome IN (${QUESTION_OUTCOMES.map((o) => `'${o}'`).join(', ')}) AND ${p}question_redacted <> ''`;
}

/** Question counts behind the deflection rate. */
export interface DeflectionCounts {
  /** Typed questions (answer, clarify, no-match or escalate outcome). */
  questions: number;
  /** Questions answered with an article (directly, or by picking one from a clarify). */
  answered: number;
  /** Answered questions with no escalation by the same user within ESCALATION_FOLLOW_MINUTES. */
  deflected: number;
  /** Escalation turns (typed or the "Talk to a person" button). */
  escalations: number;
}

/** Deflection rate: answered-and-not-escalated questions over all questions; null when there were none. */
export function deflectionRate(counts: Pick<DeflectionCounts, 'questions' | 'deflected'>): number | null {
  return counts.questions > 0 ? Math.round((counts.deflected / counts.questions) * 1000) / 1000 : null;
}

/** Counts questions, answers, deflections and escalations in a window. */
export async function deflectionCounts(db: Sql, window: ReportWindow): Promise<DeflectionCounts> {
  const [row] = await db.query<DeflectionCounts>(
    `WITH q AS (
       SELECT t.outcome = 'answer'
                OR (t.outcome = 'clarify' AND EXISTS (
                  SELECT 1 FROM turns p
                   WHERE p.user_hash = t.user_hash AND p.outcome = 'button' AND p.article_id IS NOT NULL
                     AND p.at >= t.at AND p.at <= t.at + make_interval(mins => $3) AND p.id <> t.id)) AS answered,
              EXISTS (
                SELECT 1 FROM turns e
                 WHERE e.user_hash = t.user_hash AND e.outcome = 'escalate'
                   AND e.at >= t.at AND e.at <= t.at + make_interval(mins => $3) AND e.id <> t.id) AS escalated
         FROM turns t
        WHERE t.at >= $1 AND t.at < $2 AND ${questionFilter('t')}
     )
     SELECT count(*)::int AS questions,
            count(*) FILTER (WHERE answered)::int AS answered,
            count(*) FILTER (WHERE answered AND NOT escalated)::int AS deflected,
            (SELECT count(*)::int FROM turns WHERE outcome = 'escalate' AND at >= $1 AND at < $2) AS escalations
       FROM q`,
    [window.since.toISOString(), window.until.toISOString(), ESCALATION_FOLLOW_MINUTES],
  );
  return { questions: row.questions, answered: row.answered, deflected: row.deflected, escalations: row.escalations };
}

/** One frequently asked question (after redaction, lower-cased). */
export interface TopQuestion {
  question: string;
  count: number;
  /** The most common outcome for it. */
  outcome: string;
  /** The most common answered article, if any. */
  articleId: string | null;
}

/** The most asked questions in a window, most frequent first. */
export async function topQuestions(db: Sql, window: ReportWindow, limit = 10): Promise<TopQuestion[]> {
  const rows = await db.query<{ question: string; count: number; outcome: string; article_id: string | null }>(
    `SELECT q.question, count(*)::int AS count,
            mode() WITHIN GROUP (ORDER BY q.outcome) AS outcome,
            mode() WITHIN GROUP (ORDER BY q.article_id) AS article_id
       FROM (SELECT regexp_replace(regexp_replace(lower(trim(question_redacted)), '\\s+', ' ', 'g'), '[?!. ]+$', '') AS question,
                    outcome, article_id
               FROM turns
              WHERE at >= $1 AND at < $2 AND ${questionFilter()}) q
      WHERE q.question <> ''
      GROUP BY q.question
      ORDER BY count DESC, q.question
      LIMIT $3`,
    [window.since.toISOString(), window.until.toISOString(), limit],
  );
  return rows.map((r) => ({ question: r.question, count: r.count, outcome: r.outcome, articleId: r.article_id }));
}

/** Per-day counts for the dashboard charts; every day of the window is present (zeros included). */
export interface DailySeries {
  days: string[];
  answers: number[];
  clarify: number[];
  noMatch: number[];
  escalations: number[];
  solved: number[];
  notSolved: number[];
}

/** A day's raw counts as the per-day queries return them. */
export interface DayCounts {
  day: string;
  answers?: number;
  clarify?: number;
  no_match?: number;
  escalations?: number;
  solved?: number;
  not_solved?: number;
}

/** UTC days (YYYY-MM-DD) from `since` to `until`, at most `maxDays` (the most recent ones). */
export function daysOf(window: ReportWindow, maxDays = 366): string[] {
  const days: string[] = [];
  const start = Date.UTC(window.since.getUTCFullYear(), window.since.getUTCMonth(), window.since.getUTCDate());
  for (let t = start; t < window.until.getTime(); t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  return days.slice(-maxDays);
}

/** Lays per-day rows onto every day of the window. Pure. */
export function fillDailySeries(window: ReportWindow, rows: DayCounts[]): DailySeries {
  const days = daysOf(window);
  const byDay = new Map<string, DayCounts>();
  for (const row of rows) byDay.set(row.day, { ...byDay.get(row.day), ...row });
  const pick = (key: keyof Omit<DayCounts, 'day'>) => days.map((d) => Number(byDay.get(d)?.[key] ?? 0));
  return {
    days,
    answers: pick('answers'),
    clarify: pick('clarify'),
    noMatch: pick('no_match'),
    escalations: pick('escalations'),
    solved: pick('solved'),
    notSolved: pick('not_solved'),
  };
}

/** Answers, clarifications, no-matches, escalations and feedback per UTC day. */
export async function dailySeries(db: Sql, window: ReportWindow): Promise<DailySeries> {
  const params = [window.since.toISOString(), window.until.toISOString()];
  const day = `to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`;
  const turns = await db.query<DayCounts>(
    `SELECT ${day} AS day,
            count(*) FILTER (WHERE outcome = 'answer')::int AS answers,
            count(*) FILTER (WHERE outcome = 'clarify')::int AS clarify,
            count(*) FILTER (WHERE outcome = 'no-match')::int AS no_match,
            count(*) FILTER (WHERE outcome = 'escalate')::int AS escalations
       FROM turns WHERE at >= $1 AND at < $2 GROUP BY 1`,
    params,
  );
  const feedback = await db.query<DayCounts>(
    `SELECT ${day} AS day,
            count(*) FILTER (WHERE value = 'solved')::int AS solved,
            count(*) FILTER (WHERE value = 'not-solved')::int AS not_solved
       FROM feedback WHERE at >= $1 AND at < $2 GROUP BY 1`,
    params,
  );
  return fillDailySeries(window, [...turns, ...feedback]);
}

/** An article people said did not solve their problem. */
export interface NotHelpfulArticle {
  articleId: string;
  title: string | null;
  notSolved: number;
  solved: number;
  /** Times it was given as an answer in the window. */
  shown: number;
}

/** Articles with the most "Not solved" clicks in a window. */
export async function notHelpfulArticles(db: Sql, window: ReportWindow, articles: Article[], limit = 10): Promise<NotHelpfulArticle[]> {
  const rows = await db.query<{ article_id: string; not_solved: number; solved: number; shown: number }>(
    `SELECT f.article_id,
            count(*) FILTER (WHERE f.value = 'not-solved')::int AS not_solved,
            count(*) FILTER (WHERE f.value = 'solved')::int AS solved,
            (SELECT count(*)::int FROM turns t
              WHERE t.article_id = f.article_id AND t.outcome = 'answer' AND t.at >= $1 AND t.at < $2) AS shown
       FROM feedback f
      WHERE f.at >= $1 AND f.at < $2
      GROUP BY f.article_id
     HAVING count(*) FILTER (WHERE f.value = 'not-solved') > 0
      ORDER BY not_solved DESC, solved, f.article_id
      LIMIT $3`,
    [window.since.toISOString(), window.until.toISOString(), limit],
  );
  const titles = new Map(articles.map((a) => [a.id, a.title]));
  return rows.map((r) => ({ articleId: r.article_id, title: titles.get(r.article_id) ?? null, notSolved: r.not_solved, solved: r.solved, shown: r.shown }));
}

/** An article due for review. */
export interface StaleArticle {
  id: string;
  title: string;
  owner: string;
  reviewed: string;
  /** Whole days since the last review. */
  daysSinceReview: number;
  reasons: Array<'review overdue' | 'owner missing'>;
}

const PLACEHOLDER_OWNERS = /^(tbd|tba|unknown|none|n\/?a|-+|\?+)$/i;

/** Articles reviewed more than STALE_AFTER_DAYS ago or without a real owner, oldest review first. Pure. */
export function staleArticles(articles: Article[], now: Date): StaleArticle[] {
  const result: StaleArticle[] = [];
  for (const article of articles) {
    const reasons: StaleArticle['reasons'] = [];
    if (isStale(article, now)) reasons.push('review overdue');
    const owner = String(article.owner ?? '').trim();
    if (!owner || PLACEHOLDER_OWNERS.test(owner)) reasons.push('owner missing');
    if (reasons.length === 0) continue;
    const days = Math.floor((now.getTime() - Date.parse(`${article.reviewed}T00:00:00Z`)) / 86_400_000);
    result.push({ id: article.id, title: article.title, owner, reviewed: article.reviewed, daysSinceReview: days, reasons });
  }
  return result.sort((a, b) => b.daysSinceReview - a.daysSinceReview || a.id.localeCompare(b.id));
}


/** A help-desk ticket still waiting for a person, as the dashboard lists it. */
export interface OpenTicket {
  id: string;
  createdAt: string;
  status: string;
  urgency: string;
  queue: string | null;
  role: string | null;
}

/** Statuses in which a ticket still waits for the help desk (as in bot/escalation/tickets.ts openTickets). */
const WAITING_STATUSES: readonly TicketStatus[] = ['open', 'in-progress'];

/** Open tickets (urgent, then oldest first) and their total; null when the tickets table does not exist. */
export async function openTicketReport(db: Sql, limit = 20): Promise<{ count: number; tickets: OpenTicket[] } | null> {
  const [table] = await db.query<{ name: string | null }>(`SELECT to_regclass('tickets')::text AS name`);
  if (!table?.name) return null;
  const [{ count }] = await db.query<{ count: number }>('SELECT count(*)::int AS count FROM tickets WHERE status = ANY($1::text[])', [[...WAITING_STATUSES]]);
  // The dashboard's own read of the tickets table (urgent first, then oldest), not the escalation module's.
  const tickets = await db.query<{ id: string; created_at: Date | string; status: TicketStatus; urgency: 'urgent' | 'normal'; queue: string; role: string | null }>(
    `SELECT id, created_at, status, urgency, queue, role FROM tickets WHERE status = ANY($1::text[])
     ORDER BY (urgency = 'urgent') DESC, created_at ASC LIMIT $2`,
    [[...WAITING_STATUSES], limit],
  );
  return {
    count,
    tickets: tickets.map((t) => ({ id: t.id, createdAt: new Date(t.created_at).toISOString(), status: t.status, urgency: t.urgency, queue: t.queue, role: t.role })),
  };
}
