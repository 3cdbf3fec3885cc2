import { expect } from 'chai';
import { createTicket, getTicket, listTicketsForUser, openTickets, updateTicketStatus } from '../../bot/escalation/tickets.js';
import { deliveryChannels } from '../../bot/escalation/ticket.js';
import { forEachEngine } from '../helpers/engines.js';
import { phiIn, ticketInput } from './fixtures.js';

const T0 = new Date('2026-03-01T10:05:00.000Z');
const later = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

forEachEngine('Tickets', (getDb) => {
  it('numbers tickets ELB-1001, ELB-1002 … and reads them back as committed', async () => {
    const first = await createTicket(getDb(), ticketInput(), T0, ['webhook']);
    const second = await createTicket(getDb(), ticketInput({ urgent: true, queue: 'clinical-apps' }), later(1), []);
    expect(first.id).to.equal('ELB-1001');
    expect(second.id).to.equal('ELB-1002');
    expect(second).to.deep.include({ urgency: 'urgent', queue: 'clinical-apps', status: 'open', role: 'nurse', userName: 'Alex Nurse' });
    expect(first.queue).to.equal('service-desk');
    // The number restarts in every fresh database; the key never repeats (it is a random UUID).
    expect(first.key).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(second.key).to.not.equal(first.key);
    expect(await getTicket(getDb(), first.id)).to.deep.equal(first);
    expect(first.createdAt.toISOString()).to.equal(T0.toISOString());
    expect(first.conversationRef?.conversation?.id).to.equal('a:conversation-1');
    expect(first.articlesTried).to.deep.equal([{ id: 'patient-list-incomplete', title: 'My patient list is missing patients', feedback: 'not-solved' }]);
    expect(await getTicket(getDb(), 'ELB-9999')).to.equal(undefined);
  });

  it('stores only the redacted transcript, last 20 lines (raw rows scanned)', async () => {
    const many = Array.from({ length: 25 }, (_, i) => ({ from: 'user' as const, text: `line ${i} pt John Smith`, at: T0.toISOString() }));
    const ticket = await createTicket(getDb(), ticketInput({ transcript: [...ticketInput().transcript, ...many] }), T0, ['webhook']);
    expect(ticket.transcript).to.have.length(20);
    expect(ticket.transcript.at(-1)!.text).to.equal('line 24 pt [NAME]');
    const short = await createTicket(getDb(), ticketInput(), T0, ['webhook']);
    expect(short.transcript.map((l) => l.text)).to.deep.equal([
      'pt [NAME] MRN [MRN] DOB [DOB] not on my list',
      'Here is how to refresh your patient list.',
      'still missing, call his wife [PHONE] or [EMAIL]; Mrs. [NAME] too. ssn [SSN]',
    ]);
    const raw = await getDb().query('SELECT * FROM tickets');
    expect(phiIn(JSON.stringify(raw))).to.deep.equal([]);
  });

  it('commits the ticket with one outbox row per channel, keyed "<ticket key>:<channel>"', async () => {
    const ticket = await createTicket(getDb(), ticketInput(), T0, ['webhook', 'teams', 'webhook']);
    const rows = await getDb().query<{ channel: string; idempotency_key: string; status: string; attempts: number }>(
      'SELECT channel, idempotency_key, status, attempts FROM outbox WHERE ticket_id = $1 ORDER BY channel',
      [ticket.id],
    );
    expect(rows).to.deep.equal([
      { channel: 'teams', idempotency_key: `${ticket.key}:teams`, status: 'pending', attempts: 0 },
      { channel: 'webhook', idempotency_key: `${ticket.key}:webhook`, status: 'pending', attempts: 0 },
    ]);
  });

  it('rolls the ticket back when its outbox row cannot be written (one transaction)', async () => {
    const holder = await createTicket(getDb(), ticketInput(), T0, []);
    const nextId = `ELB-${Number(holder.id.slice('ELB-'.length)) + 1}`;
    // A channel name PostgreSQL text cannot hold makes the outbox row (written after the ticket) fail.
    let failed: unknown;
    await createTicket(getDb(), ticketInput({ userId: 'rolled-back' }), T0, ['web\u0000hook' as 'webhook']).catch((err: unknown) => (failed = err));
    expect(failed).to.be.instanceOf(Error);
    expect(await getTicket(getDb(), nextId)).to.equal(undefined);
    expect(await listTicketsForUser(getDb(), 'rolled-back')).to.deep.equal([]);
  });

  it('lists a user\'s tickets newest first, and the open ones urgent first', async () => {
    const a = await createTicket(getDb(), ticketInput({ userId: 'u-list' }), later(10), []);
    const b = await createTicket(getDb(), ticketInput({ userId: 'u-list', urgent: true }), later(11), []);
    await createTicket(getDb(), ticketInput({ userId: 'someone-else' }), later(12), []);
    expect((await listTicketsForUser(getDb(), 'u-list')).map((t) => t.id)).to.deep.equal([b.id, a.id]);
    const open = await openTickets(getDb());
    expect(open[0]!.urgency).to.equal('urgent');
    expect(open.map((t) => t.id)).to.include.members([a.id, b.id]);
  });

  it('updates status with a redacted note; resolved and closed tickets leave the open list', async () => {
    const ticket = await createTicket(getDb(), ticketInput({ userId: 'u-status' }), T0, []);
    const taken = await updateTicketStatus(getDb(), ticket.id, 'in-progress', 'Calling you about pt John Smith now', later(5));
    expect(taken).to.deep.include({ status: 'in-progress', statusNote: 'Calling you about pt [NAME] now' });
    expect(taken!.updatedAt.toISOString()).to.equal(later(5).toISOString());
    await updateTicketStatus(getDb(), ticket.id, 'resolved', undefined, later(6));
    expect((await getTicket(getDb(), ticket.id))!.statusNote).to.equal(undefined);
    expect((await openTickets(getDb())).map((t) => t.id)).not.to.include(ticket.id);
    expect(await updateTicketStatus(getDb(), 'ELB-424242', 'closed', undefined, later(7))).to.equal(undefined);
  });
});

describe('deliveryChannels', () => {
  it('turns on the webhook with its URL and Teams with a channel id and an app id', () => {
    expect(deliveryChannels({})).to.deep.equal([]);
    expect(deliveryChannels({ ESCALATION_WEBHOOK_URL: 'https://hd.example/hook' })).to.deep.equal(['webhook']);
    expect(deliveryChannels({ SUPPORT_TEAMS_CHANNEL_ID: '19:x@thread.tacv2' })).to.deep.equal([]);
    expect(deliveryChannels({ ESCALATION_WEBHOOK_URL: 'u', SUPPORT_TEAMS_CHANNEL_ID: 'c', MicrosoftAppId: 'app' })).to.deep.equal(['webhook', 'teams']);
  });
});
