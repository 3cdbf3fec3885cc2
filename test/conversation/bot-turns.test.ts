import path from 'node:path';
import { expect } from 'chai';
import { pino } from 'pino';
import { ActivityTypes, ConversationState, MemoryStorage, TestAdapter, UserState, type Activity } from 'botbuilder';
import { loadConfig } from '../../bot/config.js';
import { ElbowBot } from '../../bot/conversation/bot.js';
import type { HelpDesk } from '../../bot/conversation/handoff.js';
import type { AnalyticsSink, FeedbackEvent, TurnEvent } from '../../bot/analytics/events.js';
import { buildKnowledgeBase } from '../../bot/knowledge/knowledge-base.js';
import { redact } from '../../bot/privacy/redact.js';
import type { AppContext } from '../../bot/context.js';
import { assertValidCard } from '../helpers/card-schema.js';

/** The turn logic alone, on botbuilder's TestAdapter: no server, no database. */
describe('ElbowBot turn logic (TestAdapter)', () => {
  const kb = buildKnowledgeBase(path.resolve('knowledge'));
  const turns: TurnEvent[] = [];
  const feedback: FeedbackEvent[] = [];
  const analytics: AnalyticsSink = { turn: (e) => turns.push(e), feedback: (e) => feedback.push(e), flush: async () => undefined };
  const tickets: string[] = [];
  const helpDesk: HelpDesk = {
    canDeliver: true,
    escalate: async (request) => {
      tickets.push(JSON.stringify(request));
      return { id: `ELB-${1000 + tickets.length}`, status: 'open', urgency: request.urgent ? 'urgent' : 'normal', createdAt: new Date(), updatedAt: new Date() };
    },
    ticketsFor: async () => [],
    ticketOf: async () => undefined,
    take: async () => undefined,
  };
  function newAdapter(): TestAdapter {
    const config = loadConfig({ LOG_LEVEL: 'silent' });
    const ctx = { config, knowledge: { current: () => kb }, logger: pino({ level: 'silent' }), now: () => new Date('2026-11-20T10:00:00Z') } as unknown as AppContext;
    const storage = new MemoryStorage();
    const bot = new ElbowBot({ ctx, userState: new UserState(storage), conversationState: new ConversationState(storage), analytics, helpDesk, redact });
    return new TestAdapter((context) => bot.run(context));
  }
  const feedbackTurnId = (card: Record<string, unknown>): string =>
    ((card.actions as Array<{ data?: { action?: string; turnId?: string } }>).find((x) => x.data?.action === 'feedback')?.data?.turnId) as string;
  const cardOf = (activity: Partial<Activity>) => {
    const card = activity.attachments?.[0]?.content as Record<string, unknown>;
    assertValidCard(card);
    return card;
  };

  it('greets a new member with the role question', async () => {
    const adapter = newAdapter();
    await adapter
      .send({ type: ActivityTypes.ConversationUpdate, membersAdded: [{ id: 'user1', name: 'Nurse' }], recipient: { id: 'bot', name: 'Elbow' } } as Partial<Activity>)
      .assertReply((a) => {
        const text = JSON.stringify(cardOf(a));
        expect(text).to.include('never give clinical advice');
        expect(text).to.include('"Nurse"');
      });
  });

  it('answers, takes Not solved, and escalates with the articles tried and a redacted transcript', async () => {
    const adapter = newAdapter();
    let answeredTurn = '';
    await adapter
      .send({ type: 'message', value: { action: 'role', role: 'nurse' } })
      .assertReply((a) => expect(a.text).to.match(/nurse steps first/))
      .send('pt Jane Doe MRN 12345678 scanner wont read her wristband')
      .assertReply((a) => {
        expect(JSON.stringify(cardOf(a))).to.include('barcode-scan-failed');
        answeredTurn = feedbackTurnId(cardOf(a));
      })
      .send({ type: 'message', value: { action: 'feedback', value: 'not-solved', articleId: 'barcode-scan-failed', turnId: 'forged' } })
      .assertReply((a) => expect(a.text).to.match(/can't find that answer/))
      .send({ type: 'message', value: { action: 'feedback', value: 'not-solved', articleId: 'no-such-article', turnId: 'forged' } })
      .assertReply((a) => expect(a.text).to.match(/can't find that answer/));
    expect(feedback).to.deep.equal([]);
    await adapter
      .send({ type: 'message', value: { action: 'feedback', value: 'not-solved', articleId: 'barcode-scan-failed', turnId: answeredTurn } })
      .assertReply((a) => expect(JSON.stringify(cardOf(a))).to.include('Talk to a person'))
      .send({ type: 'message', value: { action: 'escalate', articleId: 'barcode-scan-failed' } })
      .assertReply((a) => expect(a.text).to.match(/ticket ELB-\d+/));
    const request = JSON.parse(tickets.at(-1) as string);
    expect(request.role).to.equal('nurse');
    expect(request.articlesTried).to.deep.include({ id: 'barcode-scan-failed', title: request.articlesTried[0].title, feedback: 'not-solved' });
    expect(JSON.stringify(request.transcript)).not.to.match(/Jane|Doe|12345678/);
    expect(feedback.at(-1)).to.include({ articleId: 'barcode-scan-failed', value: 'not-solved' });
    expect(turns.at(-1)).to.include({ outcome: 'escalate', role: 'nurse' });
  });

  it('counts one Not solved vote per user per answer, from every way of voting', async () => {
    const adapter = newAdapter();
    const before = feedback.length;
    let turnId = '';
    const vote = () => ({ type: 'message', value: { action: 'feedback', value: 'not-solved', articleId: 'password-reset', turnId } }) as Partial<Activity>;
    await adapter
      .send({ type: 'message', value: { action: 'role', role: 'nurse' } })
      .assertReply(() => undefined)
      .send('reset my password')
      .assertReply((a) => void (turnId = feedbackTurnId(cardOf(a))));
    // The votes are built after the answer arrived (a chain is built before it runs).
    await adapter
      .send(vote())
      .assertReply((a) => expect(JSON.stringify(cardOf(a))).to.include('Talk to a person'))
      .send(vote())
      .assertReply((a) => expect(JSON.stringify(cardOf(a))).to.include('Talk to a person'))
      .send('not solved')
      .assertReply(() => undefined);
    expect(feedback.slice(before).map((f) => [f.articleId, f.value])).to.deep.equal([['password-reset', 'not-solved']]);
  });

  it('changes the role on request', async () => {
    const adapter = newAdapter();
    await adapter
      .send({ type: 'message', value: { action: 'role', role: 'nurse' } })
      .assertReply(() => undefined)
      .send("change my role to physician")
      .assertReply((a) => expect(a.text).to.match(/physician steps first/));
  });
});
