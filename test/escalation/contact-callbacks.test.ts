import { expect } from 'chai';
import { getTicket } from '../../bot/escalation/tickets.js';
import { startFakeConnector, type FakeConnector } from '../helpers/fake-connector.js';
import { startTestApp, teamsMessage, textOf, type TestApp } from '../helpers/app.js';
import { WebhookReceiver } from './receiver.js';

const CALLBACK_TOKEN = 'callback-token-0123456789';
const SUPPORT = '19:support@thread.tacv2';

describe('help-desk contact, callbacks and the "Take it" button', () => {
  let app: TestApp;
  let receiver: WebhookReceiver;
  let connector: FakeConnector;
  before(async function () {
    this.timeout(120_000);
    receiver = new WebhookReceiver();
    await receiver.up();
    connector = await startFakeConnector({ member: { id: '29:contact-user', name: 'Alex Nurse', email: 'alex.nurse@contoso.org', userPrincipalName: 'anurse@contoso.org' } });
    app = await startTestApp({ ESCALATION_WEBHOOK_URL: receiver.url, SUPPORT_TEAMS_CHANNEL_ID: SUPPORT, TICKET_CALLBACK_TOKEN: CALLBACK_TOKEN });
  });
  after(async () => {
    await app.stop();
    await receiver.down();
    await connector.close();
  });
  const ticketIn = (activities: Array<Record<string, any>>) => /ELB-\d+/.exec(textOf(activities))![0];
  const callback = (id: string, status: string, note?: string) =>
    fetch(`${app.url}/api/tickets/${id}/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${CALLBACK_TOKEN}` },
      body: JSON.stringify({ status, note }),
    });

  it('puts the clinician\'s Teams identity and own callback number on the ticket and in the webhook body', async () => {
    const user = '29:contact-user';
    await app.send({ ...teamsMessage('the order set is missing, call me at 617-555-1234', { user }), serviceUrl: connector.url });
    const { activities } = await app.send({ ...teamsMessage('talk to a person', { user }), serviceUrl: connector.url });
    const id = ticketIn(activities);
    const ticket = (await getTicket(app.ctx.db, id))!;
    expect(ticket.contact).to.deep.equal({ upn: 'anurse@contoso.org', email: 'alex.nurse@contoso.org', callbackNumber: '617-555-1234' });
    await receiver.received(1);
    const body = JSON.parse(receiver.requests.find((r) => r.key.startsWith(ticket.key))!.body);
    expect(body).to.deep.include({ key: ticket.key, id, contact: ticket.contact });
  });

  it('"Take it" from the support channel tells the clinician, and says so honestly when they could not be told', async () => {
    const reachable = ticketIn((await app.send({ ...teamsMessage('talk to a person', { user: '29:reachable' }), serviceUrl: connector.url })).activities);
    const unreachable = ticketIn((await app.send({ ...teamsMessage('talk to a person', { user: '29:unreachable' }), serviceUrl: 'http://127.0.0.1:9/' })).activities);
    const take = (ticketId: string) => app.send({
      ...teamsMessage(undefined, { user: '29:agent', name: 'Sam Agent', value: { action: 'ticket.take', ticketId } }),
      conversation: { id: `${SUPPORT};messageid=1700000000001`, conversationType: 'channel', isGroup: true },
    });
    const told = (await take(reachable)).activities[0]!.text;
    expect(told).to.equal(`Sam Agent took ${reachable}. The clinician has been told someone is on it.`);
    expect(connector.received.some((p) => p.activity.text?.includes(`${reachable}: in progress`))).to.equal(true);
    const notTold = (await take(unreachable)).activities[0]!.text;
    expect(notTold).to.match(/could not reach the clinician/);
    expect((await getTicket(app.ctx.db, unreachable))!.status).to.equal('in-progress');
  });

  it('delivers a status callback to a /chat conversation (served by the page\'s own origin)', async () => {
    const chat = {
      type: 'message', id: 'webchat-1', channelId: 'webchat', serviceUrl: app.url,
      from: { id: 'webchat-user-1', name: 'Web chat user' }, recipient: { id: 'elbow-bot', name: 'Elbow' },
      conversation: { id: 'webchat-conv-1', conversationType: 'personal' },
    };
    const id = ticketIn((await app.send({ ...chat, text: 'talk to a person' })).activities);
    expect((await callback(id, 'in-progress', 'Looking at it now.')).status).to.equal(200);
    const updates = await (await fetch(`${app.url}/chat/api/updates?conversationId=webchat-conv-1`)).json();
    expect(updates.activities.map((a: { text: string }) => a.text)).to.deep.equal([`Update on your help-desk ticket ${id}: in progress. Looking at it now.`]);
    const again = await (await fetch(`${app.url}/chat/api/updates?conversationId=webchat-conv-1`)).json();
    expect(again.activities).to.deep.equal([]);
  });
});
