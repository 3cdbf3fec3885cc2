import type { AskerRole, Article } from '../knowledge/article.js';

/** A user away longer than this gets "what's new" once when they come back. */
export const WHATS_NEW_AFTER_DAYS = 7;

/** Days between two times (fractional). */
export function daysBetween(from: Date, to: Date): number {
  return (to.getTime() - from.getTime()) / 86_400_000;
}

/**
 * Articles for the role added or reviewed after `since` (or within the last 30 days when there is no
 * previous visit), newest first, at most `limit`.
 */
export function whatsNewFor(articles: Article[], role: AskerRole | undefined, since: Date | undefined, now: Date, limit = 5): Article[] {
  const from = since ?? new Date(now.getTime() - 30 * 86_400_000);
  const fromDay = from.toISOString().slice(0, 10);
  return articles
    .filter((a) => a.reviewed > fromDay && a.reviewed <= now.toISOString().slice(0, 10))
    .filter((a) => !role || role === 'other' || a.roles.includes('everyone') || a.roles.includes(role))
    .sort((a, b) => b.reviewed.localeCompare(a.reviewed) || a.title.localeCompare(b.title))
    .slice(0, limit);
}
