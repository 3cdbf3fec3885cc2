import type { AnalyticsSink } from '../analytics/events.js';
import { articleBursts, burstHistory, gapBursts, windowCounts, type Burst, type BurstHistory } from '../analytics/bursts.js';
import { redact } from '../privacy/redact.js';
import type { AppContext } from '../context.js';
import { endAlerts, openAlert, openAlerts } from './alerts.js';

/** The usual rates change slowly: re-read them at most this often. */
const HISTORY_TTL_MS = 10 * 60_000;

/** The webhook body of a burst alert (sample questions redacted again, to be sure). */
export function burstPayload(burst: Burst, title: string | undefined): Record<string, unknown> {
  return {
    type: 'burst',
    articleId: burst.articleId,
    ...(title ? { title } : {}),
    users: burst.users,
    since: burst.since.toISOString(),
    sampleQuestions: burst.sampleQuestions.map((q) => redact(q)),
    ...(burst.terms ? { terms: burst.terms.slice(0, 5) } : {}),
  };
}

/** The burst check: opens one alert per new burst (through `channels`), ends alerts whose burst is over. */
export function createBurstWatch(ctx: AppContext, analytics: AnalyticsSink, channels: () => string[]) {
  let history: BurstHistory | undefined;
  const state = { lastCheck: null as Date | null };
  const settings = { users: ctx.config.BURST_USERS, minutes: ctx.config.BURST_MINUTES };

  async function run(): Promise<void> {
    // This instance's recent turns go to the database first, so the check sees them (others flush on their own).
    await analytics.flush();
    const now = ctx.now();
    const kb = ctx.knowledge.current();
    const windowStart = new Date(now.getTime() - settings.minutes * 60_000);
    if (!history || now.getTime() - history.computedAt > HISTORY_TTL_MS || now.getTime() < history.computedAt) {
      history = await burstHistory(ctx.db, windowStart, 7);
    }
    const counts = await windowCounts(ctx.db, now, settings.minutes);
    const bursts = [...(await articleBursts(ctx.db, kb, now, settings, history, counts)), ...(await gapBursts(ctx.db, kb, now, settings))];
    const open = await openAlerts(ctx.db, 'burst');
    const openKeys = new Set(open.map((a) => a.key));
    for (const burst of bursts.filter((b) => !openKeys.has(b.key))) {
      const title = burst.articleId ? kb.byId.get(burst.articleId)?.title : undefined;
      const alert = await openAlert(ctx.db, { kind: 'burst', key: burst.key, payload: burstPayload(burst, title) }, channels(), now);
      if (alert) ctx.logger.warn({ alertId: alert.id, key: burst.key, users: burst.users, threshold: Math.round(burst.threshold * 10) / 10 }, 'burst alert');
    }
    // A burst is over once fewer than half of BURST_USERS clinicians landed on it in the last window.
    const gapUsers = new Map(bursts.filter((b) => !b.articleId).map((b) => [b.key, b.users]));
    const over = open.filter((a) => (a.key.startsWith('gap:') ? gapUsers.get(a.key) ?? 0 : counts.get(a.key)?.users ?? 0) < Math.ceil(settings.users / 2));
    await endAlerts(ctx.db, over.map((a) => a.id), now);
    state.lastCheck = now;
  }

  return { run, state };
}
