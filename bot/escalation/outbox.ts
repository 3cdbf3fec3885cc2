import { randomUUID } from 'node:crypto';
import type { Db, Sql } from '../store/db.js';
import { cutText } from '../text.js';
import { claimStatement, settleRow } from './outbox-rows.js';
import type { Ticket } from './ticket.js';
import { getTickets } from './tickets.js';

/** Delivers one ticket on one channel; resolves when the receiver has it. Throws to retry later. */
export type Deliverer = (ticket: Ticket, idempotencyKey: string) => Promise<void>;

/** Thrown by a deliverer when retrying cannot help (e.g. HTTP 400/401/404): the row goes dead at once. */
export class PermanentDeliveryError extends Error {
  override readonly name = 'PermanentDeliveryError';
}

/** Thrown by a deliverer when the receiver asked to wait (Retry-After): the retry waits at least that long. */
export class RetryLaterError extends Error {
  override readonly name = 'RetryLaterError';
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
  }
}

function retryAfterMs(err: unknown): number {
  return err instanceof RetryLaterError ? err.retryAfterMs : 0;
}

/** The part of a pino logger the worker uses. */
export interface OutboxLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Exponential backoff between attempts: baseMs, 2·baseMs, 4·baseMs … capped at maxMs, with jitter. */
export interface Backoff {
  baseMs: number;
  maxMs: number;
}

/** Settings of an OutboxWorker; everything but db and deliverers has a default. */
export interface OutboxWorkerOptions {
  db: Db;
  /** One deliverer per channel; rows of other channels are left pending for a worker that has one. */
  deliverers: Partial<Record<string, Deliverer>>;
  now?: () => Date;
  logger?: OutboxLogger;
  /** Time between polls when idle (default 2 s). */
  pollMs?: number;
  /** Rows claimed per round (default 10). */
  batch?: number;
  /** How long a claim holds, and how long one delivery may take; keep it above the deliverers' timeouts (default 60 s). */
  leaseMs?: number;
  /** Attempts before a row is marked dead (default 8). */
  maxAttempts?: number;
  backoff?: Backoff;
  /** Source of jitter in [0, 1) (default Math.random). */
  random?: () => number;
  /** Shown in locked_by (default a random id). */
  workerId?: string;
}

/** What one round did. */
export interface OutboxRound {
  claimed: number;
  delivered: number;
  retried: number;
  dead: number;
}

interface ClaimedRow {
  id: number;
  ticket_id: string;
  channel: string;
  idempotency_key: string;
  attempts: number;
}

const NO_LOGGER: OutboxLogger = { info() {}, warn() {}, error() {} };

/** Delay before attempt `attempt + 1` after `attempt` failures: half fixed, half random ("equal jitter"). */
export function retryDelayMs(attempt: number, backoff: Backoff, random: () => number): number {
  const ceiling = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/**
 * Delivers committed tickets from the `outbox` table. Each round claims due rows with
 * FOR UPDATE SKIP LOCKED and a lease (several workers, in one or many processes, never hold one row at
 * once), delivers them, and marks each delivered, or schedules a retry with backoff, or after
 * maxAttempts marks it dead (kept for /admin). A row whose worker died is claimed again once its lease
 * runs out, so delivery is at-least-once; receivers drop repeats by the Idempotency-Key.
 */
export class OutboxWorker {
  readonly id: string;
  private readonly db: Db;
  private readonly deliverers: Partial<Record<string, Deliverer>>;
  private readonly now: () => Date;
  private readonly logger: OutboxLogger;
  private readonly pollMs: number;
  private readonly batch: number;
  private readonly leaseMs: number;
  private readonly maxAttempts: number;
  private readonly backoff: Backoff;
  private readonly random: () => number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private again = false;
  private started = false;

  constructor(options: OutboxWorkerOptions) {
    this.db = options.db;
    this.deliverers = options.deliverers;
    this.now = options.now ?? (() => new Date());
    this.logger = options.logger ?? NO_LOGGER;
    this.pollMs = options.pollMs ?? 2_000;
    this.batch = options.batch ?? 10;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.maxAttempts = options.maxAttempts ?? 8;
    this.backoff = options.backoff ?? { baseMs: 5_000, maxMs: 15 * 60_000 };
    this.random = options.random ?? Math.random;
    this.id = options.workerId ?? `outbox-${randomUUID().slice(0, 8)}`;
  }

  /** Starts polling (a first round right away). */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.schedule(0);
  }

  /** Runs a round now (or right after the current one): a new ticket goes out without waiting for the poll. */
  kick(): void {
    if (!this.started) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  /** Stops polling and waits for the round in flight; its claimed rows end delivered or rescheduled. */
  async stop(): Promise<void> {
    this.started = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One round: claim due rows, deliver them, record each outcome. */
  async runOnce(): Promise<OutboxRound> {
    const round: OutboxRound = { claimed: 0, delivered: 0, retried: 0, dead: 0 };
    const channels = Object.keys(this.deliverers).filter((c) => this.deliverers[c]);
    if (channels.length === 0) return round;
    const claimed = await this.claim(channels);
    round.claimed = claimed.length;
    if (claimed.length === 0) return round;
    const tickets = new Map((await getTickets(this.db, claimed.map((r) => r.ticket_id))).map((t) => [t.id, t]));
    // Settle every delivery before returning (stop() waits for this); a row whose bookkeeping failed keeps
    // its lease and is delivered again after it, which the idempotency key makes harmless.
    const results = await Promise.allSettled(claimed.map((row) => this.deliver(row, tickets.get(row.ticket_id))));
    for (const result of results) if (result.status === 'fulfilled') round[result.value] += 1;
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw failure.reason;
    return round;
  }

  private async claim(channels: string[]): Promise<ClaimedRow[]> {
    const spec = { now: this.now(), leaseMs: this.leaseMs, workerId: this.id, channels, batch: this.batch };
    const { sql, params } = claimStatement('outbox', 'id, ticket_id, channel, idempotency_key, attempts', spec);
    return this.db.query<ClaimedRow>(sql, params);
  }

  private async deliver(row: ClaimedRow, ticket: Ticket | undefined): Promise<'delivered' | 'retried' | 'dead'> {
    const where = { ticketId: row.ticket_id, channel: row.channel, attempt: row.attempts };
    try {
      if (!ticket) throw new PermanentDeliveryError('ticket not found');
      await withDeadline(this.deliverers[row.channel]!(ticket, row.idempotency_key), this.leaseMs);
    } catch (err) {
      return this.failed(row, err, where);
    }
    await settleRow(this.db, 'outbox', row.id, this.id, { delivered: true, at: this.now() });
    this.logger.info(where, 'escalation delivered');
    return 'delivered';
  }

  private async failed(row: ClaimedRow, err: unknown, where: object): Promise<'retried' | 'dead'> {
    const message = errorText(err);
    const permanent = err instanceof PermanentDeliveryError;
    const now = this.now();
    if (permanent || row.attempts >= this.maxAttempts) {
      await settleRow(this.db, 'outbox', row.id, this.id, { dead: true, error: message });
      this.logger.error({ ...where, error: message, permanent }, 'escalation delivery failed for good; see /admin');
      return 'dead';
    }
    const delayMs = Math.max(retryDelayMs(row.attempts, this.backoff, this.random), retryAfterMs(err));
    await settleRow(this.db, 'outbox', row.id, this.id, { retryAt: new Date(now.getTime() + delayMs), error: message });
    this.logger.warn({ ...where, error: message, retryInMs: delayMs }, 'escalation delivery failed; will retry');
    return 'retried';
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.tick(), ms);
    this.timer.unref();
  }

  private tick(): void {
    if (!this.started) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.runOnce()
      .then((round) => round.claimed === this.batch, (err) => {
        this.logger.error({ error: errorText(err) }, 'outbox round failed; will poll again');
        return false;
      })
      .then((full) => {
        this.running = undefined;
        if (!this.started) return;
        const soon = full || this.again;
        this.again = false;
        this.schedule(soon ? 0 : this.pollMs);
      });
  }
}

/**
 * Gives up waiting for a delivery when its lease ends: by then another worker may claim the row, and a
 * hung call must not hold the batch (or stop()) forever. The call itself is left to finish or fail.
 */
async function withDeadline(delivery: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within the ${ms} ms lease`)), ms);
    timer.unref();
  });
  try {
    await Promise.race([delivery, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function errorText(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return cutText(text, 500);
}

/** Delivery counts by status, and the rows that went dead (newest first), for /admin. */
export async function outboxStatus(db: Sql, deadLimit = 50): Promise<{
  counts: Record<'pending' | 'delivered' | 'dead', number>;
  dead: DeadDelivery[];
}> {
  const counts = { pending: 0, delivered: 0, dead: 0 };
  for (const row of await db.query<{ status: keyof typeof counts; n: number }>(
    'SELECT status, count(*)::int AS n FROM outbox GROUP BY status',
  )) {
    counts[row.status] = Number(row.n);
  }
  const dead = await db.query<{ id: string | number; ticket_id: string; channel: string; attempts: number; last_error: string | null; created_at: Date }>(
    `SELECT id, ticket_id, channel, attempts, last_error, created_at FROM outbox WHERE status = 'dead' ORDER BY created_at DESC LIMIT $1`,
    [deadLimit],
  );
  return {
    counts,
    dead: dead.map((r) => ({ id: Number(r.id), ticketId: r.ticket_id, channel: r.channel, attempts: r.attempts, lastError: r.last_error, createdAt: new Date(r.created_at) })),
  };
}

/** An outbox row that gave up: shown on /admin with a retry button. */
export interface DeadDelivery {
  id: number;
  ticketId: string;
  channel: string;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
}

/**
 * Puts a dead outbox row back in the queue (an admin pressed Retry): pending, due now, attempts from zero.
 * Keeps its idempotency key, so a receiver that did get it after all drops the repeat. False if not dead.
 */
export async function retryDeadDelivery(db: Sql, id: number, now: Date): Promise<boolean> {
  const rows = await db.query<{ id: string | number }>(
    `UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = $2, locked_until = NULL, locked_by = NULL
     WHERE id = $1 AND status = 'dead' RETURNING id`,
    [id, now],
  );
  return rows.length === 1;
}
