import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect } from 'chai';
import { MESSAGES } from '../../bot/conversation/messages.js';
import { startTestApp, teamsMessage, textOf, type TestApp } from '../helpers/app.js';
import { startFakeConnector, type FakeConnector } from '../helpers/fake-connector.js';
import { startGatedApp, type GatedApp } from './gated-db.js';

const MAX_BODY = 64 * 1024;

describe('Limits: body size, long messages, per-user rate, concurrency', () => {
  let connector: FakeConnector;
  let app: TestApp;
  let clock = new Date('2026-03-02T08:00:00Z');

  before(async () => {
    connector = await startFakeConnector();
    app = await startTestApp({ MAX_BODY_BYTES: String(MAX_BODY), RATE_LIMIT_PER_MINUTE: '5' }, { now: () => clock });
  });
  after(async () => {
    await app?.stop();
    await connector?.close();
  });

  const message = (text: string, user?: string) => ({ ...teamsMessage(text, { user }), serviceUrl: connector.url });
  const raw = (body: string | Buffer, headers: Record<string, string> = {}) =>
    fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : new Uint8Array(body) });

  describe('request bodies', () => {
    it('answers 413 to a body over MAX_BODY_BYTES, and keeps serving', async () => {
      const res = await raw(JSON.stringify(message('x'.repeat(MAX_BODY * 2))));
      expect(res.status).to.equal(413);
      expect((await app.send(message('reset my password'))).status).to.equal(200);
    });

    it('answers 413 to a chunked body (no Content-Length) that grows over MAX_BODY_BYTES', async () => {
      const chunk = new TextEncoder().encode('x'.repeat(16 * 1024));
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent++ < 8) controller.enqueue(chunk);
          else controller.close();
        },
      });
      const res = await fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, duplex: 'half' } as RequestInit);
      expect(res.status).to.equal(413);
      expect((await app.send(message('reset my password'))).status).to.equal(200);
    });

    it('answers 400, not 500, to malformed JSON and to JSON that is not an activity', async () => {
      for (const body of ['{"type": "message", ', 'null', '"a string"', '42', '[]', '{}', '{"type": ""}']) {
        const res = await raw(body);
        expect(res.status, body).to.be.within(400, 499);
      }
    });

    it('does not let a gzip bomb past the body limit (compressed size is not the size)', async () => {
      // 16 MB of JSON compresses to ~16 KB: under the limit on the wire, 256x over it once inflated.
      const bomb = gzipSync(Buffer.from(JSON.stringify(message(' '.repeat(16 * 1024 * 1024)))));
      expect(bomb.length).to.be.below(MAX_BODY);
      const res = await raw(bomb, { 'content-encoding': 'gzip' });
      expect(res.status).to.be.oneOf([413, 415]);
    });

    it('does not store multipart uploads on disk (unauthenticated requests cannot fill the disk)', async () => {
      const uploads = () => new Set(fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('upload_')));
      const before = uploads();
      const form = new FormData();
      form.append('file', new Blob([Buffer.alloc(MAX_BODY * 4, 'a')]), 'big.bin');
      const res = await fetch(`${app.url}/api/messages`, { method: 'POST', body: form });
      expect(res.status).to.be.oneOf([400, 413, 415]);
      const left = [...uploads()].filter((f) => !before.has(f));
      for (const f of left) fs.rmSync(path.join(os.tmpdir(), f), { force: true });
      expect(left, 'files left in the temp dir by the upload').to.deep.equal([]);
    });

    it('answers 400, not 5xx, to absurdly deep JSON under the size limit', async () => {
      const depth = 20_000;
      const value = `${'['.repeat(depth)}${']'.repeat(depth)}`;
      const body = JSON.stringify(message('hello')).replace(/}$/, `,"value":${value}}`);
      expect(body.length).to.be.below(MAX_BODY);
      const res = await raw(body);
      expect(res.status).to.equal(400);
      expect((await fetch(`${app.url}/healthz`)).status).to.equal(200);
    });

    it('refuses form-encoded and other non-JSON bodies on the bot endpoint', async () => {
      const form = await fetch(`${app.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'type=message&text=hello&serviceUrl=http%3A%2F%2F127.0.0.1%3A1%2F',
      });
      expect(form.status).to.be.within(400, 499);
      const csv = await fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: 'type,text\nmessage,hi' });
      expect(csv.status).to.be.within(400, 499);
    });
  });

  describe('very long messages', () => {
    it('answers a 20,000-character message politely, saying it searched the beginning', async () => {
      const text = `my patient list is missing patients. ${'More detail about my unit and my shift. '.repeat(600)}`.slice(0, 20_000);
      expect(JSON.stringify(message(text)).length).to.be.below(MAX_BODY);
      const { status, activities } = await app.send(message(text));
      expect(status).to.equal(200);
      const said = textOf(activities);
      expect(said).to.include(MESSAGES.tooLong);
      expect(said).not.to.match(/something went wrong/i);
    });
  });

  describe('per-user rate limit', () => {
    it('answers the 6th message in a minute kindly, leaves other users alone, and lifts after a minute', async () => {
      const user = '29:rate-limited-user';
      for (let i = 1; i <= 5; i++) {
        const { activities } = await app.send(message(`reset my password ${i}`, user));
        expect(textOf(activities), `message ${i}`).not.to.include(MESSAGES.rateLimited);
      }
      const sixth = await app.send(message('reset my password 6', user));
      expect(sixth.status).to.equal(200);
      expect(textOf(sixth.activities)).to.include(MESSAGES.rateLimited);

      const other = await app.send(message('reset my password', '29:another-user'));
      expect(textOf(other.activities)).not.to.include(MESSAGES.rateLimited);

      clock = new Date(clock.getTime() + 61_000);
      const later = await app.send(message('reset my password 7', user));
      expect(textOf(later.activities)).not.to.include(MESSAGES.rateLimited);
      expect(textOf(later.activities)).to.match(/password/i);
    });
  });
});

describe('Limits: a flood against MAX_CONCURRENT_TURNS=1', () => {
  let gated: GatedApp;
  before(async () => {
    // Only the slot and its queue may shed here: event-loop shedding and queue timeouts have their own tests.
    gated = await startGatedApp({ MAX_CONCURRENT_TURNS: '1', RATE_LIMIT_PER_MINUTE: '1000', SHED_EVENT_LOOP_DELAY_MS: '60000', MAX_QUEUE_WAIT_MS: '60000' });
  });
  after(() => gated?.stop());

  it('sheds load with 503 + Retry-After only, never another 5xx, stays healthy, and serves the admitted turns', async () => {
    // The database stalls, so the first turn holds the only slot and four more queue: everything else must be shed at once.
    const { app, db, connector } = gated;
    const release = db.hold();
    const flood = 200;
    let shed = 0;
    let allShed!: () => void;
    const shedDone = new Promise<void>((resolve) => (allShed = resolve));
    const responses = Array.from({ length: flood }, (_, i) =>
      fetch(`${app.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...teamsMessage(`the scanner won't read the wristband ${i}`, { user: `29:flood-${i % 20}` }), serviceUrl: connector.url, deliveryMode: 'expectReplies' }),
      }).then(async (res) => {
        const r = { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.text() };
        if (r.status === 503 && ++shed === flood - 5) allShed();
        return r;
      }),
    );
    await shedDone;
    expect((await fetch(`${app.url}/healthz`)).status, '/healthz while saturated').to.equal(200);
    release();
    const results = await Promise.all(responses);

    const histogram: Record<number, number> = {};
    for (const r of results) histogram[r.status] = (histogram[r.status] ?? 0) + 1;
    console.log(`      flood of ${flood} with 1 slot + 4 queued: ${JSON.stringify(histogram)}`);
    for (const r of results) {
      expect([200, 503], r.body).to.include(r.status);
      if (r.status === 503) expect(Number(r.retryAfter)).to.be.greaterThan(0);
      if (r.status === 200) {
        expect(r.body).not.to.match(/something went wrong/i);
        expect(r.body).to.include('barcode-scan-failed');
      }
    }
    expect(histogram).to.deep.equal({ 200: 5, 503: flood - 5 });
    expect((await fetch(`${app.url}/readyz`)).status).to.equal(200);
    const after = await app.send({ ...teamsMessage('reset my password'), serviceUrl: connector.url });
    expect(after.status).to.equal(200);
  });
});
