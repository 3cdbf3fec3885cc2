import http from 'node:http';
import { expect } from 'chai';
import { startTestApp, teamsMessage, type TestApp } from '../helpers/app.js';

/** A request to the app with a chosen Host header (fetch does not let a caller set Host). */
function request(app: TestApp, path: string, host: string | undefined, body?: string): Promise<{ status: number; text: string }> {
  const { port } = new URL(app.url);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = body ? { 'content-type': 'application/json' } : {};
    if (host !== undefined) headers.host = host;
    const req = http.request({ host: '127.0.0.1', port, path, method: body ? 'POST' : 'GET', headers, setHost: host === undefined ? false : undefined }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('Local mode: Host header check against DNS rebinding', function () {
  this.timeout(120_000);
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ ALLOWED_HOSTS: 'elbow.ward7.test, Nurse-PC' });
  });
  after(() => app?.stop());

  const message = JSON.stringify({ ...teamsMessage('reset my password'), serviceUrl: 'http://127.0.0.1:9/', deliveryMode: 'expectReplies' });

  it('answers requests addressed to this machine or a configured name', async () => {
    const port = new URL(app.url).port;
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, 'LOCALHOST', 'localhost.', `elbow.ward7.test:${port}`, 'nurse-pc']) {
      expect((await request(app, '/healthz', host)).status, host).to.equal(200);
    }
    expect((await request(app, '/api/messages', `localhost:${port}`, message)).status).to.equal(200);
  });

  it('refuses any other Host with 403 before a route runs (a rebound domain cannot drive the anonymous bot)', async () => {
    const port = new URL(app.url).port;
    for (const host of [`evil.example:${port}`, 'localhost.evil.example', '127.0.0.1.nip.io', '[::2]', 'elbow.ward7.test.evil.example']) {
      for (const [path, body] of [['/api/messages', message], ['/chat', undefined], ['/healthz', undefined]] as const) {
        const res = await request(app, path, host, body);
        expect(res.status, `${host} ${path}`).to.equal(403);
      }
    }
    // Node's HTTP parser already refuses an HTTP/1.1 request without Host (400); either way it is not served.
    expect((await request(app, '/healthz', undefined)).status, 'no Host header at all').to.be.oneOf([400, 403]);
  });
});
