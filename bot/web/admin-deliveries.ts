import { derivedSecret, secretMatches } from '../secrets.js';
import { outboxStatus, retryDeadDelivery, type DeadDelivery } from '../escalation/outbox.js';
import { escalationStatus } from '../escalation/ticket.js';
import type { AppContext } from '../context.js';
import { html, type Html } from './html.js';

/**
 * The token a Retry form must carry (in its action URL): derived from ADMIN_TOKEN, so another site cannot
 * forge it, on top of the SameSite=Strict session cookie. Compared in constant time.
 */
export function csrfToken(adminToken: string): string {
  return derivedSecret(adminToken, 'elbow-admin-csrf');
}

/** True when `presented` is the CSRF token for `adminToken`. */
export function csrfMatches(adminToken: string, presented: string | null): boolean {
  return secretMatches(csrfToken(adminToken), presented);
}

function deadRow(row: DeadDelivery, csrf: string): Html {
  return html`<tr><td>${row.ticketId}</td><td>${row.channel}</td><td class="num">${row.attempts}</td><td>${row.lastError ?? '–'}</td><td>${row.createdAt.toISOString().slice(0, 16).replace('T', ' ')}</td>
<td><form method="post" action="/admin/outbox/${row.id}/retry?csrf=${csrf}"><button type="submit">Retry</button></form></td></tr>`;
}

/** The /admin panel on escalation delivery: a warning when none is configured, and the deliveries that gave up. */
export async function deliveriesPanel(ctx: AppContext, csrf: string): Promise<Html> {
  const { missing } = escalationStatus(ctx.config);
  const warning = missing.length
    ? html`<p class="warning" role="alert"><strong>No help-desk delivery configured</strong>: set ${missing.join(' or ')}. Elbow tells clinicians it cannot pass requests on and gives them the help-desk phone number.</p>`
    : '';
  const { dead } = await outboxStatus(ctx.db);
  return html`<section class="panel" id="deliveries"><h2>Failed deliveries</h2>${warning}${
    dead.length
      ? html`<table><thead><tr><th scope="col">Ticket</th><th scope="col">Channel</th><th scope="col">Attempts</th><th scope="col">Last error</th><th scope="col">Queued (UTC)</th><th scope="col">Action</th></tr></thead><tbody>${dead.map((row) => deadRow(row, csrf))}</tbody></table>`
      : html`<p class="empty">Every ticket reached the help desk (or is still being retried).</p>`
  }</section>`;
}

/** Re-queues one dead delivery; false when the id is not a dead row. Logged, since it sends a ticket again. */
export async function retryDelivery(ctx: AppContext, id: number): Promise<boolean> {
  const done = Number.isSafeInteger(id) && id > 0 && (await retryDeadDelivery(ctx.db, id, ctx.now()));
  if (done) ctx.logger.info({ outboxId: id }, 'dead delivery queued again from /admin');
  return done;
}
