import { expect } from 'chai';
import { assertValidCard } from '../helpers/card-schema.js';
import { cardsOf, startTestApp, teamsMessage, textOf, type TestApp } from '../helpers/app.js';
import { conversationOf, startFakeConnector, type FakeConnector } from '../helpers/fake-connector.js';
import { waitFor } from '../helpers/wait-for.js';

const ADMIN_TOKEN = 'notices-admin-token-0123456789';
const CALLBACK = 'notices-callback-token-0123456789';

describe('known-issue notices', function () {
  this.timeout(30_000);
  let app: TestApp;
  let connector: FakeConnector;
  let serviceUrl: string;

  before(async function () {
    this.timeout(180_000); // the first PGlite template of a run takes a while on a busy machine
    connector = await startFakeConnector();
    serviceUrl = connector.url;
    app = await startTestApp({ ADMIN_TOKEN, TICKET_CALLBACK_TOKEN: CALLBACK });
  });
  after(async () => {
    await app?.stop();
    await connector?.close();
  });

  const post = (path: string, body: unknown, token?: string) =>
    fetch(`${app.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
  const inOneHour = () => new Date(Date.now() + 3_600_000).toISOString();
  const printerNotice = () => ({
    id: 'print-server-down',
    title: 'Print server 3 is down',
    articles: ['printer-not-printing'],
    ends: inOneHour(),
    body: 'Print to the 2nd-floor printer meanwhile; IT is restarting the server.',
  });

  it('POST /api/notices answers 401 without a token and 400 naming the field on bad input', async () => {
    expect((await post('/api/notices', printerNotice())).status).to.equal(401);
    expect((await post('/api/notices', printerNotice(), 'wrong')).status).to.equal(401);
    const cases: Array<[unknown, RegExp]> = [
      [{ ...printerNotice(), articles: ['no-such-article'] }, /articles: unknown article id "no-such-article"/],
      [{ ...printerNotice(), starts: '2026-11-30T10:00:00Z', ends: '2026-11-30T09:00:00Z' }, /ends: must be after starts/],
      [{ ...printerNotice(), ends: 'next tuesday' }, /ends: must be an ISO date-time/],
      [{ ...printerNotice(), body: '' }, /body/],
    ];
    for (const [body, problem] of cases) {
      const res = await post('/api/notices', body, CALLBACK);
      expect(res.status, JSON.stringify(body)).to.equal(400);
      expect(((await res.json()) as { error: string }).error).to.match(problem);
    }
  });

  it('shows an active notice above the steps of an answer, and lists it in the greeting', async () => {
    const created = await post('/api/notices', printerNotice(), CALLBACK);
    expect(created.status).to.equal(201);

    const { activities } = await app.send(teamsMessage('my printer wont print'));
    const [card] = cardsOf(activities);
    expect(card, 'an answer card').to.exist;
    assertValidCard(card, 'answer card with a notice');
    const first = card!.body[0];
    expect(first).to.include({ type: 'Container', style: 'warning' });
    const noticeText = textOf([{ attachments: [{ content: first }] }]);
    expect(noticeText).to.contain('Print server 3 is down').and.to.contain('2nd-floor printer');
    const steps = card!.body.findIndex((e: { text?: string }) => e.text === 'Steps');
    expect(steps, 'steps after the notice').to.be.greaterThan(0);
    expect(card!.actions.map((a: { title: string }) => a.title)).to.include("Tell me when it's fixed");

    const greeting = await app.send({ ...teamsMessage(undefined), type: 'conversationUpdate', membersAdded: [{ id: '29:new-nurse' }] });
    expect(textOf(greeting.activities)).to.contain('Known issues right now').and.to.contain('Print server 3 is down');

    const other = await app.send(teamsMessage('reset my password'));
    expect(textOf(other.activities)).not.to.contain('Print server 3 is down');
  });

  it('tells a clinician who opted in when the notice is ended (one click)', async () => {
    await post('/api/notices', { ...printerNotice(), id: 'print-server-two', title: 'Print server 4 is down' }, ADMIN_TOKEN);
    const user = '29:nurse-opt-in';
    const asked = await app.send({ ...teamsMessage('my printer wont print', { user }), serviceUrl });
    const button = cardsOf(asked.activities)[0]!.actions.find((a: { title: string }) => a.title.includes('Print server 4 is down'));
    expect(button, 'an opt-in button for the notice').to.exist;
    const opt = await app.send({ ...teamsMessage(undefined, { user, value: button.data }), serviceUrl });
    expect(textOf(opt.activities)).to.contain("I'll tell you here when");
    expect(connector.received).to.have.length(0);

    const ended = await post('/api/notices/print-server-two/end', {}, CALLBACK);
    expect(ended.status).to.equal(200);
    await waitFor(() => connector.received.length > 0, 10_000, 'the fixed message');
    expect(connector.received[0]!.activity.text).to.contain('Print server 4 is down').and.to.contain('fixed');
    expect(conversationOf(connector.received[0]!)).to.equal(`a:${user}`);

    const after = await app.send(teamsMessage('my printer wont print'));
    expect(textOf(after.activities)).not.to.contain('Print server 4 is down');
  });
});
