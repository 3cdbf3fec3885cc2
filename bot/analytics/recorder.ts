import type { Logger } from 'pino';
import { redact as redactPhi } from '../privacy/redact.js';
import type { Db } from '../store/db.js';
import type { AnalyticsSink, FeedbackEvent, TurnEvent } from './events.js';
import { cutText } from '../text.js';

/** Options of the recorder; everything but `db` and `logger` has a default. */
export interface RecorderOptions {
  db: Db;
  logger: Logger;
  /** Pending events that trigger a flush at once (default 100). */
  batchSize?: number;
  /** Interval of the background flush, in ms (default 2000). */
  flushMs?: number;
  /** Most events kept while the database is down; the oldest are dropped beyond it (default 10 000). */
  maxBuffer?: number;
  /** PHI redaction applied to every question before it is buffered (default: bot/privacy/redact). */
  redact?: (text: string) => string;
  /** Starts the background flush; returns its canceller. Tests pass a manual one. */
  schedule?: (flush: () => void, ms: number) => () => void;
}

/** Counters for monitoring and tests. */
export interface RecorderStats {
  pendingTurns: number;
  pendingFeedback: number;
  written: number;
  dropped: number;
}

/** Longest question kept (characters, after redaction). */
const MAX_QUESTION_CHARS = 500;
/** Rows per INSERT statement: keeps the parameter count far below PostgreSQL's 65 535. */
const MAX_ROWS_PER_STATEMENT = 1000;

type TurnRow = [string, string, string, string, string, string, string, string | null, string, number, boolean, number, string];
type FeedbackRow = [string, string, string, string, string, string];

/** A table the recorder writes: its columns in row order, with the SQL type of each. */
interface TableSpec {
  table: string;
  columns: string;
  casts: string[];
}

const TURN_TABLE: TableSpec = {
  table: 'turns',
  columns: 'turn_id, at, user_hash, role, channel, conversation_type, outcome, article_id, candidates, confidence, urgent, latency_ms, question_redacted',
  casts: ['text', 'timestamptz', 'text', 'text', 'text', 'text', 'text', 'text', 'jsonb', 'real', 'boolean', 'integer', 'text'],
};
const FEEDBACK_TABLE: TableSpec = {
  table: 'feedback',
  columns: 'turn_id, at, user_hash, role, article_id, value',
  casts: ['text', 'timestamptz', 'text', 'text', 'text', 'text'],
};

function defaultSchedule(flush: () => void, ms: number): () => void {
  const timer = setInterval(flush, ms);
  timer.unref();
  return () => clearInterval(timer);
}

function clip(value: unknown, max: number): string {
  // PostgreSQL text cannot hold NUL characters; one would fail its whole batch.
  return cutText(String(value ?? '').replace(/\u0000/g, ''), max);
}

/** SQLSTATE classes 22 (data exception) and 23 (constraint violation): retrying the same rows cannot succeed. */
function isDataError(err: unknown): boolean {
  return /^2[23]/.test(String((err as { code?: unknown })?.code ?? ''));
}

function isoOf(date: Date): string {
  return date instanceof Date && !Number.isNaN(date.getTime()) ? date.toISOString() : new Date().toISOString();
}

/** The stored form of a turn: clipped, NUL-free, question redacted. Throws on a non-object event. */
/** The question as stored: cut on code points first, then redacted, a half number at the cut included. */
function redactedQuestion(question: unknown, redact: (text: string, options?: { clipped?: boolean }) => string): string {
  const full = clip(question, 4 * MAX_QUESTION_CHARS);
  const cut = cutText(full, MAX_QUESTION_CHARS);
  return cutText(redact(cut, { clipped: cut.length < full.length }), MAX_QUESTION_CHARS);
}

function turnRow(event: TurnEvent, redact: (text: string, options?: { clipped?: boolean }) => string): TurnRow {
  return [
    clip(event.turnId, 100),
    isoOf(event.at),
    clip(event.userHash, 64),
    clip(event.role, 20),
    clip(event.channel, 40),
    clip(event.conversationType, 40),
    clip(event.outcome, 20),
    event.articleId ? clip(event.articleId, 100) : null,
    JSON.stringify((Array.isArray(event.candidates) ? event.candidates : []).slice(0, 5).map((c) => clip(c, 100))),
    Number.isFinite(event.confidence) ? event.confidence : 0,
    Boolean(event.urgent),
    Number.isFinite(event.latencyMs) ? Math.max(0, Math.min(2_147_483_647, Math.round(event.latencyMs))) : 0,
    redactedQuestion(event.question, redact),
  ];
}

/** The stored form of a feedback click. */
function feedbackRow(event: FeedbackEvent): FeedbackRow {
  return [
    clip(event.turnId, 100),
    isoOf(event.at),
    clip(event.userHash, 64),
    clip(event.role, 20),
    clip(event.articleId, 100),
    event.value === 'solved' ? 'solved' : 'not-solved',
  ];
}

/** A multi-row `INSERT … VALUES ($1::text, …), (…)` for `rows`, with explicit casts so both engines agree. */
export function multiRowInsert(table: string, columns: string, casts: string[], rows: unknown[][]): { text: string; params: unknown[] } {
  const params: unknown[] = [];
  const tuples = rows.map((row) => `(${row.map((value, column) => `$${params.push(value)}::${casts[column]}`).join(', ')})`);
  return { text: `INSERT INTO ${table} (${columns}) VALUES ${tuples.join(', ')}`, params };
}

/**
 * The analytics sink of the bot. `turn()` and `feedback()` only redact and buffer (they never wait for
 * the database and never throw); a timer, a full batch, `flush()` or `close()` writes the buffer with
 * one multi-row INSERT per table. While the database is down the buffer is kept, up to `maxBuffer`
 * events, then the oldest are dropped and counted.
 */
export class AnalyticsRecorder implements AnalyticsSink {
  private turns: TurnRow[] = [];
  private feedbacks: FeedbackRow[] = [];
  private inFlight: Promise<void> | null = null;
  private written = 0;
  private dropped = 0;
  private droppedSinceWarning = 0;
  private closed = false;
  private readonly cancelTimer: () => void;
  private readonly db: Db;
  private readonly logger: Logger;
  private readonly batchSize: number;
  private readonly maxBuffer: number;
  private readonly redact: (text: string, options?: { clipped?: boolean }) => string;

  constructor(options: RecorderOptions) {
    this.db = options.db;
    this.logger = options.logger;
    this.batchSize = Math.max(1, options.batchSize ?? 100);
    this.maxBuffer = Math.max(this.batchSize, options.maxBuffer ?? 10_000);
    this.redact = options.redact ?? redactPhi;
    this.cancelTimer = (options.schedule ?? defaultSchedule)(() => void this.flush(), Math.max(10, options.flushMs ?? 2000));
  }

  /** Buffers one turn; its question is redacted before it is kept. */
  turn(event: TurnEvent): void {
    this.accept('turn', () => this.turns.push(turnRow(event, this.redact)));
  }

  /** Buffers one Solved / Not solved click. */
  feedback(event: FeedbackEvent): void {
    this.accept('feedback', () => this.feedbacks.push(feedbackRow(event)));
  }

  /** Writes everything pending; resolves (never rejects) once the rows are written or kept for a retry. */
  async flush(): Promise<void> {
    while (this.inFlight) await this.inFlight;
    if (this.turns.length === 0 && this.feedbacks.length === 0) return;
    this.inFlight = this.write().finally(() => {
      this.inFlight = null;
    });
    await this.inFlight;
  }

  /** Stops the timer and writes what is pending; later events are ignored. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.cancelTimer();
    await this.flush();
  }

  /** Pending, written and dropped event counts. */
  stats(): RecorderStats {
    return { pendingTurns: this.turns.length, pendingFeedback: this.feedbacks.length, written: this.written, dropped: this.dropped };
  }

  /**
   * Inserts rows in statements of at most MAX_ROWS_PER_STATEMENT; returns the rows to retry and the error.
   * A chunk the database rejects as invalid data is dropped (and counted): retrying it would block the rest.
   */
  private async insertAll<R extends unknown[]>(spec: TableSpec, rows: R[]): Promise<{ unwritten: R[]; error: unknown }> {
    let failed: unknown;
    for (let i = 0; i < rows.length; i += MAX_ROWS_PER_STATEMENT) {
      const chunk = rows.slice(i, i + MAX_ROWS_PER_STATEMENT);
      try {
        const { text, params } = multiRowInsert(spec.table, spec.columns, spec.casts, chunk);
        await this.db.query(text, params);
        this.written += chunk.length;
      } catch (error) {
        if (!isDataError(error)) return { unwritten: rows.slice(i), error };
        this.dropped += chunk.length;
        this.droppedSinceWarning += chunk.length;
        failed = error;
      }
    }
    return { unwritten: [], error: failed };
  }

  /** Runs `push` unless closed, then bounds the buffer and starts a write when a batch is full; never throws. */
  private accept(kind: 'turn' | 'feedback', push: () => void): void {
    if (this.closed) return;
    try {
      push();
    } catch (err) {
      this.logger.warn({ err: { name: (err as Error)?.name } }, `analytics ${kind} event rejected`);
      return;
    }
    this.enforceBound();
    if (this.turns.length + this.feedbacks.length >= this.batchSize && !this.inFlight) void this.flush();
  }

  private enforceBound(): void {
    const excess = this.turns.length + this.feedbacks.length - this.maxBuffer;
    if (excess <= 0) return;
    // Feedback is rarer and more valuable than turns: drop the oldest turns first.
    const fromTurns = Math.min(excess, this.turns.length);
    this.turns.splice(0, fromTurns);
    this.feedbacks.splice(0, excess - fromTurns);
    this.dropped += excess;
    this.droppedSinceWarning += excess;
  }

  private async write(): Promise<void> {
    const turns = this.turns;
    const feedbacks = this.feedbacks;
    this.turns = [];
    this.feedbacks = [];
    const turnResult = await this.insertAll(TURN_TABLE, turns);
    this.turns.unshift(...turnResult.unwritten);
    const feedbackResult = await this.insertAll(FEEDBACK_TABLE, feedbacks);
    this.feedbacks.unshift(...feedbackResult.unwritten);
    const failed = turnResult.error ?? feedbackResult.error;
    this.enforceBound();
    if (failed || this.droppedSinceWarning > 0) {
      // Error names and counts only: a database error message can quote row values.
      const e = failed as { name?: string; code?: string } | undefined;
      this.logger.warn(
        {
          err: e ? { name: e.name ?? 'Error', code: e.code } : undefined,
          pending: this.turns.length + this.feedbacks.length,
          dropped: this.droppedSinceWarning,
          droppedTotal: this.dropped,
        },
        failed ? 'analytics write failed' : 'analytics buffer full; oldest events dropped',
      );
      this.droppedSinceWarning = 0;
    }
  }
}
