import net from 'node:net';
import path from 'node:path';
import { expect } from 'chai';
import { createApp } from '../../bot/app.js';
import { loadConfig } from '../../bot/config.js';
import { freePort } from '../helpers/ports.js';
import { startTestApp, teamsMessage, cardsOf, textOf, type TestApp } from '../helpers/app.js';
import { validateCard } from '../helpers/card-schema.js';

describe('HTTP endpoint: Teams-shaped activities through the real server', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(async () => {
    await app.stop();
  });

  it('answers "why is my patient list incomplete" with the patient-list article card', async () => {
    const { status, activities } = await app.send(teamsMessage('why is my patient list incomplete'));
    expect(status).to.equal(200);
    const cards = cardsOf(activities);
    expect(cards.length).to.be.greaterThan(0);
    const answer = cards.find((c) => JSON.stringify(c).includes('patient-list-incomplete'));
    expect(answer, 'answer card').to.exist;
    expect(textOf(activities)).to.include('My patient list is missing patients');
    const titles = (answer!.actions as Array<{ title: string }>).map((a) => a.title);
    expect(titles).to.include.members(['Solved', 'Not solved', 'Talk to a person']);
    for (const card of cards) expect(validateCard(card)).to.deep.equal([]);
  });

  it('answers lunr operator text gracefully, not with an error', async () => {
    const { status, activities } = await app.send(teamsMessage('patient:list^10 +foo -bar~2 *'));
    expect(status).to.equal(200);
    expect(activities.length).to.be.greaterThan(0);
    expect(textOf(activities)).not.to.match(/something went wrong/i);
  });

  it('strips the <at> mention in a channel and replies in the thread', async () => {
    const activity = teamsMessage('the scanner wont read the wristband', { channel: true });
    const { status, activities } = await app.send(activity);
    expect(status).to.equal(200);
    const replies = activities.filter((a) => a.type === 'message');
    expect(replies.length).to.be.greaterThan(0);
    for (const reply of replies) {
      expect(reply.replyToId).to.equal(activity.id);
      expect(reply.conversation.id).to.equal((activity.conversation as { id: string }).id);
    }
    expect(JSON.stringify(cardsOf(activities))).to.include('barcode-scan-failed');
  });

  it('serves the privacy and terms pages the Teams manifest links to', async () => {
    for (const path of ['/privacy', '/terms']) {
      const res = await fetch(`${app.url}${path}`);
      expect(res.status).to.equal(200);
      expect(await res.text()).to.match(/help desk at x4357/);
    }
  });

  it('serves /healthz and /readyz', async () => {
    expect((await fetch(`${app.url}/healthz`)).status).to.equal(200);
    const ready = await fetch(`${app.url}/readyz`);
    expect(ready.status).to.equal(200);
    expect(((await ready.json()) as { articles: number }).articles).to.be.at.least(45);
  });

  it('rejects a non-activity body with 400 and an oversized body with 413', async () => {
    const bad = await fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[1,2]' });
    expect(bad.status).to.equal(400);
    const big = await fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(teamsMessage('x'.repeat(400_000))),
    });
    expect(big.status).to.equal(413);
  });
});

describe('HTTP endpoint with MicrosoftAppId set', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ MicrosoftAppId: '11111111-2222-3333-4444-555555555555', MicrosoftAppPassword: 'not-a-real-secret' });
  });
  after(async () => {
    await app.stop();
  });

  it('rejects a request without a token with 401', async () => {
    const { status } = await app.send(teamsMessage('reset my password'));
    expect(status).to.equal(401);
  });

  it('does not serve /chat outside local mode', async () => {
    expect((await fetch(`${app.url}/chat`)).status).to.equal(404);
  });
});

describe('HTTP endpoint while the database is still opening', () => {
  // A PostgreSQL that accepts connections but never answers keeps createApp waiting on the database.
  let silent: net.Server;
  const sockets = new Set<net.Socket>();
  let port: number;
  let starting: Promise<unknown>;
  before(async () => {
    silent = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const dbPort = (silent.address() as net.AddressInfo).port;
    port = await freePort();
    const config = loadConfig({ PORT: String(port), LOG_LEVEL: 'silent', HOT_RELOAD: 'false', KNOWLEDGE_DIR: path.resolve('knowledge'), DATABASE_URL: `postgres://elbow@127.0.0.1:${dbPort}/elbow` });
    starting = createApp(config, { host: '127.0.0.1', outbox: false }).then(
      () => 'started',
      (err: Error) => err,
    );
    await until(async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.status === 200);
  });
  after(async () => {
    for (const socket of sockets) socket.destroy();
    await starting;
    await new Promise((resolve) => silent.close(resolve));
  });

  it('answers /healthz, and 503 + Retry-After on /readyz and /api/messages (never a 404 or a hang)', async () => {
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).to.equal(200);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).to.equal(503);
    expect(ready.headers.get('retry-after')).to.equal('1');
    expect(await ready.json()).to.deep.equal({ status: 'starting' });
    const turn = await fetch(`http://127.0.0.1:${port}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(teamsMessage('why is my patient list incomplete')),
    });
    expect(turn.status).to.equal(503);
    expect(turn.headers.get('retry-after')).to.equal('1');
  });

  it('closes the port when the database cannot be opened after all', async () => {
    // An error packet in PostgreSQL's wire format ('E', length, severity + message fields): the open fails at once.
    const fields = Buffer.from('SFATAL\0C28000\0Mno\0\0');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(fields.length + 4);
    await until(async () => sockets.size > 0); // the app may still be loading its database driver
    for (const socket of sockets) socket.end(Buffer.concat([Buffer.from('E'), length, fields]));
    expect(await starting).to.be.instanceOf(Error);
    const after = await fetch(`http://127.0.0.1:${port}/healthz`).catch((err: Error) => err);
    expect(after).to.be.instanceOf(Error);
  });
});

async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10)); // a poll, not a busy loop: the app loads in this process
  }
}
