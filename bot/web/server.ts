import restify, { type Request, type Response, type Server } from 'restify';
import type { CloudAdapter } from 'botbuilder';
import type { ActivityHandler } from 'botbuilder';
import type { AppContext } from './context.js';
import { TurnLimiter } from './limiter.js';

/** What the HTTP layer needs to serve the bot. */
export interface ServerOptions {
  ctx: AppContext;
  adapter: CloudAdapter;
  bot: ActivityHandler;
  /** Readiness: false while starting or shutting down. */
  isReady: () => boolean;
}

/** Creates the restify server with the Bot Framework endpoint, health checks and body limits. */
export function createServer({ ctx, adapter, bot, isReady }: ServerOptions): Server {
  const server = restify.createServer({ name: 'elbow', handleUncaughtExceptions: false });
  const limiter = new TurnLimiter(ctx.config.MAX_CONCURRENT_TURNS, ctx.config.MAX_CONCURRENT_TURNS * 4);
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(
    restify.plugins.bodyParser({ maxBodySize: ctx.config.MAX_BODY_BYTES, mapParams: false, mapFiles: false, rejectUnknown: false }),
  );

  server.post('/api/messages', async (req: Request, res: Response) => {
    if (!req.body || typeof req.body !== 'object' || Array.isArray(req.body)) {
      res.send(400, { error: 'expected a Bot Framework activity (JSON object)' });
      return;
    }
    if (!limiter.tryEnter()) {
      res.header('Retry-After', '2');
      res.send(503, { error: 'busy, try again shortly' });
      return;
    }
    try {
      await limiter.wait();
      await adapter.process(req, res, (context) => bot.run(context));
    } catch (err) {
      ctx.logger.error({ err: { name: (err as Error).name, message: String((err as Error).message).slice(0, 200) } }, 'request failed');
      if (!res.headersSent) res.send(500, { error: 'internal error' });
    } finally {
      limiter.leave();
    }
  });

  server.get('/healthz', (_req: Request, res: Response) => {
    res.send(200, { status: 'ok' });
  });

  server.get('/readyz', async (_req: Request, res: Response) => {
    if (!isReady()) {
      res.send(503, { status: 'not ready' });
      return;
    }
    try {
      await ctx.db.ping();
      res.send(200, { status: 'ready', articles: ctx.knowledge.current().articles.length, db: ctx.db.engine });
    } catch {
      res.send(503, { status: 'database unavailable' });
    }
  });

  server.on('restifyError', (req: Request, res: Response, err: Error & { statusCode?: number }, callback: () => void) => {
    // Body-parser and routing errors reach here: keep them short and free of request data.
    ctx.logger.warn({ status: err.statusCode, name: err.name, path: req.path?.() }, 'request rejected');
    callback();
  });
  return server;
}
