import { expect } from 'chai';
import { startTestApp, teamsMessage, textOf, type TestApp } from '../helpers/app.js';
import { authEnv, startLocalIssuer, type LocalIssuer } from '../helpers/jwt.js';
import { startFakeConnector, type FakeConnector } from '../helpers/fake-connector.js';

const APP_ID = '3f9a1c2e-5b7d-4e8f-9a0b-1c2d3e4f5a6b';
const OTHER_APP_ID = '99999999-8888-7777-6666-555555555555';
const ADMIN_TOKEN = 'admin-token-for-tests-0123456789abcdef';
const CALLBACK_TOKEN = 'callback-token-for-tests-0123456789abcdef';
/** An issuer botbuilder treats as the Bot Framework Emulator's (validated against the emulator metadata). */
const EMULATOR_ISSUER = 'https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/';
/** Well-known CDN hosts: nothing Elbow serves may load from them. */
const CDN = /(?:cdn|unpkg|jsdelivr|cdnjs|googleapis|gstatic|bootstrapcdn|cloudflare|fontawesome|jquery)\.|\/\/cdn\b/i;

describe('Security: authentication and hardening with MicrosoftAppId set', () => {
  let issuer: LocalIssuer;
  let connector: FakeConnector;
  let app: TestApp;

  before(async () => {
    issuer = await startLocalIssuer();
    connector = await startFakeConnector();
    app = await startTestApp({ ...authEnv(issuer, APP_ID), ADMIN_TOKEN, TICKET_CALLBACK_TOKEN: CALLBACK_TOKEN });
  });
  after(async () => {
    await app?.stop();
    await connector?.close();
    await issuer?.close();
  });

  /** A Teams message addressed to our fake connector, with deliveryMode expectReplies. */
  const activity = (text = 'how do I reset my password', channelId = 'msteams') => ({
    ...teamsMessage(text),
    channelId,
    serviceUrl: connector.url,
    deliveryMode: 'expectReplies',
  });
  const post = async (body: Record<string, unknown>, authorization?: string) => {
    const res = await fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization !== undefined ? { authorization } : {}) },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, text };
  };
  const valid = (extra: Record<string, unknown> = {}) => issuer.token({ aud: APP_ID, serviceurl: connector.url, ...extra });

  describe('POST /api/messages', () => {
    it('accepts a valid channel token and answers (keys fetched from the local issuer, not the internet)', async () => {
      const res = await fetch(`${app.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await valid()}` },
        body: JSON.stringify(activity()),
      });
      expect(res.status).to.equal(200);
      const body = (await res.json()) as { activities: Array<Record<string, unknown>> };
      expect(textOf(body.activities)).to.match(/password/i);
      expect(issuer.fetches()).to.be.greaterThan(0);
    });

    const rejected: Array<[string, () => Promise<string | undefined>]> = [
      ['no Authorization header', async () => undefined],
      ['an empty Authorization header', async () => ''],
      ['a Basic scheme', async () => 'Basic dXNlcjpwYXNz'],
      ['a bearer that is not a JWT', async () => 'Bearer not.a.jwt'],
      ['a bearer with three junk segments', async () => 'Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln'],
      ['"Bearer" with no token', async () => 'Bearer '],
      ['an expired token', async () => `Bearer ${await issuer.token({ aud: APP_ID, serviceurl: connector.url }, { expiresIn: -3600 })}`],
      ['a token signed with an unpublished key under the published kid', async () => `Bearer ${await issuer.token({ aud: APP_ID, serviceurl: connector.url }, { foreignKey: true })}`],
      ['a token signed with an unpublished key under an unknown kid', async () => `Bearer ${await issuer.token({ aud: APP_ID, serviceurl: connector.url }, { foreignKey: true, kid: 'attacker-key' })}`],
      ['a token for another bot (wrong audience)', async () => `Bearer ${await issuer.token({ aud: OTHER_APP_ID, serviceurl: connector.url })}`],
      ['a token from another issuer', async () => `Bearer ${await valid({ iss: 'https://evil.example.org' })}`],
      ['a token whose serviceurl claim differs from the activity', async () => `Bearer ${await valid({ serviceurl: 'https://evil.example.org/' })}`],
      ['an HS256 token (algorithm confusion)', async () => `Bearer ${await issuer.token({ aud: APP_ID, serviceurl: connector.url }, { alg: 'HS256' })}`],
      ['an unsigned token (alg none)', async () => `Bearer ${unsigned({ iss: issuer.issuer, aud: APP_ID, serviceurl: connector.url })}`],
      ['an emulator-issuer token signed with an unpublished key', async () => `Bearer ${await issuer.token({ aud: APP_ID, iss: EMULATOR_ISSUER, ver: '1.0', appid: APP_ID }, { foreignKey: true })}`],
      ['a skill-style token from another bot', async () => `Bearer ${await valid({ ver: '1.0', appid: OTHER_APP_ID })}`],
    ];
    for (const [name, header] of rejected) {
      it(`rejects ${name} with 401`, async () => {
        const { status, text } = await post(activity(), await header());
        expect(status, text).to.equal(401);
        expect(text).not.to.match(/at .+\.js:\d+/); // no stack traces in the response
      });
    }

    it('rejects a valid token used for a channel its signing key is not endorsed for', async () => {
      const { status } = await post(activity('reset my password', 'slack'), `Bearer ${await valid()}`);
      expect(status).to.equal(401);
    });

    it('does not run the turn for a rejected request (no reply posted to the channel)', async () => {
      const before = connector.received.length;
      await post({ ...activity(), deliveryMode: 'normal' }, `Bearer ${await valid({ aud: OTHER_APP_ID })}`);
      expect(connector.received.length).to.equal(before);
    });
  });

  describe('other protected routes', () => {
    it('serves no /chat outside local mode', async () => {
      expect((await fetch(`${app.url}/chat`)).status).to.equal(404);
    });

    it('asks for the admin token on /admin and rejects a wrong one', async () => {
      expect((await fetch(`${app.url}/admin`)).status).to.equal(401);
      expect((await fetch(`${app.url}/admin`, { headers: { authorization: 'Bearer wrong' } })).status).to.equal(401);
      expect((await fetch(`${app.url}/admin?token=wrong`, { redirect: 'manual' })).status).to.equal(401);
      const ok = await fetch(`${app.url}/admin`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      expect(ok.status).to.equal(200);
    });

    it('requires the callback token on POST /api/tickets/:id/status', async () => {
      const body = JSON.stringify({ status: 'resolved' });
      const headers = { 'content-type': 'application/json' };
      expect((await fetch(`${app.url}/api/tickets/ELB-1001/status`, { method: 'POST', headers, body })).status).to.equal(401);
      const wrong = await fetch(`${app.url}/api/tickets/ELB-1001/status`, { method: 'POST', headers: { ...headers, authorization: 'Bearer wrong' }, body });
      expect(wrong.status).to.equal(401);
      const admin = await fetch(`${app.url}/api/tickets/ELB-1001/status`, { method: 'POST', headers: { ...headers, authorization: `Bearer ${ADMIN_TOKEN}` }, body });
      expect(admin.status, 'the admin token is not the callback token').to.equal(401);
      const right = await fetch(`${app.url}/api/tickets/ELB-1001/status`, { method: 'POST', headers: { ...headers, authorization: `Bearer ${CALLBACK_TOKEN}` }, body });
      expect(right.status, 'a right token reaches the route (unknown ticket)').to.equal(404);
    });
  });

  describe('HTML pages', () => {
    it('escapes hostile questions shown on the dashboard (no stored XSS)', async () => {
      const payloads = ['<img src=x onerror=alert(1)>', '</script><script>alert(1)</script>', '"><svg onload=alert(1)>'];
      for (const [i, payload] of payloads.entries()) {
        for (const outcome of ['no-match', 'answer']) {
          await app.ctx.db.query(
            `INSERT INTO turns (turn_id, at, user_hash, role, channel, conversation_type, outcome, article_id, question_redacted)
             VALUES ($1, $2, 'feedfacefeedface', 'nurse', 'msteams', 'personal', $3, $4, $5)`,
            [`xss-${i}-${outcome}`, new Date(), outcome, outcome === 'answer' ? 'password-reset' : null, payload],
          );
        }
      }
      const res = await fetch(`${app.url}/admin`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      expect(res.status).to.equal(200);
      const html = await res.text();
      for (const payload of payloads) expect(html).not.to.include(payload);
      expect(html, 'the questions are shown, escaped').to.include('&lt;img src=x onerror=alert(1)&gt;');
      expect(html).not.to.match(/<(?:img|svg)[^>]*\son\w+=/i);
    });

    it('carry a strict CSP and the usual security headers, and load nothing from a CDN', async () => {
      const articleId = app.ctx.knowledge.current().articles[0].id;
      const pages = [`/kb/${articleId}`, '/kb', '/admin', `/admin?days=7`];
      for (const page of pages) {
        const res = await fetch(`${app.url}${page}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
        const html = await res.text();
        if (!(res.headers.get('content-type') ?? '').includes('text/html')) continue;
        expectSecurePage(page, res.headers, html);
      }
    });
  });
});

describe('Security: local mode pages', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(async () => {
    await app?.stop();
  });

  it('/chat, /kb and their scripts carry the CSP and load nothing from a CDN', async () => {
    const res = await fetch(`${app.url}/chat`);
    expect(res.status).to.equal(200);
    const html = await res.text();
    expectSecurePage('/chat', res.headers, html);
    const scripts = [...html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]);
    expect(scripts.length, 'the chat page loads its script from us').to.be.greaterThan(0);
    for (const src of scripts) {
      expect(src, 'same-origin script').to.match(/^\//);
      const js = await fetch(`${app.url}${src}`);
      expect(js.status).to.equal(200);
      expect(js.headers.get('x-content-type-options')).to.equal('nosniff');
      expect(await js.text()).not.to.match(CDN);
    }
  });

  it('escapes hostile text echoed into pages (no reflected script)', async () => {
    const res = await fetch(`${app.url}/kb/%3Cscript%3Ealert(1)%3C%2Fscript%3E`);
    expect(await res.text()).not.to.include('<script>alert(1)</script>');
  });
});

function expectSecurePage(page: string, headers: Headers, html: string): void {
  const csp = headers.get('content-security-policy') ?? '';
  expect(csp, `${page}: CSP`).to.match(/script-src[^;]*'self'/);
  const scriptSrc = /script-src([^;]*)/.exec(csp)?.[1] ?? /default-src([^;]*)/.exec(csp)?.[1] ?? '';
  expect(scriptSrc, `${page}: script-src`).not.to.include("'unsafe-inline'");
  expect(scriptSrc, `${page}: script-src`).not.to.include("'unsafe-eval'");
  expect(csp, `${page}: frame-ancestors`).to.include("frame-ancestors 'none'");
  expect(headers.get('x-content-type-options'), `${page}: nosniff`).to.equal('nosniff');
  expect(headers.get('referrer-policy'), `${page}: referrer-policy`).to.be.a('string');
  expect(html, `${page}: CDN`).not.to.match(CDN);
  for (const m of html.matchAll(/<(?:script|link|img|iframe)[^>]*\b(?:src|href)="([^"]+)"/gi)) {
    expect(m[1], `${page}: external resource`).not.to.match(/^(?:https?:)?\/\//i);
  }
  // Executable inline scripts are banned; a JSON data block (type="application/json") is data, not code.
  expect(html, `${page}: inline script`).not.to.match(/<script(?![^>]*\b(?:src=|type="application\/json"))[^>]*>\s*\S/i);
  expect(html, `${page}: inline event handler`).not.to.match(/<[a-z][^>]*\son[a-z]+\s*=/i);
}

/** A JWT with `alg: none` and no signature. */
function unsigned(claims: Record<string, unknown>): string {
  const now = Math.floor(Date.now() / 1000);
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${enc({ alg: 'none', typ: 'JWT' })}.${enc({ ...claims, iat: now, nbf: now, exp: now + 3600 })}.`;
}
