import { createHash } from 'node:crypto';
import { cutText } from '../text.js';

// What a turn may put in logs and analytics about a user or a failure: nothing that identifies or quotes them.

/** A one-way, short hash of a user id for analytics (never the id itself). */
export function hashUser(id: unknown): string {
  return createHash('sha256').update(`elbow:${String(id ?? 'anonymous')}`).digest('hex').slice(0, 16);
}

/** An error reduced to what is safe to log: name and message, no request data. */
export function errorSummary(err: unknown): { name: string; message: string } {
  const e = err as Error;
  return { name: e?.name ?? 'Error', message: cutText(String(e?.message ?? err), 300) };
}
