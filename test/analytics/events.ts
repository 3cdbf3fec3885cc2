import { pino, type Logger } from 'pino';
import { Writable } from 'node:stream';
import type { FeedbackEvent, TurnEvent } from '../../bot/analytics/events.js';
import type { Db } from '../../bot/store/db.js';

/** A turn event with sensible defaults. */
export function turnEvent(overrides: Partial<TurnEvent> = {}): TurnEvent {
  return {
    turnId: `t-${Math.random().toString(36).slice(2)}`,
    at: new Date('2026-05-20T10:00:00Z'),
    userHash: 'user-a',
    role: 'nurse',
    channel: 'msteams',
    conversationType: 'personal',
    outcome: 'answer',
    articleId: 'password-reset',
    candidates: ['password-reset'],
    confidence: 0.8,
    urgent: false,
    latencyMs: 12,
    question: 'reset my password',
    ...overrides,
  };
}

/** A feedback event with sensible defaults. */
export function feedbackEvent(overrides: Partial<FeedbackEvent> = {}): FeedbackEvent {
  return {
    turnId: 't-1',
    at: new Date('2026-05-20T10:01:00Z'),
    userHash: 'user-a',
    role: 'nurse',
    articleId: 'password-reset',
    value: 'solved',
    ...overrides,
  };
}

/** A pino logger whose lines are kept in `lines` (for checking what was logged). */
export function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: pino({ level: 'warn' }, stream), lines };
}

/** A Db wrapper that records statements, can be switched "down" (every query rejects) or fail the next query. */
export function spyDb(inner: Db): Db & { statements: string[]; down: boolean; failNext: Error | null } {
  const spy = {
    statements: [] as string[],
    down: false,
    failNext: null as Error | null,
    engine: inner.engine,
    async query<T>(text: string, params?: unknown[]): Promise<T[]> {
      spy.statements.push(text);
      if (spy.down) throw Object.assign(new Error('connection refused'), { code: 'ECONNREFUSED' });
      const failure = spy.failNext;
      spy.failNext = null;
      if (failure) throw failure;
      return inner.query<T>(text, params);
    },
    transaction: inner.transaction.bind(inner),
    ping: inner.ping.bind(inner),
    close: inner.close.bind(inner),
  };
  return spy as unknown as Db & { statements: string[]; down: boolean; failNext: Error | null };
}

/** A manual timer for the recorder's background flush. */
export function manualSchedule(): { schedule: (fn: () => void) => () => void; tick: () => void; cancelled: () => boolean } {
  let fn: (() => void) | null = null;
  let cancelled = false;
  return {
    schedule: (f) => {
      fn = f;
      return () => {
        cancelled = true;
      };
    },
    tick: () => fn?.(),
    cancelled: () => cancelled,
  };
}
