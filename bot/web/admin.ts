import type { Request, Response, Server } from 'restify';
import { buildSummary, type DashboardSummary } from '../analytics/summary.js';
import { windowEndingAt } from '../analytics/window.js';
import { accessOf, deny, sessionCookie } from './admin-auth.js';
import { csrfMatches, csrfToken, deliveriesPanel, retryDelivery } from './admin-deliveries.js';
import type { AppContext } from '../context.js';
import { html, messagePage, page, sendHtml, trusted, type Html } from './html.js';

/**
 * The analysts' dashboard: GET /admin (HTML with charts) and GET /admin/api/summary (JSON), both behind
 * ADMIN_TOKEN. The token comes as `Authorization: Bearer …`, or once as `?token=…` from a browser, which
 * is then swapped for an HttpOnly SameSite=Strict cookie (and the token removed from the address bar).
 */

const DAY_CHOICES = [7, 30, 90, 365];
const DEFAULT_DAYS = 30;

function daysOf(params: URLSearchParams): number {
  const days = Number(params.get('days'));
  return DAY_CHOICES.includes(days) ? days : DEFAULT_DAYS;
}

async function summaryFor(ctx: AppContext, days: number): Promise<DashboardSummary> {
  const now = ctx.now();
  return buildSummary(ctx.db, ctx.knowledge.current(), { window: windowEndingAt(now, days * 86_400_000), now });
}

function percent(rate: number | null): string {
  return rate === null ? '–' : `${Math.round(rate * 1000) / 10}%`;
}

function articleLink(id: string | null, title?: string | null): Html | string {
  return id ? html`<a href="/kb/${encodeURIComponent(id)}">${title ?? id}</a>` : '–';
}

function table(caption: string, headers: string[], rows: Html[], empty: string): Html {
  return html`<section class="panel"><h2>${caption}</h2>${
    rows.length
      ? html`<table><thead><tr>${headers.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead><tbody>${rows}</tbody></table>`
      : html`<p class="empty">${empty}</p>`
  }</section>`;
}

/** JSON for a <script type="application/json"> block: nothing in it can close the tag. */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** The dashboard page for a summary. */
export function dashboardPage(summary: DashboardSummary, days: number, deliveries: Html | string = ''): string {
  const { kpis } = summary;
  const kpi = (label: string, value: string, note: string) => html`<div class="kpi"><span class="kpi-value">${value}</span><span class="kpi-label">${label}</span><span class="kpi-note">${note}</span></div>`;
  const body = html`<h1>Elbow analytics</h1>
<p class="window">Last ${days} days (${summary.window.since.slice(0, 10)} to ${summary.window.until.slice(0, 10)}, UTC) ·
${DAY_CHOICES.map((d) => (d === days ? html`<strong>${d}d</strong> ` : html`<a href="/admin?days=${d}">${d}d</a> `))}
· <a href="/admin/api/summary?days=${days}">JSON</a></p>
<section class="kpis">
${kpi('Deflection rate', percent(kpis.deflectionRate), `${kpis.deflected} of ${kpis.questions} questions answered without a person`)}
${kpi('Escalations', String(kpis.escalations), 'requests for a person')}
${kpi('Open tickets', kpis.openTickets === null ? '–' : String(kpis.openTickets), 'waiting for the help desk')}
${kpi('Questions', String(kpis.questions), `${kpis.answered} answered with an article`)}
</section>
${deliveries}
<section class="charts">
<figure class="panel"><figcaption>Questions per day</figcaption><div class="chart-box"><canvas id="chart-outcomes" role="img" aria-label="Answers, clarifications, no-matches and escalations per day"></canvas></div></figure>
<figure class="panel"><figcaption>Feedback per day</figcaption><div class="chart-box"><canvas id="chart-feedback" role="img" aria-label="Solved and Not solved clicks per day"></canvas></div></figure>
</section>
<script type="application/json" id="dashboard-data">${trusted(jsonForScript({ series: summary.series }))}</script>
${table(
  'Knowledge gaps',
  ['Asked', 'Example questions', 'Key words', 'Nearest article'],
  summary.gaps.map(
    (g) => html`<tr><td class="num">${g.count}</td><td><ul class="examples">${g.examples.map((e) => html`<li>${e}</li>`)}</ul></td><td>${g.terms.join(', ')}</td><td>${articleLink(g.nearestArticle, g.nearestTitle)}${g.nearestArticle ? html` <span class="score">(${g.nearestScore.toFixed(2)})</span>` : ''}</td></tr>`,
  ),
  'No unanswered questions in this period.',
)}
${table(
  'Top questions',
  ['Asked', 'Question', 'Usual outcome', 'Article'],
  summary.topQuestions.map((q) => html`<tr><td class="num">${q.count}</td><td>${q.question}</td><td>${q.outcome}</td><td>${articleLink(q.articleId)}</td></tr>`),
  'No questions in this period.',
)}
${table(
  'Not helpful articles',
  ['Article', 'Not solved', 'Solved', 'Shown'],
  summary.notHelpful.map((a) => html`<tr><td>${articleLink(a.articleId, a.title)}</td><td class="num">${a.notSolved}</td><td class="num">${a.solved}</td><td class="num">${a.shown}</td></tr>`),
  'Nobody clicked "Not solved" in this period.',
)}
${table(
  'Stale articles',
  ['Article', 'Reviewed', 'Days ago', 'Owner', 'Why'],
  summary.stale.map((a) => html`<tr><td>${articleLink(a.id, a.title)}</td><td>${a.reviewed}</td><td class="num">${a.daysSinceReview}</td><td>${a.owner || '–'}</td><td>${a.reasons.join(', ')}</td></tr>`),
  'Every article was reviewed within a year and has an owner.',
)}
${table(
  'Open tickets',
  ['Ticket', 'Opened (UTC)', 'Urgency', 'Status', 'Queue', 'Role'],
  summary.tickets.map((t) => html`<tr class="${t.urgency === 'urgent' ? 'urgent' : ''}"><td>${t.id}</td><td>${t.createdAt.slice(0, 16).replace('T', ' ')}</td><td>${t.urgency}</td><td>${t.status}</td><td>${t.queue ?? '–'}</td><td>${t.role ?? '–'}</td></tr>`),
  kpis.openTickets === null ? 'Tickets are not available.' : 'No open tickets.',
)}`;
  return page({
    title: 'Analytics',
    body,
    bodyClass: 'admin',
    scripts: ['vendor/chart.umd.js', 'admin.js'],
    nav: [{ href: '/admin', label: 'Dashboard' }, { href: '/admin/notices', label: 'Notices & alerts' }, { href: '/admin/suggestions', label: 'Suggestions' }, { href: '/kb', label: 'Articles' }],
  });
}

/** Registers GET /admin, GET /admin/api/summary and POST /admin/outbox/:id/retry behind ADMIN_TOKEN. */
export function registerAdmin(server: Server, ctx: AppContext): void {
  server.get('/admin', async (req: Request, res: Response) => {
    const { access, params } = accessOf(req, ctx);
    if (access === 'disabled' || access === 'denied') return deny(res, access, false);
    if (access === 'granted-by-query') {
      // Swap the token in the URL (history, logs) for a cookie, then show the page at a clean address.
      const cookie = sessionCookie(req, ctx);
      const days = daysOf(params);
      res.sendRaw(303, '', { Location: days === DEFAULT_DAYS ? '/admin' : `/admin?days=${days}`, 'Set-Cookie': cookie, 'Cache-Control': 'no-store' });
      return;
    }
    const days = daysOf(params);
    try {
      const deliveries = await deliveriesPanel(ctx, csrfToken(ctx.config.ADMIN_TOKEN as string));
      sendHtml(res, 200, dashboardPage(await summaryFor(ctx, days), days, deliveries));
    } catch (err) {
      ctx.logger.error({ err: { name: (err as Error).name, message: String((err as Error).message).slice(0, 200) } }, 'dashboard failed');
      sendHtml(res, 503, messagePage('Dashboard unavailable', 'The analytics database could not be read. Try again in a minute.'));
    }
  });

  // Retry a delivery that gave up. A plain form POST (no body) whose action URL carries the CSRF token.
  server.post('/admin/outbox/:id/retry', async (req: Request, res: Response) => {
    const { access, params } = accessOf(req, ctx);
    if (access !== 'granted') return deny(res, access === 'disabled' ? access : 'denied', false);
    if (!csrfMatches(ctx.config.ADMIN_TOKEN as string, params.get('csrf'))) {
      return sendHtml(res, 403, messagePage('Not allowed', 'This retry link is not valid. Open the dashboard and press Retry there.'));
    }
    try {
      const done = await retryDelivery(ctx, Number(req.params?.id));
      if (!done) return sendHtml(res, 404, messagePage('Nothing to retry', 'That delivery is not waiting for a retry any more. Go back to the dashboard.'));
      res.sendRaw(303, '', { Location: '/admin#deliveries', 'Cache-Control': 'no-store' });
    } catch (err) {
      ctx.logger.error({ err: { name: (err as Error).name, message: String((err as Error).message).slice(0, 200) } }, 'delivery retry failed');
      sendHtml(res, 503, messagePage('Try again', 'The database could not be updated. Try again in a minute.'));
    }
  });

  server.get('/admin/api/summary', async (req: Request, res: Response) => {
    const { access, params } = accessOf(req, ctx);
    if (access === 'disabled' || access === 'denied') return deny(res, access, true);
    try {
      res.header('Cache-Control', 'no-store');
      res.send(200, await summaryFor(ctx, daysOf(params)));
    } catch (err) {
      ctx.logger.error({ err: { name: (err as Error).name, message: String((err as Error).message).slice(0, 200) } }, 'summary failed');
      res.send(503, { error: 'analytics database unavailable' });
    }
  });
}
