import { randomUUID } from 'node:crypto';
import type { Db, Sql } from '../store/db.js';
import { cutText } from '../text.js';
import {
  DEFAULT_QUEUE,
  idempotencyKey,
  ticketTranscript,
  type DeliveryChannel,
  type Ticket,
  type TicketContact,
  type TicketInput,
  type TicketStatus,
  type TranscriptTurn,
} from './ticket.js';
import { redact } from '../privacy/redact.js';

/** Tickets in the store (table `tickets`, migration 002). */

const COLUMNS =
  'id, ticket_key, created_at, updated_at, user_id, user_name, role, urgency, queue, status, status_note, articles_tried, transcript, ' +
  'conversation_ref, contact_upn, contact_email, callback_number';

interface TicketRow {
  id: string;
  ticket_key: string;
  created_at: Date;
  updated_at: Date;
  user_id: string;
  user_name: string;
  role: string;
  urgency: Ticket['urgency'];
  queue: string;
  status: TicketStatus;
  status_note: string | null;
  articles_tried: Ticket['articlesTried'];
  transcript: Ticket['transcript'];
  conversation_ref: Ticket['conversationRef'];
  contact_upn: string | null;
  contact_email: string | null;
  callback_number: string | null;
}

function fromRow(row: TicketRow): Ticket {
  return {
    id: row.id,
    key: row.ticket_key,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    userId: row.user_id,
    userName: row.user_name,
    role: row.role,
    urgency: row.urgency,
    queue: row.queue,
    status: row.status,
    ...(row.status_note ? { statusNote: row.status_note } : {}),
    articlesTried: row.articles_tried ?? [],
    transcript: row.transcript ?? [],
    conversationRef: row.conversation_ref ?? null,
    contact: { upn: row.contact_upn, email: row.contact_email, callbackNumber: row.callback_number },
  };
}

/** Contact fields as stored: trimmed, bounded, null when empty. */
function contactOf(input: TicketInput): TicketContact {
  const clean = (v: string | null | undefined, max: number) => (v?.trim() ? cutText(v.trim(), max) : null);
  return { upn: clean(input.contact?.upn, 256), email: clean(input.contact?.email, 256), callbackNumber: clean(input.contact?.callbackNumber, 40) };
}

function articlesOf(input: TicketInput): Ticket['articlesTried'] {
  return input.articlesTried.slice(-10).map((a) => ({
    id: String(a.id),
    title: String(a.title),
    ...(a.feedback ? { feedback: a.feedback } : {}),
  }));
}

/**
 * Commits a new ticket (transcript redacted, last 20 lines) together with one outbox row per delivery channel,
 * in one transaction; resolves only after the commit, so the bot may then promise a person. Always a new
 * ticket, outside the one-per-problem rule (see openOrAddToTicket for asks from a conversation).
 */
export async function createTicket(db: Db, input: TicketInput, now: Date, channels: readonly DeliveryChannel[] = []): Promise<Ticket> {
  return db.transaction((tx) => insertTicket(tx, input, now, channels, null));
}

/** A ticket the clinician asked for, and whether the ask went to a ticket already open for the same problem. */
export interface OpenedTicket {
  ticket: Ticket;
  /** True when the ask was added to an open ticket (no new ticket, no new delivery). */
  existing: boolean;
}

/**
 * One open ticket per problem per conversation: adds the ask to the open ticket of the same conversation and
 * problem (new transcript lines, contact details, urgency), or else commits a new ticket with its outbox rows.
 * A partial unique index settles two asks racing each other: the loser retries and finds the winner's ticket.
 */
export async function openOrAddToTicket(db: Db, input: TicketInput, now: Date, channels: readonly DeliveryChannel[] = []): Promise<OpenedTicket> {
  const attempt = () =>
    db.transaction(async (tx): Promise<OpenedTicket> => {
      const conversationId = conversationIdOf(input);
      const [open] = conversationId
        ? await tx.query<TicketRow>(
            `SELECT ${COLUMNS} FROM tickets WHERE conversation_id = $1 AND problem_key = $2 AND status IN ('open', 'in-progress') FOR UPDATE`,
            [conversationId, problemKeyOf(input)],
          )
        : [];
      if (!open) return { ticket: await insertTicket(tx, input, now, channels, conversationId), existing: false };
      return { ticket: await addToTicket(tx, fromRow(open), input, now), existing: true };
    });
  try {
    return await attempt();
  } catch (err) {
    if ((err as { code?: string }).code !== '23505') throw err;
    return attempt();
  }
}

function conversationIdOf(input: TicketInput): string | null {
  const id = input.conversationRef?.conversation?.id;
  return typeof id === 'string' && id ? cutText(id, 1024) : null;
}

function problemKeyOf(input: TicketInput): string {
  return cutText(input.problemKey ?? '', 200);
}

async function insertTicket(tx: Sql, input: TicketInput, now: Date, channels: readonly DeliveryChannel[], conversationId: string | null): Promise<Ticket> {
  const contact = contactOf(input);
  const [row] = await tx.query<TicketRow>(
    `INSERT INTO tickets (id, ticket_key, created_at, updated_at, user_id, user_name, role, urgency, queue, status,
                          articles_tried, transcript, conversation_ref, contact_upn, contact_email, callback_number,
                          conversation_id, problem_key)
     VALUES ('ELB-' || nextval('ticket_number_seq'), $1, $2, $2, $3, $4, $5, $6, $7, 'open', $8::jsonb, $9::jsonb, $10::jsonb,
             $11, $12, $13, $14, $15)
     RETURNING ${COLUMNS}`,
    [
      randomUUID(),
      now,
      input.userId,
      input.userName,
      input.role,
      input.urgent ? 'urgent' : 'normal',
      input.queue?.trim() || DEFAULT_QUEUE,
      JSON.stringify(articlesOf(input)),
      JSON.stringify(ticketTranscript(input.transcript)),
      input.conversationRef ? JSON.stringify(input.conversationRef) : null,
      contact.upn,
      contact.email,
      contact.callbackNumber,
      conversationId,
      problemKeyOf(input),
    ],
  );
  const ticket = fromRow(row!);
  for (const channel of new Set(channels)) await enqueue(tx, ticket, channel, now);
  return ticket;
}

/** Adds a repeated ask to an open ticket: lines not on it yet, new contact details, urgency only ever raised. */
async function addToTicket(tx: Sql, ticket: Ticket, input: TicketInput, now: Date): Promise<Ticket> {
  const seen = new Set(ticket.transcript.map(lineKey));
  const added = ticketTranscript(input.transcript).filter((line) => !seen.has(lineKey(line)));
  const contact = contactOf(input);
  const tried = new Map([...ticket.articlesTried, ...articlesOf(input)].map((a) => [a.id, a]));
  const [row] = await tx.query<TicketRow>(
    `UPDATE tickets SET updated_at = $2, transcript = $3::jsonb, articles_tried = $4::jsonb,
            urgency = CASE WHEN $5 THEN 'urgent' ELSE urgency END,
            contact_upn = COALESCE($6, contact_upn), contact_email = COALESCE($7, contact_email),
            callback_number = COALESCE($8, callback_number)
     WHERE id = $1 RETURNING ${COLUMNS}`,
    [
      ticket.id,
      now,
      JSON.stringify(ticketTranscript([...ticket.transcript, ...added])),
      JSON.stringify([...tried.values()].slice(-10)),
      input.urgent,
      contact.upn,
      contact.email,
      contact.callbackNumber,
    ],
  );
  return fromRow(row!);
}

function lineKey(line: TranscriptTurn): string {
  return `${line.at}|${line.from}|${line.text}`;
}

async function enqueue(tx: Sql, ticket: Ticket, channel: DeliveryChannel, now: Date): Promise<void> {
  await tx.query(
    `INSERT INTO outbox (ticket_id, channel, idempotency_key, status, attempts, next_attempt_at, created_at)
     VALUES ($1, $2, $3, 'pending', 0, $4, $4)`,
    [ticket.id, channel, idempotencyKey(ticket.key, channel), now],
  );
}

/** One ticket by id ("ELB-1042"), or undefined. */
export async function getTicket(db: Sql, id: string): Promise<Ticket | undefined> {
  const [row] = await db.query<TicketRow>(`SELECT ${COLUMNS} FROM tickets WHERE id = $1`, [id]);
  return row ? fromRow(row) : undefined;
}

/** Several tickets by id, in no particular order (ids not found are left out). */
export async function getTickets(db: Sql, ids: readonly string[]): Promise<Ticket[]> {
  if (ids.length === 0) return [];
  const rows = await db.query<TicketRow>(`SELECT ${COLUMNS} FROM tickets WHERE id = ANY($1::text[])`, [[...ids]]);
  return rows.map(fromRow);
}

/** One ticket by id, only when it belongs to `userId` (a clinician may ask about their own tickets only). */
export async function getTicketOf(db: Sql, userId: string, id: string): Promise<Ticket | undefined> {
  const [row] = await db.query<TicketRow>(`SELECT ${COLUMNS} FROM tickets WHERE id = $1 AND user_id = $2`, [id, userId]);
  return row ? fromRow(row) : undefined;
}

/** A user's tickets, newest first. */
export async function listTicketsForUser(db: Sql, userId: string, limit = 20): Promise<Ticket[]> {
  const rows = await db.query<TicketRow>(
    `SELECT ${COLUMNS} FROM tickets WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`,
    [userId, limit],
  );
  return rows.map(fromRow);
}

/** Sets a ticket's status (and the help desk's note, redacted); returns the updated ticket, or undefined if unknown. */
export async function updateTicketStatus(
  db: Sql,
  id: string,
  status: TicketStatus,
  note: string | undefined,
  now: Date,
): Promise<Ticket | undefined> {
  const [row] = await db.query<TicketRow>(
    `UPDATE tickets SET status = $2, status_note = $3, updated_at = $4 WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, status, note?.trim() ? redact(note.trim()) : null, now],
  );
  return row ? fromRow(row) : undefined;
}

/** Tickets not yet resolved or closed: urgent first, then oldest first. */
export async function openTickets(db: Sql, limit = 200): Promise<Ticket[]> {
  const rows = await db.query<TicketRow>(
    `SELECT ${COLUMNS} FROM tickets WHERE status IN ('open', 'in-progress')
     ORDER BY (urgency = 'urgent') DESC, created_at ASC LIMIT $1`,
    [limit],
  );
  return rows.map(fromRow);
}
