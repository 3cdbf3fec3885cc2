import { expect } from 'chai';
import { cardsOf, startTestApp, textOf, type TestApp } from '../helpers/app.js';

/** Test settings for Direct Line in production mode (MicrosoftAppId set). */
export const DL_SECRET = 'test-direct-line-secret-0123456789';
export const ALLOWED_ORIGIN = 'https://ehr.example.org';

/** Starts Elbow in production mode with Direct Line on; `clock` is a settable fake time. */
export async function startDirectLineApp(env: Record<string, string> = {}, clock?: { now: number }): Promise<TestApp> {
  return startTestApp(
    { MicrosoftAppId: '00000000-0000-0000-0000-00000000e1b0', MicrosoftAppPassword: 'unused-in-tests', DIRECT_LINE_SECRET: DL_SECRET, EMBED_ALLOWED_ORIGINS: ALLOWED_ORIGIN, ...env },
    clock ? { now: () => new Date(clock.now) } : {},
  );
}

/** A JSON call to the Direct Line API: status and parsed body. */
export async function dl(app: TestApp, method: string, path: string, opts: { auth?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(`${app.url}/v3/directline${path}`, {
    method,
    headers: { ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}), ...(opts.auth ? { authorization: `Bearer ${opts.auth}` } : {}), ...opts.headers },
    body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
  });
  const raw = await res.text();
  return { status: res.status, body: raw ? JSON.parse(raw) : undefined, headers: res.headers };
}

/** What the login page's backend does: a token for a signed-in user. */
export async function generateToken(app: TestApp, user: Record<string, unknown>): Promise<{ token: string; conversationId: string }> {
  const res = await dl(app, 'POST', '/tokens/generate', { auth: DL_SECRET, body: { user } });
  expect(res.status).to.equal(200);
  return res.body;
}

/** Polls GET activities until `done` holds for the bot's activities so far (or fails after `ms`). */
export async function pollUntil(app: TestApp, token: string, conversationId: string, done: (activities: any[]) => boolean, ms = 5000): Promise<any[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const res = await dl(app, 'GET', `/conversations/${conversationId}/activities?watermark=0`, { auth: token });
    expect(res.status).to.equal(200);
    const fromBot = (res.body.activities as any[]).filter((a) => a.from?.role === 'bot' && a.type === 'message');
    if (done(fromBot)) return fromBot;
    if (Date.now() > deadline) throw new Error(`condition not met; bot said: ${textOf(fromBot).slice(0, 300)}`);
    // Poll as Web Chat does (not in a tight loop, which the per-token read limit would rightly refuse).
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** True when one of the activities carries the role question card. */
export function asksRole(activities: any[]): boolean {
  return cardsOf(activities).some((card) => JSON.stringify(card).includes('"action":"role"'));
}
