import path from 'node:path';
import { spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { OutboxWorker, outboxStatus, retryDelayMs, type OutboxWorkerOptions } from '../../bot/escalation/outbox.js';
import { createTicket } from '../../bot/escalation/tickets.js';
import { webhookDeliverer } from '../../bot/escalation/webhook.js';
import { createLogger } from '../../bot/logger.js';
import type { Db } from '../../bot/store/db.js';
import { openDb } from '../../bot/store/open.js';
import { nodeArgs } from '../helpers/bundles.js';
import { forEachEngine, freshDataDir, freshPostgresUrl, postgresTestUrl } from '../helpers/engines.js';
import { phiIn, ticketInput } from './fixtures.js';
import { WebhookReceiver } from './receiver.js';

const CHILD = fileURLToPath(new URL('./fixtures/create-ticket.ts', import.meta.url));
const TOKEN = 'receiver-secret';

/** A settable clock: tests move time with `advance`, never by sleeping. */
function testClock(start = Date.parse('2026-03-01T10:00:00.000Z')) {
  let ms = start;
  return { now: () => new Date(ms), advance: (by: number) => void (ms += by) };
}

/** A pino logger (with Elbow's redaction) writing JSON lines into an array. */
function captureLogs() {
  const lines: Array<Record<string, any>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: createLogger('info', stream), lines };
}

type Row = { ticket_id: string; status: string; attempts: number; next_attempt_at: Date; last_error: string | null; delivered_at: Date | null };
const rows = (db: Db) => db.query<Row>('SELECT ticket_id, status, attempts, next_attempt_at, last_error, delivered_at FROM outbox ORDER BY id');

forEachEngine(
  'OutboxWorker with a real webhook receiver',
  (getDb) => {
    let receiver: WebhookReceiver;
    let clock: ReturnType<typeof testClock>;
    let logs: ReturnType<typeof captureLogs>;
    const worker = (options: Partial<OutboxWorkerOptions> = {}) =>
      new OutboxWorker({
        db: getDb(),
        deliverers: { webhook: webhookDeliverer({ url: receiver.url, token: TOKEN, timeoutMs: 5_000 }) },
        now: clock.now,
        logger: logs.logger,
        backoff: { baseMs: 1_000, maxMs: 8_000 },
        random: () => 0.5,
        ...options,
      });
    const newTicket = (overrides = {}) => createTicket(getDb(), ticketInput(overrides), clock.now(), ['webhook']);

    beforeEach(async () => {
      await getDb().query('TRUNCATE outbox, tickets');
      receiver = new WebhookReceiver();
      await receiver.up();
      clock = testClock();
      logs = captureLogs();
    });
    afterEach(async () => {
      receiver.release();
      await receiver.down();
    });

    it('delivers a new ticket once: redacted transcript, Idempotency-Key, bearer token', async () => {
      const ticket = await newTicket();
      const w = worker();
      expect(await w.runOnce()).to.deep.equal({ claimed: 1, delivered: 1, retried: 0, dead: 0 });
      expect(await w.runOnce()).to.deep.equal({ claimed: 0, delivered: 0, retried: 0, dead: 0 });
      expect(receiver.requests).to.have.length(1);
      const [got] = receiver.requests;
      expect(got).to.deep.include({ key: `${ticket.key}:webhook`, authorization: `Bearer ${TOKEN}`, contentType: 'application/json', status: 201 });
      const body = JSON.parse(got!.body);
      expect(body).to.deep.include({ id: ticket.id, urgency: 'normal', queue: 'service-desk', role: 'nurse', status: 'open' });
      expect(body.transcript[0].text).to.equal('pt [NAME] MRN [MRN] DOB [DOB] not on my list');
      expect(body).not.to.have.property('conversationRef');
      expect(phiIn(got!.body)).to.deep.equal([]);
      const [row] = await rows(getDb());
      expect(row).to.deep.include({ status: 'delivered', attempts: 1, last_error: null });
      expect(row!.delivered_at!.toISOString()).to.equal(clock.now().toISOString());
    });

    it('survives an outage (503, then connection refused): each ticket stored exactly once, nothing lost', async () => {
      const w = worker({ batch: 4 });
      const tickets = [await newTicket(), await newTicket(), await newTicket()];
      receiver.mode = 'unavailable';
      expect(await w.runOnce()).to.deep.include({ claimed: 3, retried: 3 });
      // Not due yet: the retry waits for its backoff (1 s ceiling, jitter 0.5 -> 750 ms).
      expect((await w.runOnce()).claimed).to.equal(0);
      const [first] = await rows(getDb());
      expect(first!.next_attempt_at.getTime() - clock.now().getTime()).to.equal(retryDelayMs(1, { baseMs: 1_000, maxMs: 8_000 }, () => 0.5));
      expect(first!.last_error).to.equal('Error: webhook answered HTTP 503');

      await receiver.down();
      for (let i = 0; i < 3; i++) tickets.push(await newTicket());
      for (let step = 0; step < 6; step++) {
        clock.advance(2_000);
        await w.runOnce();
      }
      expect(receiver.stored.size).to.equal(0);
      await receiver.up();
      receiver.mode = 'accept';
      for (let step = 0; step < 20 && (await outboxStatus(getDb())).counts.pending > 0; step++) {
        clock.advance(8_000);
        await w.runOnce();
      }
      expect((await outboxStatus(getDb())).counts).to.deep.equal({ pending: 0, delivered: 6, dead: 0 });
      for (const t of tickets) {
        expect(receiver.stored.has(`${t.key}:webhook`), t.id).to.equal(true);
        expect(receiver.requests.filter((r) => r.key === `${t.key}:webhook` && r.status === 201)).to.have.length(1);
      }
      expect(receiver.stored.size).to.equal(6);
      expect((await rows(getDb())).every((r) => r.attempts >= 2)).to.equal(true);
      for (const body of receiver.stored.values()) expect(phiIn(body)).to.deep.equal([]);
      const warnings = logs.lines.filter((l) => l.msg === 'escalation delivery failed; will retry');
      expect(warnings.length).to.be.greaterThan(6);
      expect(phiIn(JSON.stringify(logs.lines))).to.deep.equal([]);
    });

    it('marks a row dead at once on a 4xx, and after maxAttempts on repeated 5xx; logs an error', async () => {
      const w = worker({ maxAttempts: 3 });
      receiver.mode = 'reject';
      const rejected = await newTicket();
      expect(await w.runOnce()).to.deep.include({ claimed: 1, dead: 1 });
      receiver.mode = 'unavailable';
      const flaky = await newTicket();
      const outcomes = [];
      for (let i = 0; i < 5; i++) {
        outcomes.push(await w.runOnce());
        clock.advance(8_000);
      }
      expect(outcomes.map((o) => o.claimed)).to.deep.equal([1, 1, 1, 0, 0]);
      expect(outcomes[2]).to.deep.include({ dead: 1 });
      const status = await outboxStatus(getDb());
      expect(status.counts).to.deep.equal({ pending: 0, delivered: 0, dead: 2 });
      expect(status.dead.map((d) => [d.ticketId, d.attempts, d.lastError])).to.have.deep.members([
        [rejected.id, 1, 'PermanentDeliveryError: webhook answered HTTP 400'],
        [flaky.id, 3, 'Error: webhook answered HTTP 503'],
      ]);
      const errors = logs.lines.filter((l) => l.level === 50);
      expect(errors.map((e) => e.ticketId)).to.deep.equal([rejected.id, flaky.id]);
    });

    it('takes over a row whose worker stalled mid-delivery once the lease expires; the key makes the repeat harmless', async () => {
      const ticket = await newTicket();
      const real = webhookDeliverer({ url: receiver.url, token: TOKEN });
      // Worker A delivers, then stalls before recording it (as if its process hung or died).
      let wakeUp!: () => void;
      const stalled = new Promise<void>((resolve) => (wakeUp = resolve));
      const a = worker({ leaseMs: 30_000, workerId: 'stalled', deliverers: { webhook: async (t, key) => { await real(t, key); await stalled; } } });
      const roundA = a.runOnce();
      await receiver.received(1);
      const b = worker({ leaseMs: 30_000, workerId: 'survivor' });
      expect((await b.runOnce()).claimed).to.equal(0);
      clock.advance(30_001);
      expect(await b.runOnce()).to.deep.include({ claimed: 1, delivered: 1 });
      expect(receiver.countFor(`${ticket.key}:webhook`)).to.equal(2);
      expect(receiver.stored.size).to.equal(1);
      // A comes back late: its bookkeeping changes nothing.
      wakeUp();
      await roundA;
      const [row] = await rows(getDb());
      expect(row).to.deep.include({ status: 'delivered', attempts: 2 });
      expect((await b.runOnce()).claimed).to.equal(0);
    });

    it('stops waiting for a delivery that hangs past the lease and schedules a retry', async () => {
      await newTicket();
      const hung = worker({ leaseMs: 50, deliverers: { webhook: () => new Promise<void>(() => undefined) } });
      expect(await hung.runOnce()).to.deep.include({ claimed: 1, retried: 1 });
      expect((await rows(getDb()))[0]).to.deep.include({ status: 'pending', last_error: 'Error: no answer within the 50 ms lease' });
    });

    it('kick() delivers at once without waiting for the poll; stop() waits for the delivery in flight', async () => {
      const w = worker({ pollMs: 3_600_000 });
      w.start();
      await newTicket();
      w.kick();
      await receiver.received(1);
      receiver.mode = 'hold';
      await newTicket();
      w.kick();
      await receiver.received(2);
      let stopped = false;
      const stopping = w.stop().then(() => (stopped = true));
      for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
      expect(stopped).to.equal(false);
      receiver.release();
      await stopping;
      expect((await outboxStatus(getDb())).counts).to.deep.equal({ pending: 0, delivered: 2, dead: 0 });
    });

    it('leaves rows of a channel it has no deliverer for pending (another instance may have one)', async () => {
      await createTicket(getDb(), ticketInput(), clock.now(), ['teams']);
      expect((await worker().runOnce()).claimed).to.equal(0);
      expect((await outboxStatus(getDb())).counts.pending).to.equal(1);
    });
  },
);

describe('retryDelayMs', () => {
  it('doubles from baseMs up to maxMs, with half of each delay random', () => {
    const backoff = { baseMs: 1_000, maxMs: 10_000 };
    expect([1, 2, 3, 4, 5, 9].map((a) => retryDelayMs(a, backoff, () => 0))).to.deep.equal([500, 1_000, 2_000, 4_000, 5_000, 5_000]);
    expect([1, 2, 3, 4, 5].map((a) => retryDelayMs(a, backoff, () => 0.999999))).to.deep.equal([1_000, 2_000, 4_000, 8_000, 10_000]);
  });
});

describe('OutboxWorker: two workers on one PostgreSQL', () => {
  it('deliver each of 40 tickets exactly once, concurrently', async function () {
    if (!postgresTestUrl()) this.skip();
    const url = await freshPostgresUrl();
    const [dbA, dbB] = [await openDb({ databaseUrl: url, dataDir: '(unused)' }), await openDb({ databaseUrl: url, dataDir: '(unused)' })];
    const receiver = new WebhookReceiver();
    await receiver.up();
    try {
      const ids: string[] = [];
      for (let i = 0; i < 40; i++) ids.push((await createTicket(dbA, ticketInput(), new Date(), ['webhook'])).key);
      const drain = async (db: Db, id: string) => {
        const w = new OutboxWorker({ db, workerId: id, batch: 3, deliverers: { webhook: webhookDeliverer({ url: receiver.url }) } });
        let claimed = 0;
        for (let round = await w.runOnce(); round.claimed > 0; round = await w.runOnce()) claimed += round.claimed;
        return claimed;
      };
      const [a, b] = await Promise.all([drain(dbA, 'A'), drain(dbB, 'B')]);
      expect(a + b).to.equal(40);
      expect(receiver.requests).to.have.length(40);
      for (const id of ids) expect(receiver.countFor(`${id}:webhook`), id).to.equal(1);
      expect((await outboxStatus(dbA)).counts).to.deep.equal({ pending: 0, delivered: 40, dead: 0 });
    } finally {
      await receiver.down();
      await dbA.close();
      await dbB.close();
    }
  });
});

describe('OutboxWorker: crash after commit', () => {
  /** Runs the child that commits a ticket; resolves with its id once printed, then SIGKILLs it. */
  async function createInChildAndKill(where: string): Promise<string> {
    const child = spawn(process.execPath, [...nodeArgs(CHILD), where], {
      cwd: path.resolve(path.dirname(CHILD), '../../..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      return await new Promise<string>((resolve, reject) => {
        let out = '';
        let err = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /CREATED (\S+)\n/.exec(out);
          if (match) resolve(match[1]!);
        });
        child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
        child.once('exit', (code, signal) => reject(new Error(`child exited (${code ?? signal}) before CREATED: ${err}`)));
      });
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
  }

  async function deliversAfterKill(where: string, open: () => Promise<Db>) {
    const id = await createInChildAndKill(where);
    const receiver = new WebhookReceiver();
    await receiver.up();
    const db = await open();
    try {
      const w = new OutboxWorker({ db, deliverers: { webhook: webhookDeliverer({ url: receiver.url }) } });
      expect(await w.runOnce()).to.deep.include({ claimed: 1, delivered: 1 });
      expect([...receiver.stored.keys()]).to.deep.equal([`${id}:webhook`]);
      expect(phiIn(receiver.requests[0]!.body)).to.deep.equal([]);
    } finally {
      await db.close();
      await receiver.down();
    }
  }

  it('a ticket committed by a process killed with SIGKILL is delivered by a fresh process [pglite]', async () => {
    const fresh = await freshDataDir();
    try {
      await deliversAfterKill(fresh.dir, () => openDb({ dataDir: fresh.dir }));
    } finally {
      fresh.remove();
    }
  });

  it('… and [postgres]', async function () {
    if (!postgresTestUrl()) this.skip();
    const url = await freshPostgresUrl();
    await deliversAfterKill(url, () => openDb({ databaseUrl: url, dataDir: '(unused)' }));
  });
});
