import crypto from 'node:crypto';

/**
 * The one place Elbow reads a bearer token and compares secrets: /admin, the help desk's status callback, notices,
 * Direct Line secrets and tokens. Comparisons are constant-time over SHA-256 digests, so lengths never leak.
 */

function sha256(value: string): Buffer {
  return crypto.createHash('sha256').update(value, 'utf8').digest();
}

/** The token of an `Authorization: Bearer …` header, or '' when there is none. */
export function bearerToken(header: string | string[] | undefined | null): string {
  const value = Array.isArray(header) ? header[0] : header;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(value ?? '');
  return match ? match[1]! : '';
}

/** Constant-time comparison of a presented secret with the expected one; an empty one never matches. */
export function secretMatches(expected: string, presented: string | undefined | null): boolean {
  if (typeof presented !== 'string' || presented.length === 0 || expected.length === 0) return false;
  return crypto.timingSafeEqual(sha256(expected), sha256(presented));
}

/** True when the Authorization header carries `expected` as its bearer token. */
export function bearerMatches(header: string | string[] | undefined | null, expected: string): boolean {
  return secretMatches(expected, bearerToken(header));
}

/** A value derived from a secret for a given purpose (cookies, CSRF tokens), so the secret itself is never handed out. */
export function derivedSecret(secret: string, purpose: string): string {
  return sha256(`${purpose}:${secret}`).toString('hex');
}
