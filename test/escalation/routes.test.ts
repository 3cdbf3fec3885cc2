import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import restify from 'restify';
import { registerTicketRoutes } from '../../bot/escalation/routes.js';
import { bearerMatches } from '../../bot/secrets.js';
import type { Ticket } from '../../bot/escalation/ticket.js';
import { createTicket, getTicket } from '../../bot/escalation/tickets.js';
import { loadConfig } from '../../bot/config.js';
import { createLogger } from '../../bot/logger.js';
import type { Db } from '../../bot/store/db.js';
import { openDb } from '../../bot/store/open.js';
import { freshDataDir, type FreshDataDir } from '../helpers/engines.js';
import { ticketInput } from './fixtures.js';

const TOKEN = 'callback-token-0123456789';
const NOW = new Date('2026-03-02T09:00:00.000Z');

/** A restify server (with the body parser, as Elbow's) serving only the ticket routes. */
async function serve(db: Db, env: Record<string, string>, notify: (t: Ticket) => Promise<void>) {
  const server = restify.createServer({ handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ mapParams: false }));
  const config = loadConfig({ LOG_LEVEL: 'silent', ...env });
  const knowledge = { current: () => { throw new Error('not used by the ticket routes'); } };
  registerTicketRoutes(server, { config, db, knowledge, logger: createLogger('silent'), now: () => NOW, notify });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const post = async (id: string, body: unknown, authorization?: string) => {
    const res = await fetch(`${base}/api/tickets/${id}/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, unknown> | null };
  };
  return { post, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('POST /api/tickets/:id/status', () => {
  let fresh: FreshDataDir;
  let db: Db;
  let ticket: Ticket;
  let notified: Ticket[];
  let app: Awaited<ReturnType<typeof serve>>;

  before(async () => {
    fresh = await freshDataDir();
    db = await openDb({ dataDir: fresh.dir });
    ticket = await createTicket(db, ticketInput(), new Date('2026-03-01T10:00:00Z'), []);
    notified = [];
    app = await serve(db, { TICKET_CALLBACK_TOKEN: TOKEN }, async (t) => void notified.push(t));
  });
  after(async () => {
    await app.close();
    await db.close();
    fresh.remove();
  });

  it('answers 401 without the token or with a wrong one, and changes nothing', async () => {
    for (const auth of [undefined, 'Bearer nope', `Basic ${TOKEN}`, `Bearer ${TOKEN}x`, `bearer ${TOKEN.slice(0, -1)}`]) {
      expect((await app.post(ticket.id, { status: 'resolved' }, auth)).status, String(auth)).to.equal(401);
    }
    expect((await getTicket(db, ticket.id))!.status).to.equal('open');
    expect(notified).to.deep.equal([]);
  });

  it('answers 400 on a bad body', async () => {
    const auth = `Bearer ${TOKEN}`;
    for (const body of [{}, { status: 'done' }, { status: 'resolved', note: 'x'.repeat(2001) }, { status: 5 }, '[1,2]']) {
      const res = await app.post(ticket.id, body, auth);
      expect(res.status, JSON.stringify(body)).to.equal(400);
    }
  });

  it('answers 404 for an unknown or malformed ticket id', async () => {
    for (const id of ['ELB-999999', 'nope', 'ELB-1%27%3B']) {
      expect((await app.post(id, { status: 'resolved' }, `Bearer ${TOKEN}`)).status, id).to.equal(404);
    }
  });

  it('stores the new status and redacted note, answers 200 {id, status} and notifies the clinician', async () => {
    const res = await app.post(ticket.id, { status: 'in-progress', note: 'Calling about pt John Smith at 555-123-4567' }, `Bearer ${TOKEN}`);
    expect(res).to.deep.equal({ status: 200, body: { id: ticket.id, status: 'in-progress' } });
    const stored = await getTicket(db, ticket.id);
    expect(stored).to.deep.include({ status: 'in-progress', statusNote: 'Calling about pt [NAME] at [PHONE]' });
    expect(stored!.updatedAt.toISOString()).to.equal(NOW.toISOString());
    expect(notified.map((t) => [t.id, t.status])).to.deep.equal([[ticket.id, 'in-progress']]);
    expect(notified[0]!.conversationRef?.conversation?.id).to.equal('a:conversation-1');
  });

  it('still answers 200 when notifying the clinician fails (the change is committed)', async () => {
    const failing = await serve(db, { TICKET_CALLBACK_TOKEN: TOKEN }, async () => {
      throw new Error('Teams unreachable');
    });
    try {
      expect((await failing.post(ticket.id, { status: 'resolved' }, `Bearer ${TOKEN}`)).status).to.equal(200);
      expect((await getTicket(db, ticket.id))!.status).to.equal('resolved');
    } finally {
      await failing.close();
    }
  });

  it('does not exist (404) when no TICKET_CALLBACK_TOKEN is configured', async () => {
    const closed = await serve(db, {}, async () => undefined);
    try {
      expect((await closed.post(ticket.id, { status: 'closed' }, 'Bearer ')).status).to.equal(404);
      expect((await closed.post(ticket.id, { status: 'closed' }, 'Bearer undefined')).status).to.equal(404);
    } finally {
      await closed.close();
    }
  });
});

describe('bearerMatches', () => {
  it('accepts exactly "Bearer <token>"', () => {
    expect(bearerMatches(`Bearer ${TOKEN}`, TOKEN)).to.equal(true);
    expect(bearerMatches(`bearer ${TOKEN}`, TOKEN)).to.equal(true);
    expect(bearerMatches(`Bearer ${TOKEN} extra`, TOKEN)).to.equal(false);
    expect(bearerMatches(undefined, TOKEN)).to.equal(false);
    expect(bearerMatches('Bearer short', TOKEN)).to.equal(false);
  });
});
