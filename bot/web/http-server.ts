import restify, { type Next, type Request, type Response, type Server } from 'restify';
import type { Logger } from 'pino';

/**
 * The HTTP server before anything else exists: restify with liveness only. It is imported without the bot,
 * the knowledge base or the database code, so the port opens (and /healthz answers) while they still load.
 */

/** How long a caller is told to wait while the server is still starting (database opening). */
const STARTING_RETRY_AFTER_S = 1;

/**
 * Creates the restify server with liveness (`/healthz`) only, so the port can open before the database has:
 * `registerBotRoutes` (server.ts) adds the rest once everything it uses exists; `startingGate` covers the time between.
 */
export function createHttpServer(logger: Logger): Server {
  const server = restify.createServer({ name: 'elbow', handleUncaughtExceptions: false });
  server.get('/healthz', async (_req: Request, res: Response) => {
    res.send(200, { status: 'ok' });
  });
  server.on('restifyError', (req: Request, res: Response, err: Error & { statusCode?: number }, callback: () => void) => {
    // Routing errors reach here: keep them short and free of request data.
    logger.warn({ status: err.statusCode, name: err.name, path: req.path?.() }, 'request rejected');
    callback();
  });
  return server;
}

/** `server.pre` handler: until `isStarted()`, everything but `/healthz` gets 503 + Retry-After (never a 404 or a hang). */
export function startingGate(isStarted: () => boolean) {
  return (req: Request, res: Response, next: Next) => {
    if (isStarted() || req.path() === '/healthz') return next();
    res.header('Retry-After', String(STARTING_RETRY_AFTER_S));
    res.send(503, req.path() === '/readyz' ? { status: 'starting' } : { error: 'starting, try again shortly' });
    return next(false);
  };
}

type PreHandler = (req: Request, res: Response, next: Next) => void;

/**
 * A `server.pre` slot whose handler is given later: keeps the load shedder's early 503 first in the chain (before
 * any other handler defers the request by a tick) although the shedder exists only once the app has started.
 */
export function preSlot(): { handler: PreHandler; set(handler: PreHandler): void } {
  let inner: PreHandler = (_req, _res, next) => next();
  return {
    handler: (req, res, next) => inner(req, res, next),
    set(handler) {
      inner = handler;
    },
  };
}
