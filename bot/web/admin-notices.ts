import type { Request, Response, Server } from 'restify';
import type { NoticeBoard } from '../notices/board.js';
import { recentAlerts } from '../notices/alerts.js';
import { accessOf } from './admin-auth.js';
import type { AppContext } from '../context.js';
import { html, messagePage, page, sendHtml } from './html.js';

/** Navigation of the admin pages. */
export const ADMIN_NAV = [
  { href: '/admin', label: 'Dashboard' },
  { href: '/admin/notices', label: 'Notices & alerts' },
  { href: '/admin/suggestions', label: 'Suggestions' },
  { href: '/kb', label: 'Articles' },
];

/** Runs an admin handler when ADMIN_TOKEN grants access (cookie or bearer); 404/401 otherwise, 503 on failure. */
export function adminOnly(ctx: AppContext, json: boolean, handler: (req: Request, res: Response) => Promise<void>) {
  return async (req: Request, res: Response) => {
    const { access } = accessOf(req, ctx);
    if (access === 'disabled') return json ? void res.send(404, { error: 'admin disabled' }) : sendHtml(res, 404, messagePage('Admin disabled', 'admin disabled: set ADMIN_TOKEN.'));
    if (access !== 'granted') {
      res.header('WWW-Authenticate', 'Bearer realm="elbow-admin"');
      return json ? void res.send(401, { error: 'admin token required' }) : sendHtml(res, 401, messagePage('Sign in', 'Open /admin?token=… first.'));
    }
    try {
      await handler(req, res);
    } catch (err) {
      ctx.logger.error({ err: String((err as Error).message).slice(0, 200) }, 'admin page failed');
      if (json) res.send(503, { error: 'database unavailable' });
      else sendHtml(res, 503, messagePage('Unavailable', 'The database could not be read. Try again in a minute.'));
    }
  };
}

function when(date: Date | null | undefined): string {
  return date ? `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC` : '–';
}

/** GET /admin/notices (form, notices with "End now", burst alerts) and GET /admin/api/alerts. */
export function registerAdminNotices(server: Server, ctx: AppContext, board: NoticeBoard, burstState: { lastCheck: Date | null }): void {
  server.get('/admin/notices', adminOnly(ctx, false, async (req, res) => {
    await board.refresh();
    const params = new URL(req.url ?? '/', 'http://local').searchParams;
    const now = ctx.now();
    const active = new Set(board.active(now).map((n) => n.id));
    const notices = board.all().sort((a, b) => b.starts.getTime() - a.starts.getTime());
    const alerts = await recentAlerts(ctx.db);
    const defaultEnds = new Date(now.getTime() + 4 * 3_600_000).toISOString().slice(0, 16);
    const body = html`<h1>Known issues and outage bursts</h1>
<section class="panel"><h2>Post a notice</h2>
<form id="notice-form" class="notice-form">
<label for="notice-title">Title</label><input id="notice-title" name="title" required maxlength="120" value="${params.get('title') ?? ''}">
<label for="notice-articles">Article ids (comma separated)</label><input id="notice-articles" name="articles" required value="${params.get('articles') ?? ''}">
<label for="notice-ends">Ends (UTC)</label><input id="notice-ends" name="ends" type="datetime-local" required value="${defaultEnds}">
<label for="notice-units">Units (optional, comma separated)</label><input id="notice-units" name="units">
<label for="notice-body">What to do meanwhile</label><textarea id="notice-body" name="body" required maxlength="2000" rows="3"></textarea>
<button type="submit">Post notice</button>
<p id="notice-status" class="status" role="status"></p>
</form></section>
<section class="panel"><h2>Notices</h2>${
      notices.length
        ? html`<table id="notices"><thead><tr><th scope="col">Notice</th><th scope="col">Articles</th><th scope="col">Starts</th><th scope="col">Ends</th><th scope="col">Source</th><th scope="col"></th></tr></thead><tbody>${notices.map(
            (n) => html`<tr data-notice="${n.id}"><td><strong>${n.title}</strong><br><span class="score">${n.body}</span></td><td>${n.articles.join(', ')}</td><td>${when(n.starts)}</td><td>${when(n.endedAt && n.endedAt < n.ends ? n.endedAt : n.ends)}</td><td>${n.source}</td><td>${active.has(n.id) ? html`<button type="button" class="end-notice" data-id="${n.id}">End now</button>` : 'over'}</td></tr>`,
          )}</tbody></table>`
        : html`<p class="empty">No notices.</p>`
    }</section>
<section class="panel"><h2>Burst alerts</h2><p class="window">Last check: ${when(burstState.lastCheck)}</p>${
      alerts.length
        ? html`<table id="alerts"><thead><tr><th scope="col">Raised</th><th scope="col">Kind</th><th scope="col">About</th><th scope="col">Clinicians</th><th scope="col">Sample questions</th><th scope="col">Delivery</th><th scope="col">Status</th></tr></thead><tbody>${alerts.map((a) => {
            const p = a.payload as { articleId?: string | null; title?: string; users?: number; sampleQuestions?: string[]; owner?: string };
            const prefill = new URLSearchParams({ title: p.title ? `Known issue: ${p.title}` : '', articles: p.articleId ?? '' });
            return html`<tr><td>${when(a.createdAt)}</td><td>${a.kind}</td><td>${p.title ?? p.owner ?? a.key}</td><td class="num">${p.users ?? ''}</td><td><ul class="examples">${(p.sampleQuestions ?? []).map((q) => html`<li>${q}</li>`)}</ul></td><td>${a.deliveries.map((d) => `${d.channel}: ${d.status}`).join(', ') || 'no channel set'}</td><td>${a.kind === 'digest' ? 'weekly digest' : a.endedAt ? `ended ${when(a.endedAt)}` : html`open · <a href="/admin/notices?${prefill.toString()}">Post a notice</a>`}</td></tr>`;
          })}</tbody></table>`
        : html`<p class="empty">No burst alerts.</p>`
    }</section>`;
    sendHtml(res, 200, page({ title: 'Notices', body, bodyClass: 'admin', scripts: ['admin-actions.js'], nav: ADMIN_NAV }));
  }));

  server.get('/admin/api/alerts', adminOnly(ctx, true, async (_req, res) => {
    res.header('Cache-Control', 'no-store');
    res.send(200, { lastCheck: burstState.lastCheck?.toISOString() ?? null, alerts: await recentAlerts(ctx.db, 50) });
  }));
}
