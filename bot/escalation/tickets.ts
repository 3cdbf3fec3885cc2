import type { Db, Sql } from '../store/db.js';
import {
  DEFAULT_QUEUE,
  idempotencyKey,
  ticketTranscript,
  type DeliveryChannel,
  type Ticket,
  type TicketInput,
  type TicketStatus,
} from './ticket.js';
import { redact } from '../privacy/redact.js';

/** Tickets in the store (table `tickets`, migration 002). */

const COLUMNS =
  'id, created_at, updated_at, user_id, user_name, role, urgency, queue, status, status_note, articles_tried, transcript, conversation_ref';

interface TicketRow {
  id: string;
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
}

function fromRow(row: TicketRow): Ticket {
  return {
    id: row.id,
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
  };
}

/**
 * Commits a ticket (transcript redacted, last 20 lines) together with one outbox row per delivery channel,
 * in one transaction; resolves only after the commit, so the bot may then promise a person.
 */
export async function createTicket(db: Db, input: TicketInput, now: Date, channels: readonly DeliveryChannel[] = []): Promise<Ticket> {
  const articlesTried = input.articlesTried.slice(-10).map((a) => ({
    id: String(a.id),
    title: String(a.title),
    ...(a.feedback ? { feedback: a.feedback } : {}),
  }));
  return db.transaction(async (tx) => {
    const [row] = await tx.query<TicketRow>(
      `INSERT INTO tickets (id, created_at, updated_at, user_id, user_name, role, urgency, queue, status,
                            articles_tried, transcript, conversation_ref)
       VALUES ('ELB-' || nextval('ticket_number_seq'), $1, $1, $2, $3, $4, $5, $6, 'open', $7::jsonb, $8::jsonb, $9::jsonb)
       RETURNING ${COLUMNS}`,
      [
        now,
        input.userId,
        input.userName,
        input.role,
        input.urgent ? 'urgent' : 'normal',
        input.queue?.trim() || DEFAULT_QUEUE,
        JSON.stringify(articlesTried),
        JSON.stringify(ticketTranscript(input.transcript)),
        input.conversationRef ? JSON.stringify(input.conversationRef) : null,
      ],
    );
    const ticket = fromRow(row!);
    for (const channel of new Set(channels)) await enqueue(tx, ticket.id, channel, now);
    return ticket;
  });
}

async function enqueue(tx: Sql, ticketId: string, channel: DeliveryChannel, now: Date): Promise<void> {
  await tx.query(
    `INSERT INTO outbox (ticket_id, channel, idempotency_key, status, attempts, next_attempt_at, created_at)
     VALUES ($1, $2, $3, 'pending', 0, $4, $4)`,
    [ticketId, channel, idempotencyKey(ticketId, channel), now],
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
