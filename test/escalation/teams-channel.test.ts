import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import { handoffEvent, teamsChannelDeliverer, ticketCard } from '../../bot/escalation/teams-channel.js';
import { assertValidCard } from '../helpers/card-schema.js';
import { phiIn, sampleTicket } from './fixtures.js';

const ticket = sampleTicket();

/** Every string in a JSON value, joined. */
function allText(value: unknown): string {
  return JSON.stringify(value);
}

describe('ticketCard', () => {
  it('is a valid Adaptive Card 1.5', () => {
    assertValidCard(ticketCard(ticket), 'ticket card');
    assertValidCard(ticketCard({ ...ticket, urgency: 'normal', articlesTried: [], transcript: [] }), 'empty ticket card');
  });

  it('summarizes the ticket and offers "Take it"', () => {
    const card = ticketCard(ticket);
    const text = allText(card.body);
    expect(text).to.include('URGENT: Ticket ELB-1042');
    const facts = (card.body.find((e) => e.type === 'FactSet') as unknown as { facts: Array<{ title: string; value: string }> }).facts;
    expect(Object.fromEntries(facts.map((f) => [f.title, f.value]))).to.include({ Urgency: 'Urgent', Role: 'nurse', Queue: 'clinical-apps', From: 'Alex Nurse' });
    expect(text).to.include('My patient list is missing patients (not solved)');
    expect(text).to.include('Clinician: pt [NAME] MRN [MRN] DOB [DOB] not on my list');
    expect(card.actions).to.deep.equal([{ type: 'Action.Submit', title: 'Take it', style: 'positive', data: { action: 'ticket.take', ticketId: 'ELB-1042' } }]);
  });

  it('redacts again what it shows, even from an unredacted ticket, and cannot be given links', () => {
    const raw = { ...ticket, transcript: [{ from: 'user' as const, text: 'pt John Smith [login](https://evil.example)', at: '' }] };
    const card = ticketCard(raw);
    expect(phiIn(allText(card))).to.deep.equal([]);
    expect(allText(card)).to.include('[login] (https://evil.example)');
  });
});

describe('handoffEvent', () => {
  it('is a handoff.initiate event with the ticket id and the redacted transcript', () => {
    const event = handoffEvent(ticket);
    expect(event).to.deep.include({ type: 'event', name: 'handoff.initiate' });
    expect(event.value).to.deep.include({ ticketId: 'ELB-1042' });
    expect(event.value.transcript).to.have.length(3);
    expect(event.conversation?.id).to.equal('a:conversation-1');
    expect(event.attachments?.[0]).to.deep.include({ contentType: 'application/json', name: 'Transcript' });
    expect(phiIn(allText(event))).to.deep.equal([]);
  });
});

describe('teamsChannelDeliverer', () => {
  it('opens a conversation in the support channel with the card, through a real CloudAdapter', async () => {
    const calls: Array<{ method?: string; url?: string; body: any }> = [];
    const connector = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        calls.push({ method: req.method, url: req.url, body: JSON.parse(body || '{}') });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: '19:support@thread.tacv2;messageid=1', activityId: '1' }));
      });
    });
    await new Promise<void>((resolve) => connector.listen(0, '127.0.0.1', resolve));
    try {
      // No credentials: the adapter talks to the local "connector" without tokens.
      const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}, new ConfigurationServiceClientCredentialFactory({})));
      const deliver = teamsChannelDeliverer({
        adapter,
        appId: 'elbow-app-id',
        channelId: '19:support@thread.tacv2',
        serviceUrl: `http://127.0.0.1:${(connector.address() as AddressInfo).port}/`,
      });
      await deliver(ticket, 'ELB-1042:teams');
      expect(calls.map((c) => `${c.method} ${c.url}`)).to.deep.equal(['POST /v3/conversations']);
      const { body } = calls[0]!;
      expect(body).to.deep.include({ isGroup: true, channelData: { channel: { id: '19:support@thread.tacv2' } } });
      expect(body.activity.attachments[0].contentType).to.equal('application/vnd.microsoft.card.adaptive');
      expect(body.activity.attachments[0].content).to.deep.equal(JSON.parse(JSON.stringify(ticketCard(ticket))));
    } finally {
      connector.closeAllConnections();
      await new Promise<void>((resolve) => connector.close(() => resolve()));
    }
  });
});
