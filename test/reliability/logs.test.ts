import fs from 'node:fs';
import http from 'node:http';
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { createLogger } from '../../bot/logger.js';
import type { Db } from '../../bot/store/db.js';
import { openDb } from '../../bot/store/open.js';
import { startTestApp, teamsMessage, textOf, type TestApp } from '../helpers/app.js';
import { freshDataDir } from '../helpers/engines.js';
import { startFakeConnector, type FakeConnector } from '../helpers/fake-connector.js';

/** Every identifier the conversation below mentions; none may reach a log line. */
const PHI = [
  'Okonkwo', 'Delgado', 'Haddad', 'Brennan', 'Fitzgerald',
  '48213377', '77120934', 'H-5512094',
  '03/14/1961', '1961-03-14', 'July 4, 1958',
  '555-867-5309', '8675309', '(617) 555-0199', '617-555-0199', '555-0199', '+44 20 7946 0958',
  '123-45-6789', 'jane.doe@example.org',
];

const CONVERSATION = [
  'patient John Okonkwo MRN 48213377 wristband will not print',
  'pt Maria Delgado DOB 03/14/1961 is missing from my patient list',
  'Mr. Haddad in room 12, his daughter is at 555-867-5309, his orders will not sign',
  'call the family of patient Brennan at (617) 555-0199 about the portal',
  'Mrs. Fitzgerald born 1961-03-14 MRN: 77120934 scanner says wrong patient',
  'ssn 123-45-6789 shows on the face sheet, email jane.doe@example.org, acct H-5512094',
  'uk relative +44 20 7946 0958 DOB July 4, 1958 cannot reach portal',
];

/** Collects pino's JSON lines; `waitFor` resolves when a line matches (no sleeping). */
class LogCapture extends Writable {
  readonly lines: Array<Record<string, unknown>> = [];
  readonly raw: string[] = [];
  private waiters: Array<{ test: (l: Record<string, unknown>) => boolean; resolve: () => void }> = [];

  private partial = '';

  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    const texts = (this.partial + chunk.toString('utf8')).split('\n');
    this.partial = texts.pop() ?? '';
    for (const text of texts.filter(Boolean)) {
      this.raw.push(text);
      const line = JSON.parse(text) as Record<string, unknown>;
      this.lines.push(line);
      this.waiters = this.waiters.filter((w) => (w.test(line) ? (w.resolve(), false) : true));
    }
    done();
  }

  waitFor(test: (l: Record<string, unknown>) => boolean): Promise<void> {
    if (this.lines.some(test)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }
}

function expectNoPhi(raw: string[]): void {
  const all = raw.join('\n');
  for (const phi of PHI) expect(all, `log contains "${phi}"`).not.to.include(phi);
}

describe('Logs: no PHI, one line per turn', () => {
  let capture: LogCapture;
  let webhook: http.Server;
  let webhookHits = 0;
  let connector: FakeConnector;
  let dataDir: string;
  let db: Db;
  let failTickets = false;
  let app: TestApp;

  before(async () => {
    capture = new LogCapture();
    connector = await startFakeConnector();
    // A help-desk webhook that fails and echoes the payload back in its error body (as some do).
    webhook = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        webhookHits++;
        res.statusCode = 500;
        res.end(`upstream rejected ${body}`);
      });
    });
    await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
    dataDir = (await freshDataDir()).dir; // pre-migrated: an empty directory would pay PGlite's initdb
    const real = await openDb({ dataDir });
    // A database whose ticket insert fails with PHI in the error message, as PostgreSQL does ("Key (…)=(…)").
    db = {
      ...real,
      engine: real.engine,
      query: (text, params) => real.query(text, params),
      ping: () => real.ping(),
      close: () => real.close(),
      transaction: (fn) =>
        real.transaction((tx) =>
          fn({
            query: async (text, params) => {
              if (failTickets && /insert into tickets/i.test(text)) {
                throw new Error('duplicate key value violates unique constraint: Key (user_name)=(patient John Okonkwo MRN 48213377) already exists');
              }
              return tx.query(text, params);
            },
          }),
        ),
    };
    const webhookUrl = `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/tickets`;
    app = await startTestApp({ DATA_DIR: dataDir, ESCALATION_WEBHOOK_URL: webhookUrl }, { logger: createLogger('trace', capture), db });
  });
  after(async () => {
    await app?.stop();
    await db?.close();
    await connector?.close();
    webhook?.closeAllConnections();
    await new Promise((resolve) => webhook?.close(resolve));
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const user = '29:phi-user';
  const send = (text: string | undefined, extra: Record<string, unknown> = {}) =>
    app.send({ ...teamsMessage(text, { user, name: 'Nurse Test' }), serviceUrl: connector.url, ...extra });

  it('keeps a PHI-laden conversation, a ticket, a failed delivery and errors out of the logs', async () => {
    let turns = 0;
    for (const text of CONVERSATION) {
      const { status } = await send(text);
      expect(status).to.equal(200);
      turns++;
    }
    // A ticket with the PHI-laden transcript; the webhook fails and echoes it.
    const ticket = await send('talk to a person');
    turns++;
    expect(textOf(ticket.activities)).to.match(/ELB-\d+/);
    await capture.waitFor((l) => /delivery failed/.test(String(l.msg)));
    expect(webhookHits).to.be.greaterThan(0);

    // A ticket insert that fails with PHI in the database error.
    failTickets = true;
    // In another conversation: in this one, a second ask joins the open ticket instead of inserting one.
    const failed = await app.send({
      ...teamsMessage('pt Okonkwo MRN 48213377 needs a person, talk to a person', { user: '29:phi-user-2', name: 'Nurse Test' }),
      serviceUrl: connector.url,
    });
    failTickets = false;
    turns++;
    expect(textOf(failed.activities)).to.match(/call the help desk/i);
    await capture.waitFor((l) => l.msg === 'ticket creation failed');

    // A reply the channel refuses (deliveryMode normal): the turn error path.
    connector.statusFor = () => 500;
    const normal = await fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...teamsMessage('patient John Okonkwo MRN 48213377 still cannot print', { user, name: 'Nurse Test' }), serviceUrl: connector.url }),
    });
    expect(normal.status).to.equal(200);
    await capture.waitFor((l) => l.msg === 'turn failed');
    connector.statusFor = undefined;
    turns++;

    await app.close();
    expect(capture.lines.length).to.be.greaterThan(0);
    expectNoPhi(capture.raw);
    const failure = capture.raw.find((l) => l.includes('ticket creation failed')) ?? '';
    expect(failure, 'the database error was logged, redacted').to.include('[MRN]');

    const turnLines = capture.lines.filter((l) => l.msg === 'turn');
    expect(turnLines.length, 'one log line per turn, the failed one included (outcome "error")').to.equal(turns);
    expect(turnLines.some((l) => l.outcome === 'error'), 'the failed turn is logged with outcome "error"').to.equal(true);
    for (const line of turnLines) {
      expect(line).to.include.keys('outcome', 'articleId', 'confidence', 'latencyMs');
      expect(line.latencyMs).to.be.a('number');
    }
    const answered = turnLines.filter((l) => l.outcome === 'answer');
    expect(answered.length).to.be.greaterThan(0);
    for (const line of answered) expect(line.articleId).to.be.a('string');
  });
});

describe('Logs: the logger itself redacts whatever it is given', () => {
  const NAME = 'John Okonkwo';
  const MRN = '48213377';
  const logged = (write: (logger: ReturnType<typeof createLogger>) => void): string => {
    const capture = new LogCapture();
    write(createLogger('trace', capture));
    return capture.raw.join('\n');
  };

  it('redacts messages, objects and nested errors', () => {
    const out = logged((l) => {
      l.info(`patient ${NAME} MRN ${MRN}`);
      l.warn({ detail: { text: `pt ${NAME} MRN ${MRN}` } }, 'lookup');
      l.error({ err: new Error(`patient ${NAME} MRN ${MRN}`) }, 'failed');
    });
    expect(out).not.to.include('Okonkwo');
    expect(out).not.to.include(MRN);
  });

  it('redacts an Error logged on its own (message and stack)', () => {
    const out = logged((l) => l.error(new Error(`insert failed for patient ${NAME} MRN ${MRN}`)));
    expect(out).to.include('insert failed');
    expect(out).not.to.include('Okonkwo');
    expect(out).not.to.include(MRN);
  });

  it('redacts printf-style arguments after they are put together', () => {
    const out = logged((l) => l.info('lookup for patient %s (MRN %s)', NAME, MRN));
    expect(out).not.to.include('Okonkwo');
    expect(out).not.to.include(MRN);
  });

  it('redacts bindings of child loggers', () => {
    const out = logged((l) => l.child({ note: `patient ${NAME} MRN ${MRN}` }).info('child line'));
    expect(out).to.include('child line');
    expect(out).not.to.include('Okonkwo');
    expect(out).not.to.include(MRN);
  });
});
