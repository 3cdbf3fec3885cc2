import { parse as parseContentType } from 'content-type';
import getRawBody from 'raw-body';
import type { Next, Request, Response } from 'restify';

/** Answers a refused request (status and a short error), as the server's routes do. */
export type Reject = (req: Request, res: Response, status: number, error: string) => void;

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** How much of an over-limit body is read (and thrown away) so the client gets its 413, before hanging up. */
const DISCARD_FACTOR = 16;

/**
 * Reads JSON request bodies, and only those: at most `maxBytes` as sent, no compression (a gzip bomb would
 * make the limit meaningless), no forms or multipart uploads (restify's parser stores uploads in the temp
 * directory, unauthenticated and unbounded). 413 when too large, 415 for other types, 400 for broken JSON.
 */
export function jsonBody(maxBytes: number, reject: Reject) {
  const tooLarge = `request body larger than ${maxBytes} bytes`;
  return (req: Request, res: Response, next: Next): void => {
    const length = req.headers['content-length'];
    const hasBody = length !== undefined ? Number(length) > 0 : req.headers['transfer-encoding'] !== undefined;
    if (!BODY_METHODS.has(req.method ?? '') || !hasBody) return next();
    const refusal = unreadable(req.headers['content-type'], req.headers['content-encoding']);
    if (refusal) {
      req.resume();
      reject(req, res, 415, refusal);
      return next(false);
    }
    getRawBody(req, { length, limit: maxBytes, encoding: 'utf-8' }, (err, text) => {
      if (err?.type === 'entity.too.large') {
        return discardThen(req, maxBytes * DISCARD_FACTOR, (hangUp) => {
          reject(req, res, 413, tooLarge);
          if (hangUp) res.once('finish', () => req.destroy());
          next(false);
        });
      }
      // The client went away (or sent fewer bytes than it announced): nobody is left to answer.
      if (err?.type === 'request.aborted') return;
      if (err) {
        // Any other read failure (a body that does not match its Content-Length…) still gets an answer, never a hang.
        reject(req, res, 400, 'request body could not be read');
        return next(false);
      }
      try {
        req.body = JSON.parse(text);
      } catch {
        reject(req, res, 400, 'request body is not valid JSON');
        return next(false);
      }
      next();
    });
  };
}

/** Why a body of this type and encoding is not read (415), or undefined for JSON as sent. */
function unreadable(type: string | undefined, encoding: string | undefined): string | undefined {
  let media = '';
  try {
    media = parseContentType(type ?? '').type;
  } catch {
    // A missing or malformed Content-Type is not JSON.
  }
  if (media !== 'application/json' && !/^application\/[\w.-]+\+json$/.test(media)) return 'expected Content-Type: application/json';
  if (String(encoding ?? 'identity').trim().toLowerCase() !== 'identity') return 'compressed request bodies are not accepted';
  return undefined;
}

/**
 * Reads and drops the rest of a refused body, then calls `done` once: at its end, or with `hangUp` as soon as
 * more than `most` bytes came (a client that keeps sending gets its answer, then the connection is closed).
 */
function discardThen(req: Request, most: number, done: (hangUp: boolean) => void): void {
  let dropped = 0;
  let called = false;
  const once = (hangUp: boolean) => {
    if (called) return;
    called = true;
    done(hangUp);
  };
  if (req.readableEnded) return once(false);
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > most) once(true);
  });
  req.once('end', () => once(false));
  req.once('error', () => once(true));
  req.resume(); // raw-body paused the request when it gave up
}
