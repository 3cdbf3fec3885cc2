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
  return (req: Request, res: Response, next: Next): void => {
    const length = req.headers['content-length'];
    const hasBody = length !== undefined ? Number(length) > 0 : req.headers['transfer-encoding'] !== undefined;
    if (!BODY_METHODS.has(req.method ?? '') || !hasBody) return next();
    const type = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'application/json' && !/^application\/[\w.-]+\+json$/.test(type)) {
      req.resume();
      reject(req, res, 415, 'expected Content-Type: application/json');
      return next(false);
    }
    const encoding = String(req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    if (encoding !== 'identity') {
      req.resume();
      reject(req, res, 415, 'compressed request bodies are not accepted');
      return next(false);
    }
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
    };
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received <= maxBytes) chunks.push(chunk);
      else if (received > maxBytes * DISCARD_FACTOR) {
        settle(() => {
          reject(req, res, 413, `request body larger than ${maxBytes} bytes`);
          res.once('finish', () => req.destroy());
          next(false);
        });
      }
    });
    req.once('error', () => settle(() => next(false)));
    req.once('aborted', () => settle(() => undefined));
    req.once('end', () =>
      settle(() => {
        if (received > maxBytes) {
          reject(req, res, 413, `request body larger than ${maxBytes} bytes`);
          return next(false);
        }
        try {
          req.body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          reject(req, res, 400, 'request body is not valid JSON');
          return next(false);
        }
        next();
      }),
    );
  };
}

// ---------- activities ----------
