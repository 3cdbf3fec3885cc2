import type { Sql } from '../store/db.js';

/** The two delivery queues: tickets (`outbox`) and alerts (`alert_outbox`) share their bookkeeping columns. */
export type OutboxTable = 'outbox' | 'alert_outbox';

/** Who claims, until when, and which rows. */
export interface ClaimSpec {
  now: Date;
  leaseMs: number;
  workerId: string;
  channels: string[];
  batch: number;
}

/**
 * The UPDATE … RETURNING that leases due rows of `table` on `channels` to one worker (FOR UPDATE SKIP LOCKED:
 * workers in one or many processes never hold one row at once), with its parameters. `returning` names the
 * columns to give back; callers may wrap it (e.g. in a CTE that joins the rows' alerts).
 */
export function claimStatement(table: OutboxTable, returning: string, spec: ClaimSpec): { sql: string; params: unknown[] } {
  const sql = `UPDATE ${table} SET locked_until = $2, locked_by = $3, attempts = attempts + 1
     WHERE id IN (
       SELECT id FROM ${table}
       WHERE status = 'pending' AND next_attempt_at <= $1
         AND (locked_until IS NULL OR locked_until < $1)
         AND channel = ANY($4::text[])
       ORDER BY next_attempt_at, id
       LIMIT $5
       FOR UPDATE SKIP LOCKED)
     RETURNING ${returning}`;
  return { sql, params: [spec.now, new Date(spec.now.getTime() + spec.leaseMs), spec.workerId, spec.channels, spec.batch] };
}

/** How one delivery attempt ended. */
export type Settlement = { delivered: true; at: Date } | { retryAt: Date; error: string } | { dead: true; error: string };

/**
 * Records how a claimed row's delivery ended and releases its lease. A retry or death is recorded only by the
 * worker that still holds the row (another may have taken it over after the lease ran out); a delivery always.
 */
export async function settleRow(db: Sql, table: OutboxTable, rowId: number | string, workerId: string, outcome: Settlement): Promise<void> {
  const release = 'locked_until = NULL, locked_by = NULL';
  if ('delivered' in outcome) {
    await db.query(`UPDATE ${table} SET status = 'delivered', delivered_at = $2, ${release}, last_error = NULL WHERE id = $1 AND status = 'pending'`, [rowId, outcome.at]);
  } else if ('retryAt' in outcome) {
    await db.query(`UPDATE ${table} SET next_attempt_at = $3, last_error = $4, ${release} WHERE id = $1 AND locked_by = $2 AND status = 'pending'`, [rowId, workerId, outcome.retryAt, outcome.error]);
  } else {
    await db.query(`UPDATE ${table} SET status = 'dead', last_error = $3, ${release} WHERE id = $1 AND locked_by = $2 AND status = 'pending'`, [rowId, workerId, outcome.error]);
  }
}
