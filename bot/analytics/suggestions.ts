import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import type { Sql } from '../store/db.js';

/**
 * Suggested alternate questions ("active learning"): a question a clinician asked that Elbow only answered
 * after a clarify pick, or that was answered and then marked Solved, is a phrasing the article should list.
 * Computed from the analytics tables (so every instance's turns count); decisions are kept in
 * suggestion_decisions so an accepted or dismissed question does not come back.
 */

/** One suggested question for an article. */
export interface Suggestion {
  articleId: string;
  title: string;
  question: string;
  source: 'clarify-pick' | 'solved';
  /** How many times it happened in the period. */
  count: number;
  lastAt: string;
}

/** Redaction placeholders ([NAME], [MRN]…) must not end up in an article. */
const PLACEHOLDER = /\[[A-Z]{2,12}\]/;

/** Lower-case, single-spaced, without trailing punctuation: how two phrasings are compared. */
export function sameQuestionKey(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').replace(/[\s?.!]+$/, '').trim();
}

/** Suggestions since `since`, most frequent first; questions the article already lists are left out. */
export async function findSuggestions(db: Sql, kb: KnowledgeBase, since: Date, limit = 50): Promise<Suggestion[]> {
  const picks = await db.query<{ question: string; article_id: string; n: number; last_at: Date }>(
    `SELECT c.question_redacted AS question, p.article_id, count(*)::int AS n, max(p.at) AS last_at
       FROM turns p
       JOIN LATERAL (SELECT question_redacted, outcome, candidates FROM turns c
                      WHERE c.user_hash = p.user_hash AND c.at <= p.at AND c.at > p.at - interval '30 minutes'
                        AND c.id <> p.id AND c.outcome <> 'button'
                      ORDER BY c.at DESC, c.id DESC LIMIT 1) c ON true
      WHERE p.at >= $1 AND p.outcome = 'button' AND p.article_id IS NOT NULL
        AND c.outcome = 'clarify' AND c.candidates @> jsonb_build_array(p.article_id) AND c.question_redacted <> ''
      GROUP BY 1, 2`,
    [since],
  );
  const solved = await db.query<{ question: string; article_id: string; n: number; last_at: Date }>(
    `SELECT t.question_redacted AS question, f.article_id, count(*)::int AS n, max(f.at) AS last_at
       FROM feedback f JOIN turns t ON t.turn_id = f.turn_id AND t.article_id = f.article_id
      WHERE f.at >= $1 AND f.value = 'solved' AND t.question_redacted <> ''
      GROUP BY 1, 2`,
    [since],
  );
  const decided = new Set(
    (await db.query<{ article_id: string; question: string }>('SELECT article_id, question FROM suggestion_decisions')).map((d) => `${d.article_id}\u0000${sameQuestionKey(d.question)}`),
  );
  const byKey = new Map<string, Suggestion>();
  const add = (rows: typeof picks, source: Suggestion['source']) => {
    for (const r of rows) {
      const article = kb.byId.get(r.article_id);
      const question = r.question.trim();
      const key = `${r.article_id}\u0000${sameQuestionKey(question)}`;
      if (!article || PLACEHOLDER.test(question) || question.length > 200 || decided.has(key)) continue;
      if ([article.title, ...article.questions].some((q) => sameQuestionKey(q) === sameQuestionKey(question))) continue;
      const seen = byKey.get(key);
      if (seen) seen.count += Number(r.n);
      else byKey.set(key, { articleId: article.id, title: article.title, question, source, count: Number(r.n), lastAt: new Date(r.last_at).toISOString() });
    }
  };
  add(picks, 'clarify-pick');
  add(solved, 'solved');
  return [...byKey.values()].sort((a, b) => b.count - a.count || b.lastAt.localeCompare(a.lastAt)).slice(0, limit);
}

/** Records an analyst's decision on a suggestion. */
export async function decideSuggestion(db: Sql, articleId: string, question: string, decision: 'accepted' | 'dismissed', now: Date): Promise<void> {
  await db.query(
    `INSERT INTO suggestion_decisions (article_id, question, decision, decided_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (article_id, question) DO UPDATE SET decision = EXCLUDED.decision, decided_at = EXCLUDED.decided_at`,
    [articleId, question, decision, now],
  );
}
