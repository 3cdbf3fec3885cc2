import { expect } from 'chai';
import { getTicket } from '../../bot/escalation/tickets.js';
import { WebhookReceiver } from '../escalation/receiver.js';
import { cardsOf, startTestApp, teamsMessage, textOf, type TestApp } from '../helpers/app.js';

/** The data of the card action titled `title` in the replies. */
function actionData(activities: Array<Record<string, any>>, title: string): Record<string, unknown> {
  for (const card of cardsOf(activities)) {
    const action = (card.actions ?? []).find((a: { title: string }) => a.title === title);
    if (action) return action.data;
  }
  throw new Error(`no action "${title}"`);
}

const ticketNumber = (activities: Array<Record<string, any>>) => /ELB-\d+/.exec(textOf(activities))?.[0];

describe('asking for a person, as a help desk needs it (issue 13)', () => {
  let app: TestApp;
  let receiver: WebhookReceiver;
  before(async function () {
    this.timeout(120_000); // the first PGlite of a run makes the template database
    receiver = new WebhookReceiver();
    await receiver.up();
    app = await startTestApp({ ESCALATION_WEBHOOK_URL: receiver.url, HELP_DESK_TIME_ZONE: 'America/New_York', TICKET_CALLBACK_TOKEN: 'callback-token-0123456789' });
  });
  after(async () => {
    await app.stop();
    await receiver.down();
  });
  async function say(user: string, text: string | undefined, value?: unknown) {
    const { status, activities } = await app.send(teamsMessage(text, { user, value }));
    expect(status).to.equal(200);
    return activities;
  }

  it('three ways of asking in one conversation: one ticket in the article\'s queue, one delivery, the new text added', async () => {
    const user = '29:three-asks';
    await say(user, undefined, { action: 'role', role: 'nurse' });
    const answer = await say(user, 'reset my password');
    expect(JSON.stringify(cardsOf(answer))).to.include('password-reset');
    const first = ticketNumber(await say(user, 'talk to a person'));
    expect(first).to.match(/^ELB-\d+$/);
    const second = await say(user, 'can I talk to a human, the reset page says my account is disabled');
    expect(ticketNumber(second)).to.equal(first);
    expect(textOf(second)).to.match(/already have ticket/);
    const third = await say(user, undefined, actionData(answer, 'Talk to a person'));
    expect(ticketNumber(third)).to.equal(first);

    const ticket = (await getTicket(app.ctx.db, first!))!;
    expect(ticket.queue).to.equal('identity-access');
    expect(ticket.transcript.map((l) => l.text).join('\n')).to.include('the reset page says my account is disabled');
    const rows = await app.ctx.db.query('SELECT id FROM tickets WHERE user_id = $1', [user]);
    expect(rows).to.have.length(1);
    await receiver.received(1);
    const outbox = await app.ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE ticket_id = $1', [first]);
    expect(outbox[0]!.n).to.equal(1);
  });

  it('the typed ask and the button land in the same queue, from the article at hand', async () => {
    const typed = '29:typed-queue';
    await say(typed, undefined, { action: 'role', role: 'nurse' });
    await say(typed, 'reset my password');
    const byText = ticketNumber(await say(typed, 'talk to a person'));
    const clicked = '29:button-queue';
    await say(clicked, undefined, { action: 'role', role: 'nurse' });
    const answer = await say(clicked, 'reset my password');
    const byButton = ticketNumber(await say(clicked, undefined, actionData(answer, 'Talk to a person')));
    expect((await getTicket(app.ctx.db, byText!))!.queue).to.equal('identity-access');
    expect((await getTicket(app.ctx.db, byButton!))!.queue).to.equal('identity-access');
  });

  it('keys deliveries by a random ticket key, not the ELB number', async () => {
    const user = '29:key-user';
    const id = ticketNumber(await say(user, 'talk to a person'));
    const ticket = (await getTicket(app.ctx.db, id!))!;
    expect(ticket.key).to.match(/^[0-9a-f-]{36}$/);
    const [row] = await app.ctx.db.query<{ idempotency_key: string }>('SELECT idempotency_key FROM outbox WHERE ticket_id = $1', [id]);
    expect(row!.idempotency_key).to.equal(`${ticket.key}:webhook`);
    await receiver.received(receiver.requests.length);
  });

  it('an emoji at the 1,000-character cut still gives a ticket', async () => {
    const text = `talk to a person ${'x'.repeat(999 - 'talk to a person '.length)}😀 more`;
    expect(text.charCodeAt(999)).to.be.within(0xd800, 0xdbff);
    const reply = await say('29:emoji-cut', text);
    expect(textOf(reply)).to.match(/ticket ELB-\d+/);
    expect(textOf(reply)).not.to.match(/couldn't create a ticket/);
  });

  it('answers "what\'s the status of ELB-n" for the asker\'s own ticket only, with the help-desk note and local times', async () => {
    const owner = '29:status-owner';
    const id = ticketNumber(await say(owner, 'talk to a person'))!;
    const res = await fetch(`${app.url}/api/tickets/${id}/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer callback-token-0123456789' },
      body: JSON.stringify({ status: 'in-progress', note: 'Resetting your account now.' }),
    });
    expect(res.status).to.equal(200);
    const mine = textOf(await say(owner, "what's the status of " + id + '?'));
    expect(mine).to.include(`${id}: in progress`).and.to.include('Resetting your account now.').and.to.match(/GMT-[45]\b/);
    const listed = textOf(await say(owner, 'my tickets'));
    expect(listed).to.include('Resetting your account now.').and.to.match(/GMT-[45]\b/);

    const other = (await say('29:someone-else', `status of ${id}`))[0]!.text;
    const missing = (await say('29:someone-else', 'status of ELB-987654'))[0]!.text;
    expect(other).to.equal(`I can't find a ticket ${id} of yours. Say "my tickets" to see the ones Elbow opened for you.`);
    expect(missing.replace('ELB-987654', id)).to.equal(other);
  });

  it('refuses help-desk buttons outside the support channel with one neutral reply, existing ticket or not', async () => {
    const victim = '29:victim';
    const id = ticketNumber(await say(victim, 'talk to a person'))!;
    const forged = (await say('29:attacker', undefined, { action: 'ticket.take', ticketId: id }))[0]!.text;
    const unknown = (await say('29:attacker', undefined, { action: 'ticket.take', ticketId: 'ELB-987654' }))[0]!.text;
    expect(forged).to.equal(unknown);
    expect(forged).to.match(/support channel/);
    expect((await getTicket(app.ctx.db, id))!.status).to.equal('open');
  });
});

describe('asking for a person with no delivery configured', () => {
  let app: TestApp;
  const lines: string[] = [];
  before(async () => {
    const { pino } = await import('pino');
    const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
    app = await startTestApp({ HELP_DESK_PHONE: '555-0100' }, { logger });
  });
  after(async () => {
    await app.stop();
  });

  it('warns at start-up naming the missing settings, and shows it on /readyz', async () => {
    const warning = lines.map((l) => JSON.parse(l)).find((l) => /no help-desk delivery/.test(l.msg));
    expect(warning).to.deep.include({ level: 40, missing: ['ESCALATION_WEBHOOK_URL', 'SUPPORT_TEAMS_CHANNEL_ID'] });
    const ready = await (await fetch(`${app.url}/readyz`)).json();
    expect(ready.escalation).to.deep.equal({ delivery: [], missing: ['ESCALATION_WEBHOOK_URL', 'SUPPORT_TEAMS_CHANNEL_ID'] });
  });

  it('promises no contact and gives the phone number', async () => {
    const { activities } = await app.send(teamsMessage('talk to a person'));
    const said = textOf(activities);
    expect(said).not.to.match(/will contact you/);
    expect(said).to.match(/can't pass this on/).and.to.include('555-0100');
  });
});
