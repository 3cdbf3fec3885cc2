import restify, { type Request, type Response, type Server } from 'restify';
import type { ActivityHandler } from 'botbuilder';
import type { ElbowAdapter } from './adapter.js';
import type { AppContext } from '../context.js';
import { escalationStatus } from '../escalation/ticket.js';
import type { LoadShedder } from './shed.js';
import { createTurnService, shedEarly } from './turns.js';
import { withTimeout } from '../timeout.js';
import { checkActivity } from './activity-check.js';
import { jsonBody } from './body.js';

/** What the HTTP layer needs to serve the bot. */
export interface ServerOptions {
  ctx: AppContext;
  adapter: ElbowAdapter;
  bot: ActivityHandler;
  /** Decides whether a turn may run now (bounded slots, bounded line, event-loop delay). */
  shedder: LoadShedder;
  /** Readiness: false while starting or shutting down. */
  isReady: () => boolean;
  /** Where the early 503 of the load shedder goes (the first `server.pre` slot); `server.pre` if not given. */
  early?: (handler: ReturnType<typeof shedEarly>) => void;
}

/** Adds the Bot Framework endpoint, readiness and body limits to a server made by `createHttpServer`. */
export function registerBotRoutes(server: Server, { ctx, adapter, bot, shedder, isReady, early }: ServerOptions): void {
  const serveTurn = createTurnService({ ctx, adapter, bot, shedder });
  const reject = (req: Request, res: Response, status: number, error: string) => {
    ctx.logger.warn({ status, method: req.method, path: req.path?.(), reason: error }, 'request rejected');
    res.send(status, { error });
  };
  (early ?? ((handler) => server.pre(handler)))(shedEarly(shedder));
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(jsonBody(ctx.config.MAX_BODY_BYTES, reject));

  server.post('/api/messages', async (req: Request, res: Response) => {
    const checked = checkActivity(req.body);
    if (!checked.ok) {
      reject(req, res, 400, checked.error);
      return;
    }
    await serveTurn(req, res, checked.activity);
  });

  server.get('/readyz', async (_req: Request, res: Response) => {
    const load = shedder.snapshot();
    if (!isReady()) {
      res.send(503, { status: 'not ready', load });
      return;
    }
    // A full server is not ready for more: the load balancer should send the next clinician elsewhere.
    if (load.saturated || load.lagging) {
      res.send(503, { status: load.saturated ? 'saturated' : 'event loop lagging', load });
      return;
    }
    try {
      await withTimeout(ctx.db.ping(), READY_PING_MS, 'database ping');
      res.send(200, { status: 'ready', articles: ctx.knowledge.current().articles.length, db: ctx.db.engine, escalation: escalationStatus(ctx.config), load });
    } catch {
      res.send(503, { status: 'database unavailable', load });
    }
  });
}

/** How long /readyz waits for the database: a hung database must read as not ready, not hang the probe. */
const READY_PING_MS = 2000;
