import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for the EHR login page: its own origin, a strict CSP (no inline script or style; Web Chat's styles
 * only with the page's nonce), and a backend route POST /token that asks Elbow for a Direct Line token for the
 * signed-in user with the site secret — the secret never reaches the browser.
 */
export interface HostPage {
  origin: string;
  /** Set once Elbow runs (its URL is known only after the host's origin is in EMBED_ALLOWED_ORIGINS). */
  elbowUrl: string;
  close(): Promise<void>;
}

const NONCE = 'host-page-nonce-4b1d';

/** Starts the host page server: /webchat.html (Web Chat by hand), /embed.html (one script tag), /token. */
export async function startHostPage(secret: string, user: Record<string, unknown>): Promise<HostPage> {
  const host: HostPage = { origin: '', elbowUrl: '', close: async () => undefined };
  const csp = () => {
    const elbow = host.elbowUrl;
    return [
      "default-src 'self'",
      `script-src 'self' ${elbow} 'nonce-${NONCE}'`,
      `style-src 'self' ${elbow} 'nonce-${NONCE}'`,
      `connect-src 'self' ${elbow} ${elbow.replace(/^http/, 'ws')}`,
      `img-src 'self' data: blob: ${elbow}`,
      `font-src 'self' data:`,
      "object-src 'none'",
      "base-uri 'none'",
    ].join('; ');
  };
  const page = (body: string) => `<!doctype html><html lang="en-US"><head><meta charset="utf-8"><title>EHR sign-in</title>
<link rel="stylesheet" href="/host.css"></head><body><h1>Hospital EHR</h1><p>Welcome back. Sign-in succeeded.</p>${body}</body></html>`;
  const routes: Record<string, () => { type: string; body: string }> = {
    '/webchat.html': () => ({
      type: 'text/html',
      body: page(`<div id="webchat"></div>
<script src="${host.elbowUrl}/static/vendor/webchat.js" nonce="${NONCE}"></script>
<script src="/host-webchat.js" nonce="${NONCE}"></script>`),
    }),
    '/embed.html': () => ({ type: 'text/html', body: page(`<script src="${host.elbowUrl}/embed.js" data-token-url="/token" nonce="${NONCE}"></script>`) }),
    '/host.css': () => ({ type: 'text/css', body: 'body { font-family: sans-serif; margin: 2rem; } #webchat { height: 640px; width: 480px; border: 1px solid #ccc; }' }),
    '/host-webchat.js': () => ({
      type: 'text/javascript',
      body: `(async function () {
  const nonce = document.currentScript.nonce;
  const { token } = await (await fetch('/token', { method: 'POST' })).json();
  const directLine = window.WebChat.createDirectLine({ token, domain: ${JSON.stringify(host.elbowUrl)} + '/v3/directline' });
  window.WebChat.renderWebChat({ directLine, nonce }, document.getElementById('webchat'));
})();`,
    }),
  };

  const server = http.createServer((req, res) => {
    void (async () => {
      const path = new URL(req.url ?? '/', 'http://host').pathname;
      if (path === '/token' && req.method === 'POST') {
        const answer = await fetch(`${host.elbowUrl}/v3/directline/tokens/generate`, {
          method: 'POST',
          headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
          body: JSON.stringify({ user }),
        });
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        return res.end(await answer.text());
      }
      if (path === '/favicon.ico') {
        res.writeHead(204);
        return res.end();
      }
      const route = routes[path];
      if (!route) {
        res.writeHead(404);
        return res.end();
      }
      const { type, body } = route();
      res.writeHead(200, { 'content-type': `${type}; charset=utf-8`, 'content-security-policy': csp() });
      res.end(body);
    })().catch(() => {
      res.writeHead(502);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // "localhost" vs Elbow's 127.0.0.1: a different origin, as an EHR page and Elbow would be.
  host.origin = `http://localhost:${(server.address() as AddressInfo).port}`;
  host.close = () => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return host;
}
