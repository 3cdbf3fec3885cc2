import path from 'node:path';
import { expect } from 'chai';
import { readEvalCases } from '../../bot/knowledge/eval.js';
import { mapWithLimit } from '../../bot/concurrency.js';
import { loadBodies, loadQuestions } from '../../scripts/bench/load.js';
import { startTestApp, teamsMessage, type TestApp } from '../helpers/app.js';
import { WebhookReceiver } from '../escalation/receiver.js';
import { waitFor } from '../helpers/wait-for.js';

const ADMIN_TOKEN = 'bursts-admin-token-0123456789';

/** The alerts JSON of /admin. */
async function alertsOf(app: TestApp): Promise<{ lastCheck: string | null; alerts: Array<{ kind: string; key: string; payload: Record<string, unknown>; endedAt: string | null }> }> {
  const res = await fetch(`${app.url}/admin/api/alerts`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  expect(res.status).to.equal(200);
  return (await res.json()) as never;
}

/** Waits until a burst check has run after this moment (so it has seen every turn sent before). */
async function checkedAfter(app: TestApp, moment: Date): Promise<void> {
  await waitFor(async () => {
    const { lastCheck } = await alertsOf(app);
    return lastCheck !== null && new Date(lastCheck) > moment;
  }, 20_000, 'a burst check');
}

/** Sends bodies with a few requests in flight, like a small load. */
async function sendAll(app: TestApp, bodies: string[], concurrency = 4): Promise<void> {
  await mapWithLimit(bodies, concurrency, async (body) => {
    const res = await fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(res.status).to.equal(200);
    await res.arrayBuffer();
  });
}

const SCANNER = [
  'scanner wont read the wristband',
  'barcode scanner not working',
  'cant scan the patient armband',
  'the scanner beeps but nothing happens',
  "wristband won't scan",
  'scanner is not reading barcodes on meds',
];

describe('burst alerts', function () {
  this.timeout(60_000);
  let receiver: WebhookReceiver;
  let app: TestApp;

  beforeEach(async function () {
    this.timeout(180_000);
    receiver = new WebhookReceiver();
    await receiver.up();
    // Every turn must be served: load shedding on a busy machine (a fast 503) has its own test (test/slow/overload.slow.ts, run by npm run test:slow).
    app = await startTestApp({ ADMIN_TOKEN, ESCALATION_WEBHOOK_URL: receiver.url, SHED_EVENT_LOOP_DELAY_MS: '60000', MAX_QUEUE_WAIT_MS: '60000' });
  });
  afterEach(async () => {
    await app?.stop();
    await receiver?.down();
  });

  it('six clinicians reporting the same scanner problem within a minute: exactly one alert naming barcode-scan-failed', async () => {
    for (const [i, text] of SCANNER.entries()) await app.send(teamsMessage(text, { user: `29:scanner-nurse-${i}` }));
    await receiver.received(1);
    const body = JSON.parse(receiver.requests[0]!.body) as Record<string, unknown>;
    expect(body).to.include({ type: 'burst', articleId: 'barcode-scan-failed' });
    expect(body.users).to.be.at.least(5);
    expect(Date.parse(String(body.since))).to.be.a('number').and.not.NaN;
    expect(body.sampleQuestions).to.be.an('array').that.is.not.empty;

    // More of the same burst: no second alert.
    for (const i of [6, 7, 8]) await app.send(teamsMessage('scanner wont read the wristband', { user: `29:scanner-nurse-${i}` }));
    const sent = new Date();
    await checkedAfter(app, sent);
    await checkedAfter(app, new Date());
    expect(receiver.requests).to.have.length(1);
    const { alerts } = await alertsOf(app);
    expect(alerts.filter((a) => a.kind === 'burst')).to.have.length(1);
    expect(alerts[0]!.key).to.equal('barcode-scan-failed');
  });

  it('sample questions are redacted', async () => {
    for (const [i, text] of SCANNER.entries()) await app.send(teamsMessage(`${text} for patient John Smith MRN 12345678`, { user: `29:phi-nurse-${i}` }));
    await receiver.received(1);
    const body = receiver.requests[0]!.body;
    expect(body).not.to.contain('John Smith').and.not.to.contain('12345678');
  });

  it('a burst of unanswered questions that cluster together alerts once, with the cluster words', async () => {
    const misses = ['how do i order a wheelchair', 'where do i request a wheel chair', 'need a wheelchair for my patient', 'how do i get a wheelchair', 'wheelchair needed', 'need wheelchair please'];
    for (const [i, text] of misses.entries()) await app.send(teamsMessage(text, { user: `29:wheelchair-nurse-${i}` }));
    await receiver.received(1);
    const body = JSON.parse(receiver.requests[0]!.body) as { type: string; articleId: unknown; terms: string[]; users: number };
    expect(body).to.include({ type: 'burst', articleId: null });
    expect(body.terms.join(' ')).to.match(/wheel/);
    await checkedAfter(app, new Date());
    expect(receiver.requests).to.have.length(1);
  });

  it('no alert for ordinary varied traffic: the benchmark load (golden questions, rotating users)', async () => {
    const questions = loadQuestions(readEvalCases(path.resolve('knowledge/eval/golden.yml')));
    // 300 questions from 60 clinicians: several articles get five or more different askers, at their usual share.
    await sendAll(app, loadBodies(questions, 60, 300));
    await checkedAfter(app, new Date());
    const { alerts } = await alertsOf(app);
    expect(alerts, JSON.stringify(alerts.map((a) => a.key))).to.deep.equal([]);
    expect(receiver.requests.filter((r) => r.body.includes('"type":"burst"'))).to.have.length(0);
  });
});
