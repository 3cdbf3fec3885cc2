import { expect } from 'chai';
import { startTestApp, teamsMessage, cardsOf, textOf, type TestApp } from '../helpers/app.js';
import { validateCard } from '../helpers/card-schema.js';

/** Finds the data of a card action by title in the replies. */
function actionData(activities: Array<Record<string, any>>, title: string): Record<string, unknown> {
  for (const card of cardsOf(activities)) {
    const action = (card.actions ?? []).find((a: { title: string }) => a.title === title);
    if (action) return action.data;
  }
  throw new Error(`no action "${title}" in ${JSON.stringify(cardsOf(activities)).slice(0, 500)}`);
}

describe('conversations clinicians have with Elbow', () => {
  let app: TestApp;
  let clock = new Date('2026-11-20T08:00:00Z');
  const sent: Array<Record<string, any>> = [];
  before(async () => {
    // A webhook is configured (the outbox is off: nothing is sent) so Elbow may promise contact; the support
    // channel is the one teamsMessage(…, { channel: true }) posts from.
    app = await startTestApp({ ESCALATION_WEBHOOK_URL: 'http://127.0.0.1:9/hook', SUPPORT_TEAMS_CHANNEL_ID: '19:general@thread.tacv2' }, { now: () => clock, outbox: false });
  });
  after(async () => {
    for (const card of cardsOf(sent)) expect(validateCard(card), JSON.stringify(card).slice(0, 200)).to.deep.equal([]);
    await app.stop();
  });
  async function say(user: string, text: string | undefined, value?: unknown, channel = false) {
    const { status, activities } = await app.send(teamsMessage(text, { user, value, channel }));
    expect(status).to.equal(200);
    sent.push(...activities);
    return activities;
  }

  it('greets, asks the role once, answers with a card, and offers a person after Not solved', async () => {
    const user = '29:nurse-flow';
    const hello = await say(user, 'hi');
    expect(textOf(hello)).to.match(/clinical advice/i);
    const nurse = actionData(hello, 'Nurse');
    const saved = await say(user, undefined, nurse);
    expect(textOf(saved)).to.match(/nurse steps first/i);

    const answer = await say(user, 'pyxis wont let me pull the med');
    expect(JSON.stringify(cardsOf(answer))).to.include('dispensing-cabinet-access');
    expect(textOf(answer)).not.to.match(/what is your role/i);
    const notSolved = await say(user, undefined, actionData(answer, 'Not solved'));
    expect(textOf(notSolved)).to.match(/help desk/i);
    const ticket = await say(user, undefined, actionData(notSolved, 'Talk to a person'));
    expect(textOf(ticket)).to.match(/A person from the help desk will contact you — ticket ELB-\d+/);
  });

  it('offers candidates on a vague question and answers the clicked one', async () => {
    const user = '29:clarify-flow';
    await say(user, undefined, { action: 'role', role: 'physician' });
    const reply = await say(user, 'list');
    const cards = cardsOf(reply);
    const clarify = cards.find((c) => JSON.stringify(c).includes('None of these'));
    expect(clarify, 'a "Did you mean" card').to.exist;
    expect(clarify!.actions.length).to.be.within(3, 4);
    const first = clarify!.actions[0].data as { articleId: string };
    const picked = await say(user, undefined, first);
    expect(JSON.stringify(cardsOf(picked))).to.include(first.articleId);
  });

  it('declines a clinical question without an article', async () => {
    const reply = await say('29:decline', 'what dose of heparin should i give for a pt who weighs 80 kg');
    expect(textOf(reply)).to.match(/can't help with clinical questions/i);
    expect(JSON.stringify(cardsOf(reply))).not.to.include('"feedback"');
  });

  it('declines a clinical question about a patient getting worse now with a pointer to the rapid response team, not a ticket', async () => {
    const reply = await say('29:decline-at-risk', 'my patient is seizing and still going, what should i push first');
    expect(textOf(reply)).to.match(/call the rapid response team or the covering provider now/i);
    expect(textOf(reply)).to.match(/can't help with clinical questions/i);
    expect(textOf(reply)).not.to.match(/ticket ELB-/);
  });

  it('treats an urgent message as urgent: article with priority escalation offered in the same reply', async () => {
    const reply = await say('29:urgent', 'the ehr is down on the whole unit and I have a patient waiting');
    const [card] = cardsOf(reply) as Array<{ body: Array<Record<string, unknown>>; actions: Array<Record<string, unknown>> }>;
    expect(JSON.stringify(card)).to.include('ehr-downtime');
    // The urgent banner comes first, and the person button is the emphasised one.
    expect(card.body[0]).to.deep.include({ type: 'Container', style: 'attention' });
    expect(JSON.stringify(card.body[0])).to.match(/If a patient is waiting, choose Talk to a person now/);
    expect(card.actions.find((a) => a.title === 'Talk to a person')).to.deep.include({ style: 'destructive' });
  });

  it('offers a person after two misses in a row', async () => {
    const user = '29:misses';
    await say(user, undefined, { action: 'role', role: 'other' });
    await say(user, 'qwzx vbnm plok');
    const second = await say(user, 'zzqv xxkj wwpl');
    expect(textOf(second)).to.match(/still can't find it/i);
    expect(textOf(second)).to.include('Talk to a person');
  });

  it('tells a returning user what is new after more than 7 days away, once', async () => {
    const user = '29:returning';
    clock = new Date('2026-01-02T08:00:00Z');
    await say(user, undefined, { action: 'role', role: 'nurse' });
    clock = new Date('2026-11-24T08:00:00Z');
    const back = await say(user, 'reset my password');
    expect(textOf(back)).to.match(/Welcome back! Since your last visit \(\d+ days ago\)/);
    const again = await say(user, 'reset my password');
    expect(textOf(again)).not.to.match(/Welcome back/);
    clock = new Date('2026-11-20T08:00:00Z');
  });

  it('lists my tickets', async () => {
    const user = '29:tickets';
    await say(user, undefined, { action: 'role', role: 'nurse' });
    const created = await say(user, 'talk to a person');
    const id = /ELB-\d+/.exec(textOf(created))?.[0];
    expect(id).to.be.a('string');
    const list = await say(user, 'my tickets');
    expect(textOf(list)).to.include(id);
    const taken = await say('29:help-desk-agent', undefined, { action: 'ticket.take', ticketId: id }, true);
    expect(textOf(taken)).to.include(`took ${id}`);
    const after = await say(user, 'my tickets');
    expect(textOf(after)).to.match(new RegExp(`${id}: in progress`));
  });

  it('sends a handoff.initiate event with the ticket on Direct Line based channels', async () => {
    const activity = { ...teamsMessage('i need to talk to a human', { user: '29:webchat-user' }), channelId: 'webchat' };
    const { activities } = await app.send(activity);
    const handoff = activities.find((a) => a.type === 'event' && a.name === 'handoff.initiate');
    expect(handoff, JSON.stringify(activities).slice(0, 300)).to.exist;
    expect(handoff!.value.ticketId).to.match(/^ELB-\d+$/);
  });
});
