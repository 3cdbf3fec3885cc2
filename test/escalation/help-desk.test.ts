import { expect } from 'chai';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import { createHelpDesk } from '../../bot/escalation/help-desk.js';
import { getTicket } from '../../bot/escalation/tickets.js';
import { loadConfig } from '../../bot/config.js';
import { createLogger } from '../../bot/logger.js';
import type { KnowledgeBase } from '../../bot/knowledge/knowledge-base.js';
import type { Db } from '../../bot/store/db.js';
import { openDb } from '../../bot/store/open.js';
import type { AppContext } from '../../bot/context.js';
import { freshDataDir, type FreshDataDir } from '../helpers/engines.js';
import { phiIn, ticketInput } from './fixtures.js';
import { startFakeConnector, type FakeConnector } from '../helpers/fake-connector.js';
import { WebhookReceiver } from './receiver.js';

describe('createHelpDesk', () => {
  let fresh: FreshDataDir;
  let db: Db;
  let receiver: WebhookReceiver;
  let connector: FakeConnector;

  before(async () => {
    fresh = await freshDataDir();
    db = await openDb({ dataDir: fresh.dir });
    receiver = new WebhookReceiver();
    await receiver.up();
    connector = await startFakeConnector();
  });
  after(async () => {
    await receiver.down();
    await connector.close();
    await db.close();
    fresh.remove();
  });

  function helpDesk() {
    const config = loadConfig({ LOG_LEVEL: 'silent', ESCALATION_WEBHOOK_URL: receiver.url });
    const articles = new Map([['order-set-missing', { escalate: 'clinical-apps' }]]);
    const knowledge = { current: () => ({ byId: articles }) as unknown as KnowledgeBase };
    const ctx: AppContext = { config, db, knowledge, logger: createLogger('silent'), now: () => new Date('2026-03-01T12:00:00Z') };
    const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}, new ConfigurationServiceClientCredentialFactory({})));
    return createHelpDesk({ ctx, adapter });
  }

  it('commits the ticket in the article\'s queue and delivers it to the webhook right away', async () => {
    const desk = helpDesk();
    try {
      const { transcript, articlesTried, conversationRef } = ticketInput();
      const summary = await desk.escalate({
        userId: '29:user-a',
        userName: 'Alex Nurse',
        role: 'nurse',
        urgent: true,
        articleId: 'order-set-missing',
        articlesTried,
        transcript,
        conversationRef: conversationRef ?? {},
      });
      expect(summary).to.deep.include({ status: 'open', urgency: 'urgent' });
      expect((await getTicket(db, summary.id))!.queue).to.equal('clinical-apps');
      await receiver.received(1);
      expect(receiver.requests[0]!.key).to.equal(`${(await getTicket(db, summary.id))!.key}:webhook`);
      expect(phiIn(receiver.requests[0]!.body)).to.deep.equal([]);
      expect((await desk.ticketsFor('29:user-a')).map((t) => t.id)).to.deep.equal([summary.id]);
    } finally {
      await desk.stop();
    }
  });

  it('notifies the clinician in the ticket\'s conversation', async () => {
    const desk = helpDesk();
    try {
      const input = ticketInput();
      const conversation = { id: 'a:conversation-2', isGroup: false, conversationType: 'personal', name: '' };
      const summary = await desk.escalate({ ...input, role: 'nurse', conversationRef: { ...input.conversationRef, conversation, serviceUrl: connector.url } });
      const ticket = (await getTicket(db, summary.id))!;
      await desk.notify({ ...ticket, status: 'in-progress', statusNote: 'On my way to 4 West.' });
      expect(connector.received).to.have.length(1);
      expect(connector.received[0]!.path).to.match(/^\/v3\/conversations\/a%3Aconversation-2\/activities/);
      expect(connector.received[0]!.activity.text).to.equal(`Update on your help-desk ticket ${summary.id}: in progress. On my way to 4 West.`);
    } finally {
      await desk.stop();
    }
  });
});
