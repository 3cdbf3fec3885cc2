import net from 'node:net';
import { Writable } from 'node:stream';
import { expect } from 'chai';
import { createLogger } from '../../bot/logger.js';
import { startTestApp, teamsMessage, type TestApp } from '../helpers/app.js';
import { authEnv, startLocalIssuer, type LocalIssuer } from '../helpers/jwt.js';
import { startFakeConnector, type FakeConnector } from '../helpers/fake-connector.js';

const APP_ID = '3f9a1c2e-5b7d-4e8f-9a0b-1c2d3e4f5a6b';
const OTHER_APP_ID = 'someone-else-0000-1111-2222-333333333333';
/** What a 503 or 401 body must never contain: hosts, error codes, library wording, token content. */
const INTERNALS = /127\.0\.0\.1|localhost|ECONN|ETIMEDOUT|ENOTFOUND|getaddrinfo|fetch|request to|openid|metadata|keys|Invalid AppId|someone-else|at .+:\d+/i;

/** Log lines as objects, written by a real pino logger. */
function logCapture(): { lines: Array<Record<string, unknown>>; stream: Writable } {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const text of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(text) as Record<string, unknown>);
      done();
    },
  });
  return { lines, stream };
}

/** A local address where nothing listens (connections are refused). */
async function refusingUrl(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}/v1/.well-known/openidconfiguration`;
}

/** A local server that accepts connections and never answers (a hung identity provider). */
async function hangingServer(): Promise<{ url: string; connections: () => number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const server = net.createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/.well-known/openidconfiguration`,
    connections: () => connections,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('Identity provider failures (local OpenID issuer)', function () {
  this.timeout(120_000);
  let issuer: LocalIssuer;
  let connector: FakeConnector;
  let app: TestApp | undefined;

  before(async () => {
    issuer = await startLocalIssuer();
    connector = await startFakeConnector();
  });
  afterEach(async () => {
    await app?.stop();
    app = undefined;
  });
  after(async () => {
    await connector?.close();
    await issuer?.close();
  });

  const token = (aud = APP_ID) => issuer.token({ aud, serviceurl: connector.url });
  const post = async (authorization?: string) => {
    const started = Date.now();
    const res = await fetch(`${app!.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization !== undefined ? { authorization } : {}) },
      body: JSON.stringify({ ...teamsMessage('how do I reset my password'), serviceUrl: connector.url, deliveryMode: 'expectReplies' }),
    });
    return { status: res.status, retryAfter: res.headers.get('retry-after'), text: await res.text(), ms: Date.now() - started };
  };
  const load = async () => {
    const res = await fetch(`${app!.url}/readyz`);
    const body = (await res.json()) as { load: { running: number; queued: number } };
    return { status: res.status, load: body.load };
  };
  const providerLines = (lines: Array<Record<string, unknown>>) => lines.filter((l) => l.msg === 'identity provider unreachable');

  it('refusing provider: 503 + Retry-After with a neutral body, 401 for tokens invalid on their face, cause logged once', async () => {
    const url = await refusingUrl();
    const logs = logCapture();
    app = await startTestApp(
      { ...authEnv(issuer, APP_ID), ToBotFromChannelOpenIdMetadataUrl: url, ToBotFromEmulatorOpenIdMetadataUrl: url },
      { logger: createLogger('debug', logs.stream) },
    );
    const results = await Promise.all(Array.from({ length: 10 }, async () => post(`Bearer ${await token()}`)));
    for (const r of results) {
      expect(r.status, r.text).to.equal(503);
      expect(Number(r.retryAfter)).to.be.greaterThan(0);
      expect(r.text).not.to.match(INTERNALS);
    }
    for (const header of [undefined, 'Bearer not.a.jwt', 'Basic dXNlcjpwYXNz', `Bearer ${await issuer.token({ aud: APP_ID, iss: 'https://evil.example.org' })}`]) {
      const r = await post(header);
      expect(r.status, `${header}: ${r.text}`).to.equal(401);
      expect(JSON.parse(r.text)).to.deep.equal({ error: 'unauthorized' });
    }
    const unreachable = providerLines(logs.lines);
    expect(unreachable, 'the cause is logged once per retry interval, not once per request').to.have.length(1);
    expect(unreachable[0]!.cause).to.equal('ECONNREFUSED');
    const ready = await load();
    expect(ready.status).to.equal(200);
    expect(ready.load).to.include({ running: 0, queued: 0 });
  });

  it('hanging provider: the key fetch times out, every request gets 503 in bounded time, one fetch at a time, no slot held', async () => {
    const hung = await hangingServer();
    try {
      app = await startTestApp({
        ...authEnv(issuer, APP_ID),
        ToBotFromChannelOpenIdMetadataUrl: hung.url,
        ToBotFromEmulatorOpenIdMetadataUrl: hung.url,
        IDENTITY_TIMEOUT_MS: '500',
        MAX_CONCURRENT_TURNS: '2',
      });
      // Far more requests than slots + line (2 + 8): none may wait for another, none may hold a slot.
      const results = await Promise.all(Array.from({ length: 30 }, async () => post(`Bearer ${await token()}`)));
      const statuses = results.map((r) => r.status);
      console.log(`      30 requests against a hung provider: ${JSON.stringify(count(statuses))}, slowest ${Math.max(...results.map((r) => r.ms))} ms`);
      for (const r of results) {
        expect(r.status, r.text).to.equal(503);
        expect(r.text).not.to.match(INTERNALS);
        expect(r.ms, 'answered long before a client gives up').to.be.below(8000);
      }
      expect(hung.connections(), 'concurrent requests share one key fetch').to.equal(1);
      const ready = await load();
      expect(ready.status).to.equal(200);
      expect(ready.load).to.include({ running: 0, queued: 0 });
    } finally {
      await hung.close();
    }
  });

  it('keeps serving cached signing keys while the provider is down, and never echoes token content in a 401', async () => {
    const own = await startLocalIssuer();
    const logs = logCapture();
    let clock = new Date();
    app = await startTestApp({ ...authEnv(own, APP_ID) }, { logger: createLogger('info', logs.stream), now: () => clock });
    const signed = (aud = APP_ID) => own.token({ aud, serviceurl: connector.url });
    expect((await post(`Bearer ${await signed()}`)).status, 'keys fetched while the provider is up').to.equal(200);
    await own.close();
    clock = new Date(clock.getTime() + 25 * 3_600_000); // past the 24 h refresh: the refresh fails
    const later = await post(`Bearer ${await signed()}`);
    expect(later.status, later.text).to.equal(200);
    expect(providerLines(logs.lines), 'the failed refresh is logged').to.have.length(1);
    expect(providerLines(logs.lines)[0]!.cachedKeys).to.be.greaterThan(0);

    const other = await post(`Bearer ${await signed(OTHER_APP_ID)}`);
    expect(other.status).to.equal(401);
    expect(JSON.parse(other.text)).to.deep.equal({ error: 'unauthorized' });
    expect(other.text).not.to.match(INTERNALS);
  });
});

function count(values: number[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}
