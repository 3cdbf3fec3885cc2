import { PermanentDeliveryError, RetryLaterError, type Deliverer } from './outbox.js';
import { ticketTranscript, type Ticket } from './ticket.js';

/** Where and how to POST tickets. */
export interface WebhookOptions {
  url: string;
  /** Sent as `Authorization: Bearer <token>` when set. */
  token?: string;
  /** Per request (default 10 s); keep it below the outbox lease. */
  timeoutMs?: number;
  /** Injected for tests; global fetch by default. */
  fetch?: typeof fetch;
}

/** Longest Retry-After honoured; a receiver asking for more gets retried on the normal backoff. */
const MAX_RETRY_AFTER_MS = 60 * 60_000;

/**
 * The JSON body the help desk receives: the ticket without the conversation reference, transcript redacted.
 * `key` is unique forever (store tickets by it); `id` is the short number people say on the phone.
 */
export function webhookPayload(ticket: Ticket): Record<string, unknown> {
  return {
    key: ticket.key,
    id: ticket.id,
    createdAt: ticket.createdAt.toISOString(),
    updatedAt: ticket.updatedAt.toISOString(),
    status: ticket.status,
    urgency: ticket.urgency,
    queue: ticket.queue,
    role: ticket.role,
    userId: ticket.userId,
    userName: ticket.userName,
    contact: ticket.contact,
    articlesTried: ticket.articlesTried,
    transcript: ticketTranscript(ticket.transcript),
  };
}

/**
 * A deliverer that POSTs the ticket as JSON with an `Idempotency-Key` stable across retries. 2xx is
 * delivered; 408, 429, 5xx, network errors and timeouts are retried; any other status is permanent.
 */
export function webhookDeliverer(options: WebhookOptions): Deliverer {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  return async (ticket, idempotencyKey) => {
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'Idempotency-Key': idempotencyKey,
      'User-Agent': 'Elbow-escalation/1',
    };
    if (options.token) headers.Authorization = `Bearer ${options.token}`;
    const response = await doFetch(options.url, {
      method: 'POST',
      headers,
      body: JSON.stringify(webhookPayload(ticket)),
      signal: AbortSignal.timeout(timeoutMs),
    });
    // The body is not read: a receiver may echo the payload, and it must not reach our logs.
    await response.body?.cancel().catch(() => undefined);
    if (response.ok) return;
    const message = `webhook answered HTTP ${response.status}`;
    if (isRetryable(response.status)) {
      const wait = retryAfter(response.headers.get('retry-after'));
      throw wait > 0 ? new RetryLaterError(message, wait) : new Error(message);
    }
    throw new PermanentDeliveryError(message);
  };
}

function isRetryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** Retry-After in milliseconds, 0 when absent or unusable (the HTTP-date form falls back to the backoff). */
function retryAfter(header: string | null): number {
  const ms = header && /^\d+$/.test(header.trim()) ? Number(header) * 1000 : 0;
  return ms <= MAX_RETRY_AFTER_MS ? ms : 0;
}
