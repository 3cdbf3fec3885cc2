import { randomUUID } from 'node:crypto';
import { ActivityTypes, CardFactory, TeamsInfo, type Activity, type CloudAdapter, type ConversationReference } from 'botbuilder';
import { adaptiveCard, type AdaptiveCard } from '../adaptive-card.js';
import { PermanentDeliveryError, RetryLaterError, retryDelayMs } from '../escalation/outbox.js';
import type { AppContext } from '../context.js';
import { settleRow } from '../escalation/outbox-rows.js';
import { claimAlertDeliveries, type Alert } from './alerts.js';

/** Delivers one alert on one channel; throws to retry (PermanentDeliveryError: never). */
export type AlertDeliverer = (alert: Alert, idempotencyKey: string) => Promise<void>;

const TEAMS_SERVICE_URL = 'https://smba.trafficmanager.net/teams/';
const LEASE_MS = 30_000;
const MAX_ATTEMPTS = 8;
const BACKOFF = { baseMs: 5_000, maxMs: 15 * 60_000 };

/** POSTs the alert's payload as JSON with an Idempotency-Key; 2xx delivered, 408/429/5xx retried, other statuses permanent. */
export function jsonWebhook(url: string, token?: string, timeoutMs = 10_000): AlertDeliverer {
  return async (alert, idempotencyKey) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': idempotencyKey, 'User-Agent': 'Elbow-alerts/1', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(alert.payload),
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel().catch(() => undefined);
    if (response.ok) return;
    const message = `webhook answered HTTP ${response.status}`;
    if (response.status === 408 || response.status === 429 || response.status >= 500) {
      const wait = Number(response.headers.get('retry-after'));
      throw Number.isFinite(wait) && wait > 0 && wait <= 3600 ? new RetryLaterError(message, wait * 1000) : new Error(message);
    }
    throw new PermanentDeliveryError(message);
  };
}

/** The support-channel card of a burst, with "Post a notice" prefilled on /admin/notices. */
export function burstCard(alert: Alert, publicBaseUrl: string): AdaptiveCard {
  const p = alert.payload as { articleId: string | null; title?: string; users: number; since: string; sampleQuestions: string[]; terms?: string[] };
  const about = p.title ?? (p.terms ? `unanswered questions about ${p.terms.slice(0, 3).join(', ')}` : String(p.articleId));
  const prefill = new URLSearchParams({ title: p.title ? `Known issue: ${p.title}` : '', ...(p.articleId ? { articles: p.articleId } : {}) });
  return adaptiveCard(
    [
      { type: 'TextBlock', text: `Possible outage: ${p.users} clinicians asked about ${about}`, size: 'Medium', weight: 'Bolder', color: 'Attention', wrap: true },
      { type: 'TextBlock', text: `Since ${p.since.slice(11, 16)} UTC. Sample questions (PHI redacted):`, wrap: true, isSubtle: true },
      ...p.sampleQuestions.map((q) => ({ type: 'TextBlock', text: `- ${q.replace(/\s*\n\s*/g, ' ').replace(/\]\(/g, '] (')}`, wrap: true, spacing: 'Small' })),
    ],
    [{ type: 'Action.OpenUrl', title: 'Post a notice', url: `${publicBaseUrl}/admin/notices?${prefill}` }],
  );
}

/** Posts an alert card to the support Teams channel (as ticket cards are). */
export function teamsAlertDeliverer(adapter: Pick<CloudAdapter, 'continueConversationAsync'>, ctx: AppContext): AlertDeliverer {
  const { MicrosoftAppId: appId, SUPPORT_TEAMS_CHANNEL_ID: channelId, MicrosoftAppTenantId: tenantId } = ctx.config;
  const reference: Partial<ConversationReference> = {
    channelId: 'msteams',
    serviceUrl: TEAMS_SERVICE_URL,
    bot: { id: appId!, name: 'Elbow' },
    conversation: { id: channelId!, isGroup: true, conversationType: 'channel', name: 'support', ...(tenantId ? { tenantId } : {}) },
  };
  return async (alert) => {
    const activity = { type: ActivityTypes.Message, text: 'Possible outage', attachments: [CardFactory.adaptiveCard(burstCard(alert, ctx.config.publicBaseUrl))] } as Activity;
    await adapter.continueConversationAsync(appId!, reference, async (context) => {
      await TeamsInfo.sendMessageToTeamsChannel(context, activity, channelId!, appId!);
    });
  };
}

/** The alert channels the settings turn on: burst → webhook / teams, digest → digest. */
export function alertDeliverers(ctx: AppContext, adapter: Pick<CloudAdapter, 'continueConversationAsync'>): Record<string, AlertDeliverer> {
  const { config } = ctx;
  const out: Record<string, AlertDeliverer> = {};
  if (config.ESCALATION_WEBHOOK_URL) out.webhook = jsonWebhook(config.ESCALATION_WEBHOOK_URL, config.ESCALATION_WEBHOOK_TOKEN);
  if (config.SUPPORT_TEAMS_CHANNEL_ID && config.MicrosoftAppId) out.teams = teamsAlertDeliverer(adapter, ctx);
  if (config.OWNER_DIGEST_WEBHOOK_URL) out.digest = jsonWebhook(config.OWNER_DIGEST_WEBHOOK_URL);
  return out;
}

const WORKER_ID = `alerts-${randomUUID().slice(0, 8)}`;

/** One delivery round of the alert outbox; returns how many were delivered. */
export async function deliverAlerts(ctx: AppContext, deliverers: Record<string, AlertDeliverer>): Promise<number> {
  const channels = Object.keys(deliverers);
  if (channels.length === 0) return 0;
  let delivered = 0;
  for (const row of await claimAlertDeliveries(ctx.db, channels, ctx.now(), LEASE_MS, WORKER_ID)) {
    try {
      await deliverers[row.channel]!(row.alert, row.idempotencyKey);
      await settleRow(ctx.db, 'alert_outbox', row.rowId, WORKER_ID, { delivered: true, at: ctx.now() });
      delivered += 1;
    } catch (err) {
      const error = String((err as Error).message).slice(0, 500);
      const dead = err instanceof PermanentDeliveryError || row.attempts >= MAX_ATTEMPTS;
      ctx.logger.warn({ alertId: row.alert.id, channel: row.channel, attempt: row.attempts, error, dead }, 'alert delivery failed');
      const retryAt = new Date(ctx.now().getTime() + Math.max(retryDelayMs(row.attempts, BACKOFF, Math.random), err instanceof RetryLaterError ? err.retryAfterMs : 0));
      await settleRow(ctx.db, 'alert_outbox', row.rowId, WORKER_ID, dead ? { dead: true, error } : { retryAt, error });
    }
  }
  return delivered;
}
