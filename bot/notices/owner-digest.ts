import { notHelpfulArticles, staleArticles } from '../analytics/reports.js';
import type { AppContext } from '../context.js';
import { openAlert } from './alerts.js';

/** The ISO week of a date, e.g. "2026-W49" (weeks start on Monday, UTC). */
export function isoWeek(date: Date): string {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const day = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - day);
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((d.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/**
 * The weekly owner digest: for every article owner with "Not solved" feedback in the last 7 days or stale
 * articles, one outbox row to OWNER_DIGEST_WEBHOOK_URL, at most once per owner and ISO week (the alerts
 * table's unique open key decides, across instances). Returns how many digests were queued.
 */
export async function queueOwnerDigests(ctx: AppContext): Promise<number> {
  if (!ctx.config.OWNER_DIGEST_WEBHOOK_URL) return 0;
  const now = ctx.now();
  const week = isoWeek(now);
  const kb = ctx.knowledge.current();
  const window = { since: new Date(now.getTime() - 7 * 86_400_000), until: now };
  const notSolved = await notHelpfulArticles(ctx.db, window, kb.articles, 1000);
  const stale = staleArticles(kb.articles, now);
  const owners = new Set(kb.articles.map((a) => a.owner.trim()).filter(Boolean));
  let queued = 0;
  for (const owner of [...owners].sort()) {
    const mine = new Set(kb.articles.filter((a) => a.owner.trim() === owner).map((a) => a.id));
    const payload = {
      type: 'owner-digest',
      owner,
      week,
      since: window.since.toISOString(),
      notSolved: notSolved.filter((a) => mine.has(a.articleId)),
      stale: stale.filter((a) => mine.has(a.id)).map(({ id, title, reviewed, daysSinceReview, reasons }) => ({ id, title, reviewed, daysSinceReview, reasons })),
    };
    if (payload.notSolved.length === 0 && payload.stale.length === 0) continue;
    if (await openAlert(ctx.db, { kind: 'digest', key: `${owner}:${week}`, payload }, ['digest'], now)) queued += 1;
  }
  return queued;
}
