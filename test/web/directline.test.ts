import { createRequire } from 'node:module';
import { expect } from 'chai';
import { DirectLine, ConnectionStatus } from 'botframework-directlinejs';
import WebSocket from 'ws';
import { cardsOf, textOf, type TestApp } from '../helpers/app.js';
import { ALLOWED_ORIGIN, asksRole, DL_SECRET, dl, generateToken, pollUntil, startDirectLineApp } from './directline-client.js';

const PHYSICIAN = { id: 'dl_phys_1', name: 'Dr Test', role: 'physician' };
const QUESTION = 'why is my patient list incomplete';

describe('Direct Line 3.0 (production mode)', function () {
  this.timeout(20_000);
  const clock = { now: Date.parse('2026-11-10T09:00:00Z') };
  let app: TestApp;
  let expectedTitle: string;

  before(async function () {
    this.timeout(90_000); // a first PGlite start (template initdb) is slow on a busy machine
    app = await startDirectLineApp({ TICKET_CALLBACK_TOKEN: 'callback-token-for-tests' }, clock);
    expectedTitle = app.ctx.knowledge.current().byId.get('patient-list-incomplete')!.title;
  });
  after(async () => app?.stop());

  it('a token with user and role: greeting without the role question, then the answer card for a question', async () => {
    const { token, conversationId } = await generateToken(app, PHYSICIAN);
    const started = await dl(app, 'POST', '/conversations', { auth: token });
    expect(started.status).to.equal(201);
    expect(started.body.conversationId).to.equal(conversationId);
    expect(started.body.streamUrl).to.match(/^ws:\/\/.+\/v3\/directline\/conversations\/.+\/stream\?/);
    const greeting = await pollUntil(app, token, conversationId, (a) => a.length > 0);
    expect(textOf(greeting)).to.include("I'm Elbow");
    expect(asksRole(greeting)).to.equal(false);

    const posted = await dl(app, 'POST', `/conversations/${conversationId}/activities`, { auth: token, body: { type: 'message', from: { id: PHYSICIAN.id }, text: QUESTION } });
    expect(posted.status).to.equal(200);
    expect(posted.body.id).to.be.a('string');
    const all = await pollUntil(app, token, conversationId, (a) => cardsOf(a).some((c) => JSON.stringify(c).includes(expectedTitle)));
    expect(asksRole(all)).to.equal(false);
    // The physician's steps come first: the vouched role reached the bot.
    expect(JSON.stringify(cardsOf(all).at(-1))).to.match(/physician/i);
    // The user's own message is echoed with the id the POST returned (Web Chat waits for that echo).
    const echo = await dl(app, 'GET', `/conversations/${conversationId}/activities`, { auth: token });
    expect(echo.body.activities.map((a: any) => a.id)).to.include(posted.body.id);
  });

  it('a returning physician gets "what\'s new" right at the start of a new conversation', async () => {
    const user = { id: 'dl_phys_returning', name: 'Dr Back', role: 'physician' };
    const first = await generateToken(app, user);
    await dl(app, 'POST', '/conversations', { auth: first.token });
    clock.now += 15 * 86_400_000;
    try {
      const second = await generateToken(app, user);
      expect((await dl(app, 'POST', '/conversations', { auth: second.token })).status).to.equal(201);
      const start = await pollUntil(app, second.token, second.conversationId, (a) => a.length >= 2);
      expect(textOf(start)).to.include('Since your last visit (15 days ago)');
      expect(asksRole(start)).to.equal(false);
    } finally {
      clock.now -= 15 * 86_400_000;
    }
  });

  it('a ticket status update (proactive message) reaches the Direct Line conversation', async () => {
    const { token, conversationId } = await generateToken(app, { id: 'dl_nurse_1', name: 'Nurse Test', role: 'nurse' });
    await dl(app, 'POST', '/conversations', { auth: token });
    await dl(app, 'POST', `/conversations/${conversationId}/activities`, { auth: token, body: { type: 'message', text: 'talk to a person' } });
    const replies = await pollUntil(app, token, conversationId, (a) => /\bELB-\d+\b/.test(textOf(a)));
    const ticketId = /\b(ELB-\d+)\b/.exec(textOf(replies))![1];
    const res = await fetch(`${app.url}/api/tickets/${ticketId}/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer callback-token-for-tests' },
      body: JSON.stringify({ status: 'in-progress', note: 'Sam from the help desk is on it.' }),
    });
    expect(res.status).to.equal(200);
    const after = await pollUntil(app, token, conversationId, (a) => textOf(a).includes(`Update on your help-desk ticket ${ticketId}`));
    expect(textOf(after)).to.include('Sam from the help desk is on it.');
  });

  describe('refusals (401/403, never 5xx)', () => {
    let token: string;
    let conversationId: string;
    before(async () => {
      ({ token, conversationId } = await generateToken(app, PHYSICIAN));
      await dl(app, 'POST', '/conversations', { auth: token });
    });

    it('a missing or wrong secret', async () => {
      expect((await dl(app, 'POST', '/tokens/generate', { body: { user: PHYSICIAN } })).status).to.equal(401);
      expect((await dl(app, 'POST', '/tokens/generate', { auth: `${DL_SECRET}x`, body: { user: PHYSICIAN } })).status).to.equal(403);
      // A token is not a secret, and a secret is not a token.
      expect((await dl(app, 'POST', '/tokens/generate', { auth: token, body: { user: PHYSICIAN } })).status).to.equal(403);
      expect((await dl(app, 'POST', '/conversations', { auth: DL_SECRET })).status).to.equal(403);
    });

    it('an expired or forged token', async () => {
      clock.now += 31 * 60_000;
      try {
        expect((await dl(app, 'GET', `/conversations/${conversationId}/activities`, { auth: token })).status).to.equal(403);
        expect((await dl(app, 'POST', '/tokens/refresh', { auth: token })).status).to.equal(403);
      } finally {
        clock.now -= 31 * 60_000;
      }
      const [header, payload] = token.split('.');
      const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), role: 'nurse' })).toString('base64url');
      expect((await dl(app, 'GET', `/conversations/${conversationId}/activities`, { auth: `${header}.${forged}.${token.split('.')[2]}` })).status).to.equal(403);
      expect((await dl(app, 'GET', `/conversations/${conversationId}/activities`)).status).to.equal(401);
    });

    it("another conversation's id", async () => {
      const other = await generateToken(app, { id: 'dl_someone_else' });
      expect((await dl(app, 'GET', `/conversations/${other.conversationId}/activities`, { auth: token })).status).to.equal(403);
      expect((await dl(app, 'POST', `/conversations/${other.conversationId}/activities`, { auth: token, body: { type: 'message', text: 'hi' } })).status).to.equal(403);
      expect((await dl(app, 'GET', `/conversations/${other.conversationId}`, { auth: token })).status).to.equal(403);
    });

    it('a spoofed from.id', async () => {
      const res = await dl(app, 'POST', `/conversations/${conversationId}/activities`, { auth: token, body: { type: 'message', from: { id: 'dl_admin' }, text: 'hi' } });
      expect(res.status).to.equal(403);
      expect((await dl(app, 'POST', '/conversations', { auth: token, body: { user: { id: 'dl_admin' } } })).status).to.equal(403);
    });

    it('a disallowed Origin, while an allowed one gets CORS headers (preflight included)', async () => {
      const evil = { origin: 'https://evil.example.com' };
      expect((await dl(app, 'GET', `/conversations/${conversationId}/activities`, { auth: token, headers: evil })).status).to.equal(403);
      expect((await dl(app, 'OPTIONS', `/conversations/${conversationId}/activities`, { headers: evil })).status).to.equal(403);
      const preflight = await dl(app, 'OPTIONS', `/conversations/${conversationId}/activities`, { headers: { origin: ALLOWED_ORIGIN, 'access-control-request-method': 'POST' } });
      expect(preflight.status).to.equal(204);
      expect(preflight.headers.get('access-control-allow-origin')).to.equal(ALLOWED_ORIGIN);
      expect(preflight.headers.get('access-control-allow-headers')).to.include('x-ms-bot-agent');
      const ok = await dl(app, 'GET', `/conversations/${conversationId}/activities`, { auth: token, headers: { origin: ALLOWED_ORIGIN } });
      expect(ok.status).to.equal(200);
      expect(ok.headers.get('access-control-allow-origin')).to.equal(ALLOWED_ORIGIN);
    });

    it('the stream refuses a bad token, another conversation and a disallowed Origin', async () => {
      const other = await generateToken(app, { id: 'dl_someone_else' });
      const wsBase = app.url.replace('http', 'ws');
      const attempt = (path: string, origin?: string) =>
        new Promise<number>((resolve) => {
          const ws = new WebSocket(`${wsBase}${path}`, origin ? { origin } : {});
          ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
          ws.on('open', () => { ws.close(); resolve(101); });
          ws.on('error', () => resolve(-1));
        });
      expect(await attempt(`/v3/directline/conversations/${conversationId}/stream?t=nonsense`)).to.equal(403);
      expect(await attempt(`/v3/directline/conversations/${conversationId}/stream`)).to.equal(401);
      expect(await attempt(`/v3/directline/conversations/${other.conversationId}/stream?t=${token}`)).to.equal(403);
      expect(await attempt(`/v3/directline/conversations/${conversationId}/stream?t=${token}`, 'https://evil.example.com')).to.equal(403);
      expect(await attempt(`/v3/directline/conversations/${conversationId}/stream?t=${token}`, ALLOWED_ORIGIN)).to.equal(101);
    });

    it('bad bodies are 400, not 500', async () => {
      expect((await dl(app, 'POST', '/tokens/generate', { auth: DL_SECRET, body: { user: { id: 'x', role: 'surgeon' } } })).status).to.equal(400);
      expect((await dl(app, 'POST', `/conversations/${conversationId}/activities`, { auth: token, body: { type: 'conversationUpdate' } })).status).to.equal(400);
      expect((await dl(app, 'POST', `/conversations/${conversationId}/activities`, { auth: token, body: [1, 2] })).status).to.equal(400);
    });
  });

  describe('driven by botframework-directlinejs', () => {
    /** DirectLineJS's REST calls go through RxJS 5's ajax, which needs XMLHttpRequest; Node has fetch, so adapt. */
    const requireRx = createRequire(createRequire(import.meta.url).resolve('botframework-directlinejs'));
    const { Observable } = requireRx('rxjs/Observable');
    const ajax = (request: { method: string; url: string; body?: unknown; headers?: Record<string, string> }) =>
      Observable.create((subscriber: any) => {
        fetch(request.url, { method: request.method, headers: request.headers, body: request.body === undefined ? undefined : JSON.stringify(request.body) })
          .then(async (res) => {
            const raw = await res.text();
            const response = raw ? JSON.parse(raw) : null;
            if (!res.ok) return subscriber.error({ status: res.status, response, xhr: { getResponseHeader: (name: string) => res.headers.get(name) } });
            subscriber.next({ status: res.status, response });
            subscriber.complete();
          })
          .catch((err) => subscriber.error({ status: 0, message: String(err) }));
      });

    for (const webSocket of [false, true]) {
      it(`asks and gets the answer card (${webSocket ? 'WebSocket stream' : 'polling'})`, async () => {
        const { token } = await generateToken(app, { id: `dl_js_${webSocket}`, name: 'Dr Client', role: 'physician' });
        const client = new DirectLine({ token, domain: `${app.url}/v3/directline`, webSocket, pollingInterval: 200, ajax, WebSocket } as any);
        const subscriptions: Array<{ unsubscribe(): void }> = [];
        try {
          const seen: any[] = [];
          const answered = new Promise<void>((resolve) => {
            subscriptions[0] = client.activity$.subscribe((activity: any) => {
              seen.push(activity);
              if (cardsOf([activity]).some((c) => JSON.stringify(c).includes(expectedTitle))) resolve();
            });
          });
          await new Promise<void>((resolve) => {
            subscriptions[1] = client.connectionStatus$.subscribe((s: ConnectionStatus) => s === ConnectionStatus.Online && resolve());
          });
          const id = await new Promise<string>((resolve, reject) =>
            client.postActivity({ type: 'message', from: { id: `dl_js_${webSocket}`, name: 'Dr Client' }, text: QUESTION } as any).subscribe(resolve, reject),
          );
          expect(id).to.match(/\|\d{7}$/);
          await answered;
          expect(asksRole(seen)).to.equal(false);
          expect(seen.some((a) => a.id === id && a.from.role === 'user')).to.equal(true);
        } finally {
          // Unsubscribe first: ending a conversation errors its live observables ("conversation ended").
          subscriptions.forEach((s) => s.unsubscribe());
          client.end();
        }
      });
    }
  });
});
