import { expect } from 'chai';
import { pino } from 'pino';
import { AnalyticsRecorder } from '../../bot/analytics/recorder.js';
import { createTicket } from '../../bot/escalation/tickets.js';
import { adminAccess, sessionValue } from '../../bot/web/admin-auth.js';
import { secretMatches } from '../../bot/secrets.js';
import { csrfToken } from '../../bot/web/admin-deliveries.js';
import { ticketInput } from '../escalation/fixtures.js';
import { feedbackEvent, manualSchedule, turnEvent } from '../analytics/events.js';
import { get, inlineCodeOf, startWebServer, type WebServer } from './web-server.js';

const TOKEN = 'correct-horse-battery-staple-0123456789';
const NOW = new Date('2026-05-20T12:00:00Z');

describe('/admin without ADMIN_TOKEN', () => {
  let web: WebServer;
  before(async () => {
    web = await startWebServer();
  });
  after(async () => {
    await web.close();
  });

  it('is disabled: 404 "admin disabled" for the page and the API, whatever is presented', async () => {
    const page = await get(web.url, '/admin?token=anything');
    expect(page.status).to.equal(404);
    expect(page.body).to.include('admin disabled');
    const api = await get(web.url, '/admin/api/summary', { Authorization: 'Bearer anything' });
    expect(api.status).to.equal(404);
    expect(JSON.parse(api.body)).to.deep.equal({ error: 'admin disabled' });
  });
});

describe('/admin with ADMIN_TOKEN', () => {
  let web: WebServer;
  before(async () => {
    web = await startWebServer({ env: { ADMIN_TOKEN: TOKEN }, now: () => NOW });
    const recorder = new AnalyticsRecorder({ db: web.ctx.db, logger: pino({ level: 'silent' }), schedule: manualSchedule().schedule });
    const day = (d: number, h = 9, m = 0) => new Date(Date.UTC(2026, 4, d, h, m));
    recorder.turn(turnEvent({ userHash: 'a', at: day(18), outcome: 'answer', question: 'reset my password' }));
    recorder.turn(turnEvent({ userHash: 'b', at: day(19), outcome: 'answer', question: 'reset my password' }));
    recorder.turn(turnEvent({ userHash: 'b', at: day(19, 9, 10), outcome: 'escalate', articleId: null, question: 'talk to a person' }));
    recorder.turn(turnEvent({ userHash: 'c', at: day(19), outcome: 'no-match', articleId: null, question: '<script>alert("gap")</script> wheelchair order' }));
    recorder.feedback(feedbackEvent({ at: day(18), articleId: 'password-reset', value: 'not-solved' }));
    await recorder.close();
  });
  after(async () => {
    await web.close();
  });

  it('answers 401 with a sign-in form without a token, or with a wrong one', async () => {
    const cases: Array<[string, Record<string, string>]> = [
      ['/admin', {}],
      ['/admin', { Authorization: `Bearer ${TOKEN}x` }],
      ['/admin', { Authorization: `Basic ${Buffer.from(`admin:${TOKEN}`).toString('base64')}` }],
      ['/admin?token=wrong', {}],
      [`/admin?token=${'x'.repeat(10_000)}`, {}],
      ['/admin', { Cookie: `elbow_admin=${TOKEN}` }],
      ['/admin', { Cookie: 'elbow_admin=' }],
    ];
    for (const [url, headers] of cases) {
      const res = await get(web.url, url, headers);
      expect(res.status, `${url.slice(0, 30)} ${JSON.stringify(headers).slice(0, 40)}`).to.equal(401);
      expect(res.body).to.include('name="token"');
      expect(res.body).not.to.include('Deflection rate');
    }
    const api = await get(web.url, '/admin/api/summary', { Authorization: 'Bearer nope' });
    expect(api.status).to.equal(401);
    expect(api.headers.get('www-authenticate')).to.match(/^Bearer/);
  });

  it('serves the dashboard for a valid bearer token: KPIs, chart canvases and their data as JSON', async () => {
    const { status, headers, body } = await get(web.url, '/admin?days=7', { Authorization: `Bearer ${TOKEN}` });
    expect(status).to.equal(200);
    expect(headers.get('cache-control')).to.equal('no-store');
    expect(body).to.include('Deflection rate');
    expect(body).to.match(/<span class="kpi-value">25%<\/span><span class="kpi-label">Deflection rate/);
    expect(body).to.match(/<span class="kpi-value">1<\/span><span class="kpi-label">Escalations/);
    expect(body).to.include('<canvas id="chart-outcomes"').and.to.include('<canvas id="chart-feedback"');
    expect(body).to.match(/<script src="\/static\/vendor\/chart\.umd\.js\?v=[0-9a-f]+"><\/script>/);
    expect(body).to.match(/<script src="\/static\/admin\.js\?v=[0-9a-f]+"><\/script>/);
    const json = /<script type="application\/json" id="dashboard-data">([\s\S]*?)<\/script>/.exec(body)?.[1];
    const data = JSON.parse(json as string);
    expect(data.series.days).to.have.length(8);
    expect(data.series.answers.reduce((a: number, b: number) => a + b, 0)).to.equal(2);
    for (const heading of ['Knowledge gaps', 'Top questions', 'Not helpful articles', 'Stale articles', 'Open tickets']) expect(body).to.include(`<h2>${heading}</h2>`);
    expect(inlineCodeOf(body)).to.deep.equal({ inlineScripts: [], styleAttributes: 0, styleTags: 0 });
  });

  it('escapes user questions on the dashboard', async () => {
    const { body } = await get(web.url, '/admin', { Authorization: `Bearer ${TOKEN}` });
    expect(body).not.to.include('<script>alert');
    expect(body).to.include('&lt;script&gt;alert(&quot;gap&quot;)&lt;/script&gt; wheelchair order');
  });

  it('swaps ?token= for an HttpOnly SameSite=Strict cookie and redirects to a clean URL', async () => {
    const res = await get(web.url, `/admin?token=${encodeURIComponent(TOKEN)}&days=90`);
    expect(res.status).to.equal(303);
    expect(res.headers.get('location')).to.equal('/admin?days=90');
    const cookie = res.headers.get('set-cookie') as string;
    expect(cookie).to.match(/^elbow_admin=[0-9a-f]{64}; Path=\/admin; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    expect(cookie).not.to.include(TOKEN);
    const session = cookie.split(';')[0];
    const page = await get(web.url, '/admin?days=90', { Cookie: `other=1; ${session}` });
    expect(page.status).to.equal(200);
    expect(page.body).to.include('Last 90 days');
    const api = await get(web.url, '/admin/api/summary', { Cookie: session });
    expect(api.status).to.equal(200);
  });

  it('marks the cookie Secure behind HTTPS', async () => {
    const res = await get(web.url, `/admin?token=${encodeURIComponent(TOKEN)}`, { 'X-Forwarded-Proto': 'https' });
    expect(res.headers.get('set-cookie')).to.match(/; Secure$/);
  });

  it('serves the same numbers as JSON at /admin/api/summary', async () => {
    const res = await get(web.url, '/admin/api/summary?days=7', { Authorization: `Bearer ${TOKEN}` });
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/application\/json/);
    const summary = JSON.parse(res.body);
    expect(summary.kpis).to.include({ questions: 4, answered: 2, deflected: 1, escalations: 1, deflectionRate: 0.25 });
    expect(summary.notHelpful[0]).to.include({ articleId: 'password-reset', notSolved: 1 });
    expect(summary.gaps[0].count).to.equal(1);
    expect(summary).to.include.keys(['series', 'topQuestions', 'stale', 'tickets', 'window']);
  });
});

describe('admin token checks', () => {
  it('compares secrets by digest, so any length is safe', () => {
    expect(secretMatches('abc', 'abc')).to.equal(true);
    expect(secretMatches('abc', 'abd')).to.equal(false);
    expect(secretMatches('abc', 'abcd')).to.equal(false);
    expect(secretMatches('abc', '')).to.equal(false);
    expect(secretMatches('abc', undefined)).to.equal(false);
    expect(secretMatches('abc', 'x'.repeat(100_000))).to.equal(false);
  });

  it('grants access by bearer, session cookie or query token, and nothing else', () => {
    expect(adminAccess(undefined, { bearer: 'x' })).to.equal('disabled');
    expect(adminAccess('t', { bearer: 't' })).to.equal('granted');
    expect(adminAccess('t', { cookie: sessionValue('t') })).to.equal('granted');
    expect(adminAccess('t', { cookie: 't' })).to.equal('denied');
    expect(adminAccess('t', { query: 't' })).to.equal('granted-by-query');
    expect(adminAccess('t', { bearer: 'u', cookie: sessionValue('u'), query: 'u' })).to.equal('denied');
    expect(sessionValue('t')).not.to.equal(sessionValue('u'));
  });
});

describe('/admin failed deliveries', () => {
  let web: WebServer;
  let outboxId: number;
  const auth = { Authorization: `Bearer ${TOKEN}` };
  before(async () => {
    web = await startWebServer({ env: { ADMIN_TOKEN: TOKEN }, now: () => NOW });
    const ticket = await createTicket(web.ctx.db, ticketInput(), NOW, ['webhook']);
    const [row] = await web.ctx.db.query<{ id: string }>(
      "UPDATE outbox SET status = 'dead', attempts = 8, last_error = 'Error: webhook answered HTTP 404' WHERE ticket_id = $1 RETURNING id",
      [ticket.id],
    );
    outboxId = Number(row!.id);
  });
  after(async () => {
    await web.close();
  });
  const post = (path: string, headers: Record<string, string> = {}) => fetch(`${web.url}${path}`, { method: 'POST', headers, redirect: 'manual' });

  it('lists dead rows with a Retry form, and warns when no delivery is configured', async () => {
    const { body } = await get(web.url, '/admin', auth);
    expect(body).to.include('<h2>Failed deliveries</h2>').and.to.include('webhook answered HTTP 404');
    expect(body).to.include(`action="/admin/outbox/${outboxId}/retry?csrf=${csrfToken(TOKEN)}"`);
    expect(body).to.include('No help-desk delivery configured');
  });

  it('retries only with the admin token and the CSRF token, then the row is pending again', async () => {
    expect((await post(`/admin/outbox/${outboxId}/retry?csrf=${csrfToken(TOKEN)}`)).status).to.equal(401);
    expect((await post(`/admin/outbox/${outboxId}/retry`, auth)).status).to.equal(403);
    expect((await post(`/admin/outbox/${outboxId}/retry?csrf=${csrfToken('other')}`, auth)).status).to.equal(403);
    const ok = await post(`/admin/outbox/${outboxId}/retry?csrf=${csrfToken(TOKEN)}`, { Cookie: `elbow_admin=${sessionValue(TOKEN)}` });
    expect(ok.status).to.equal(303);
    const [row] = await web.ctx.db.query<{ status: string; attempts: number }>('SELECT status, attempts FROM outbox WHERE id = $1', [outboxId]);
    expect(row).to.deep.equal({ status: 'pending', attempts: 0 });
    expect((await post(`/admin/outbox/${outboxId}/retry?csrf=${csrfToken(TOKEN)}`, auth)).status).to.equal(404);
  });
});
