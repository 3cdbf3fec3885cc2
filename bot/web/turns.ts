import type { ActivityHandler } from 'botbuilder';
import { AuthenticationError } from 'botframework-connector';
import type { Next, Request, Response } from 'restify';
import { errorSummary } from '../conversation/bot.js';
import { toActivity, type ElbowAdapter } from './adapter.js';
import { IDENTITY_RETRY_MS } from './auth.js';
import type { AppContext } from '../context.js';
import { IdentityProviderUnavailable } from './openid.js';
import type { LoadShedder } from './shed.js';

/** Seconds a client is asked to wait after a shed turn. */
export const BUSY_RETRY_AFTER_S = 2;

/** What serving a turn needs. */
export interface TurnServiceOptions {
  ctx: AppContext;
  adapter: ElbowAdapter;
  bot: ActivityHandler;
  shedder: LoadShedder;
}

/** Answers 503 with Retry-After and a body that says nothing about why (no hosts, no error text). */
export function sendUnavailable(res: Response, retryAfterS: number, error = 'temporarily unavailable, try again shortly'): void {
  res.header('Retry-After', String(retryAfterS));
  res.send(503, { error });
}

/**
 * Serves one checked activity: authenticate (bounded; 401 / 503), then take a turn slot (or 503 at once when
 * the server is full), run the turn and answer. The token is checked before a slot is taken, so unauthenticated
 * or slow-to-verify requests can never fill the slots, and a client that goes away leaves the line.
 */
export function createTurnService({ ctx, adapter, bot, shedder }: TurnServiceOptions) {
  return async (req: Request, res: Response, body: Record<string, unknown>): Promise<void> => {
    const activity = toActivity(body);
    const clientGone = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) clientGone.abort();
    });

    let auth;
    try {
      auth = await adapter.authenticate(activity, String(req.headers.authorization ?? ''));
    } catch (err) {
      answerAuthFailure(ctx, req, res, err);
      return;
    }

    const slot = await shedder.admit(clientGone.signal);
    if (typeof slot !== 'function') {
      if (slot !== 'aborted') sendUnavailable(res, BUSY_RETRY_AFTER_S, 'busy, try again shortly');
      return;
    }
    try {
      const response = await adapter.run(auth, activity, (context) => bot.run(context));
      if (res.headersSent) return;
      res.status(response?.status ?? 200);
      if (response?.body !== undefined) res.send(response.body);
      else res.end();
    } catch (err) {
      ctx.logger.error({ err: errorSummary(err as Error) }, 'request failed');
      if (!res.headersSent) res.send(500, { error: 'internal error' });
    } finally {
      slot();
    }
  };
}

/**
 * 401 for a token that is wrong on its face, 503 when it could not be checked in time. The body never repeats
 * the reason (botbuilder's messages quote token claims: "Invalid AppId passed on token: …"); the log has it.
 */
function answerAuthFailure(ctx: AppContext, req: Request, res: Response, err: unknown): void {
  const path = req.path?.();
  if (err instanceof AuthenticationError) {
    ctx.logger.warn({ status: 401, method: req.method, path, reason: String(err.message).slice(0, 200) }, 'request rejected');
    res.header('WWW-Authenticate', 'Bearer');
    res.send(401, { error: 'unauthorized' });
  } else if (err instanceof IdentityProviderUnavailable) {
    // The cause is logged by the key cache once per retry interval; one line per request would flood the log.
    ctx.logger.debug({ status: 503, path }, 'token not checked: identity provider unavailable');
    sendUnavailable(res, Math.ceil(IDENTITY_RETRY_MS / 1000));
  } else {
    ctx.logger.error({ err: errorSummary(err as Error), path }, 'token check failed');
    res.send(500, { error: 'internal error' });
  }
}

/**
 * Install with `server.pre`: while the server is refusing turns anyway, a new POST /api/messages gets its 503
 * before its body is read and checked. Under a flood, reading, parsing and validating thousands of bodies only
 * to refuse them was itself enough to keep the event loop busy.
 */
export function shedEarly(shedder: LoadShedder): (req: Request, res: Response, next: Next) => void {
  return (req, res, next) => {
    if (req.method !== 'POST' || !shedder.refusing || req.path?.() !== '/api/messages') return next();
    shedder.count('full');
    req.resume();
    sendUnavailable(res, BUSY_RETRY_AFTER_S, 'busy, try again shortly');
    return next(false);
  };
}
