import type { Request, Response } from 'restify';
import type { AppContext } from '../context.js';
import { bearerToken, derivedSecret, secretMatches } from '../secrets.js';
import { html, messagePage, page, sendHtml } from './html.js';

/**
 * Who may see /admin: ADMIN_TOKEN as `Authorization: Bearer …`, or once as `?token=…` from a browser, which is then
 * swapped for an HttpOnly SameSite=Strict cookie derived from the token (the token itself never sits in the browser).
 */

const COOKIE = 'elbow_admin';
const COOKIE_MAX_AGE_S = 8 * 3600;
/** The cookie value for a token: derived from it, so the token itself never sits in the browser. */
export function sessionValue(token: string): string {
  return derivedSecret(token, 'elbow-admin-session');
}

function cookieOf(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** How a request stands with the admin token. */
export type AdminAccess = 'disabled' | 'denied' | 'granted' | 'granted-by-query';

/** Decides access: no token configured → disabled; a valid bearer, cookie or ?token= → granted. Pure. */
export function adminAccess(adminToken: string | undefined, presented: { bearer?: string; cookie?: string; query?: string | null }): AdminAccess {
  if (!adminToken) return 'disabled';
  if (secretMatches(adminToken, presented.bearer)) return 'granted';
  if (secretMatches(sessionValue(adminToken), presented.cookie)) return 'granted';
  if (secretMatches(adminToken, presented.query)) return 'granted-by-query';
  return 'denied';
}

/** How a request stands with ADMIN_TOKEN (bearer, session cookie or ?token=), and its query parameters. */
export function accessOf(req: Request, ctx: AppContext): { access: AdminAccess; params: URLSearchParams } {
  const params = new URL(req.url ?? '/', 'http://local').searchParams;
  return { access: adminAccess(ctx.config.ADMIN_TOKEN, { bearer: bearerToken(req.headers.authorization), cookie: cookieOf(req, COOKIE), query: params.get('token') }), params };
}

function isHttps(req: Request, ctx: AppContext): boolean {
  const proto = req.headers['x-forwarded-proto'];
  return (typeof proto === 'string' && proto.split(',')[0].trim() === 'https') || (req as unknown as { isSecure?: () => boolean }).isSecure?.() === true || ctx.config.publicBaseUrl.startsWith('https:');
}

/** The session cookie set after a browser signs in with ?token= (Secure behind https). */
export function sessionCookie(req: Request, ctx: AppContext): string {
  const secure = isHttps(req, ctx) ? '; Secure' : '';
  return `${COOKIE}=${sessionValue(ctx.config.ADMIN_TOKEN as string)}; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=${COOKIE_MAX_AGE_S}${secure}`;
}

/** 404 when the dashboard is off, else 401 (a sign-in page for browsers, JSON for the API). */
export function deny(res: Response, access: AdminAccess, json: boolean): void {
  if (access === 'disabled') {
    if (json) res.send(404, { error: 'admin disabled' });
    else sendHtml(res, 404, messagePage('Admin disabled', 'admin disabled: set ADMIN_TOKEN to turn on the dashboard.'));
    return;
  }
  if (json) {
    res.header('WWW-Authenticate', 'Bearer realm="elbow-admin"');
    res.send(401, { error: 'admin token required' });
    return;
  }
  sendHtml(res, 401, loginPage(), { 'WWW-Authenticate': 'Bearer realm="elbow-admin"' });
}

function loginPage(): string {
  return page({
    title: 'Sign in',
    body: html`<section class="message"><h1>Analytics dashboard</h1>
<p>Enter the admin token to see the dashboard.</p>
<form class="login" method="get" action="/admin">
<label for="token">Admin token</label>
<input id="token" name="token" type="password" autocomplete="current-password" required>
<button type="submit">Open dashboard</button>
</form></section>`,
  });
}
