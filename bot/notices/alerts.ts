import type { Db, Sql } from '../store/db.js';
import { claimStatement } from '../escalation/outbox-rows.js';

/** Alerts (migration 007): burst alerts to the help desk and weekly owner digests, each delivered from alert_outbox. */

/** What an alert is about; the payload is the JSON body the webhook receives. */
export interface AlertInput {
  kind: 'burst' | 'digest';
  key: string;
  payload: Record<string, unknown>;
}

/** A stored alert. */
export interface Alert extends AlertInput {
  id: number;
  createdAt: Date;
  endedAt: Date | null;
}

interface AlertRow {
  id: number;
  kind: AlertInput['kind'];
  key: string;
  payload: Record<string, unknown>;
  created_at: Date;
  ended_at: Date | null;
}

function fromRow(r: AlertRow): Alert {
  return { id: Number(r.id), kind: r.kind, key: r.key, payload: r.payload, createdAt: new Date(r.created_at), endedAt: r.ended_at ? new Date(r.ended_at) : null };
}

/**
 * Opens an alert with one outbox row per channel, in one transaction, unless one with the same kind and key
 * is open (a unique index decides, so two instances never both alert). Returns the new alert or null.
 * A digest never ends, so its key (owner:week) stays unique: one digest per owner and week.
 */
export async function openAlert(db: Db, input: AlertInput, channels: readonly string[], now: Date): Promise<Alert | null> {
  return db.transaction(async (tx) => {
    const [row] = await tx.query<AlertRow>(
      `INSERT INTO alerts (kind, key, payload, created_at) VALUES ($1, $2, $3::jsonb, $4)
       ON CONFLICT (kind, key) WHERE ended_at IS NULL DO NOTHING
       RETURNING id, kind, key, payload, created_at, ended_at`,
      [input.kind, input.key, JSON.stringify(input.payload), now],
    );
    if (!row) return null;
    for (const channel of channels) {
      await tx.query(
        `INSERT INTO alert_outbox (alert_id, channel, idempotency_key, next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $4)`,
        [row.id, channel, `elbow-alert-${row.id}-${channel}`, now],
      );
    }
    return fromRow(row);
  });
}

/** The open alerts of a kind. */
export async function openAlerts(db: Sql, kind: AlertInput['kind']): Promise<Alert[]> {
  const rows = await db.query<AlertRow>('SELECT id, kind, key, payload, created_at, ended_at FROM alerts WHERE kind = $1 AND ended_at IS NULL', [kind]);
  return rows.map(fromRow);
}

/** Marks alerts ended (the burst is over: a new one may alert again). */
export async function endAlerts(db: Sql, ids: number[], now: Date): Promise<void> {
  if (ids.length) await db.query('UPDATE alerts SET ended_at = $2 WHERE id = ANY($1::bigint[]) AND ended_at IS NULL', [ids, now]);
}

/** Recent alerts with their delivery status, newest first, for /admin. */
export async function recentAlerts(db: Sql, limit = 20): Promise<Array<Alert & { deliveries: Array<{ channel: string; status: string; lastError: string | null }> }>> {
  const rows = await db.query<AlertRow>('SELECT id, kind, key, payload, created_at, ended_at FROM alerts ORDER BY created_at DESC, id DESC LIMIT $1', [limit]);
  const ids = rows.map((r) => Number(r.id));
  const outbox = ids.length
    ? await db.query<{ alert_id: number; channel: string; status: string; last_error: string | null }>(
        'SELECT alert_id, channel, status, last_error FROM alert_outbox WHERE alert_id = ANY($1::bigint[]) ORDER BY id',
        [ids],
      )
    : [];
  return rows.map((r) => ({
    ...fromRow(r),
    deliveries: outbox.filter((o) => Number(o.alert_id) === Number(r.id)).map((o) => ({ channel: o.channel, status: o.status, lastError: o.last_error })),
  }));
}

/** One claimed alert delivery. */
export interface ClaimedAlert {
  rowId: number;
  channel: string;
  idempotencyKey: string;
  attempts: number;
  alert: Alert;
}

/** Claims due alert deliveries for these channels with a lease (FOR UPDATE SKIP LOCKED: one worker per row). */
export async function claimAlertDeliveries(db: Sql, channels: string[], now: Date, leaseMs: number, workerId: string, batch = 10): Promise<ClaimedAlert[]> {
  const claim = claimStatement('alert_outbox', 'id AS row_id, alert_id, channel, idempotency_key, attempts', { now, leaseMs, workerId, channels, batch });
  const rows = await db.query<AlertRow & { row_id: number; channel: string; idempotency_key: string; attempts: number }>(
    `WITH claimed AS (${claim.sql})
     SELECT c.row_id, c.channel, c.idempotency_key, c.attempts, a.id, a.kind, a.key, a.payload, a.created_at, a.ended_at
       FROM claimed c JOIN alerts a ON a.id = c.alert_id`,
    claim.params,
  );
  return rows.map((r) => ({ rowId: Number(r.row_id), channel: r.channel, idempotencyKey: r.idempotency_key, attempts: r.attempts, alert: fromRow(r) }));
}

