import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { Next, Request, Response, Server } from 'restify';
import { ConversationState, UserState, type TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import type { App, AppOverrides } from './app.js';
import type { Config } from './config.js';
import type { AppContext } from './context.js';
import { AnalyticsRecorder } from './analytics/recorder.js';
import { ElbowBot, errorSummary } from './conversation/bot.js';
import { MESSAGES } from './conversation/messages.js';
import { TypingIndicator } from './conversation/typing.js';
import { callbackNumber, redact } from './privacy/redact.js';
import { createHelpDesk } from './escalation/help-desk.js';
import { registerTicketRoutes } from './escalation/routes.js';
import { openKnowledgeBase } from './knowledge/knowledge-base.js';
import { createKnowledgeHolder, watchKnowledge, type MutableKnowledgeHolder } from './knowledge/watch.js';
import { DbStorage } from './store/bot-storage.js';
import type { Db } from './store/db.js';
import { describeDb, openDb } from './store/open.js';
import { ElbowAdapter } from './web/adapter.js';
import { registerAdmin } from './web/admin.js';
import { createAuthentication } from './web/auth.js';
import { registerChat } from './web/chat-page.js';
import { DirectLine } from './web/directline/index.js';
import type { ConnectionDrain } from './web/drain.js';
import { registerKbPages } from './web/kb-pages.js';
import { registerLocalConnector } from './web/local-connector.js';
import { registerPolicyPages } from './web/policy-pages.js';
import { registerBotRoutes } from './web/server.js';
import { LoadShedder } from './web/shed.js';
import { registerStatic } from './web/static.js';
import { startNoticesAndAlerts } from './web/notices-wiring.js';

/**
 * The heavy half of `createApp` (bot/app.ts), loaded once the port is open: opens the knowledge base and the
 * database, wires the features and registers their routes on the already-listening server.
 */

/** What `createApp` has set up before this module was loaded. */
export interface StartedServer {
  config: Config;
  overrides: AppOverrides;
  logger: Logger;
  now: () => Date;
  server: Server;
  drain: ConnectionDrain;
  port: number;
  timings: Record<string, number>;
  t0: number;
  isReady: () => boolean;
  /** Installs the load shedder's early 503 in the first `server.pre` slot. */
  early: (handler: (req: Request, res: Response, next: Next) => void) => void;
  /** Sets readiness (and, the first time, lets the starting gate through). */
  setReady: (ready: boolean) => void;
}

/**
 * Loading a large serialized index (10,000 articles: a 65 MB JSON file, index-file.ts) leaves ~150 MB of parse
 * garbage (~400 MB with lunr's JSON before SERIALIZED_VERSION 5) that V8 keeps resident until it next needs room,
 * which an idle server may never do; so does opening the database (a first start's initdb most). When the process
 * runs with --expose-gc (`npm start` does), two full collections — the second after sweeping has finished — hand
 * it back (measured with lunr's JSON: 626 -> 359 MB RSS, ~0.7 s CPU at 10,000 articles). Small bases skip it.
 */
async function settleHeapAfter(articles: number): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc || articles < 1000) return;
  gc();
  await delay(100);
  gc();
}

/** Opens the knowledge base and the database, wires everything onto `started.server`, and returns the running App. */
export async function openAndServe(started: StartedServer): Promise<App> {
  const { config, overrides, logger, now, server, drain, port, timings, t0 } = started;
  let db: Db | undefined;
  try {
    const tKb = performance.now();
    const { kb, source } = openKnowledgeBase(config.knowledgeDir, path.join(config.dataDir, 'kb-index.json'));
    timings.knowledgeMs = performance.now() - tKb;
    const knowledge = createKnowledgeHolder(kb);
    const tDb = performance.now();
    db = overrides.db ?? (await openDb({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir, lockWaitMs: config.DATA_DIR_LOCK_WAIT_MS, logger }));
    timings.databaseMs = performance.now() - tDb;
    // After the database is open too, so that its start-up garbage goes with the index's.
    await settleHeapAfter(kb.articles.length);
    const ctx: AppContext = { config, db, knowledge, logger, now };
    const parts = wireFeatures(ctx, knowledge, server, overrides, started);
    started.setReady(true);
    timings.readyMs = performance.now() - t0;
    logger.info({ port, articles: kb.articles.length, index: source, db: describeDb(db), localMode: config.localMode, ...roundAll(timings) }, 'elbow ready');

    const openDbHandle = db;
    let closing: Promise<void> | undefined;
    const close = (options: { drainMs?: number } = {}) =>
      (closing ??= (async () => {
        started.setReady(false);
        drain.begin();
        if (options.drainMs) await new Promise((resolve) => setTimeout(resolve, options.drainMs));
        parts.stopAccepting();
        await drain.close();
        await parts.stop();
        if (!overrides.db) await openDbHandle.close();
        logger.info('elbow stopped');
      })());
    return { url: `http://127.0.0.1:${port}`, ctx, adapter: parts.adapter, bot: parts.bot, close, timings };
  } catch (err) {
    if (!overrides.db) await db?.close().catch(() => undefined);
    throw err;
  }
}

/** The bot and everything around it, with its routes registered on `server`; stopped in two steps by `close`. */
function wireFeatures(ctx: AppContext, knowledge: MutableKnowledgeHolder, server: Server, overrides: AppOverrides, { isReady, early }: StartedServer) {
  const { config, db, logger, now } = ctx;
  const directLine = new DirectLine(ctx);
  const adapter = new ElbowAdapter(createAuthentication(config, logger, () => now().getTime(), directLine.routeConnectors));
  adapter.use(new TypingIndicator());
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    logger.error({ err: errorSummary(error), activityType: context.activity?.type }, 'turn failed');
    try {
      await context.sendActivity(MESSAGES.turnError(config.HELP_DESK_PHONE));
    } catch {
      // The channel itself is unreachable; the error is logged above.
    }
  };

  // PGlite has one writer (this process, by the data-dir lock), so state reads can be served from memory.
  const storage = new DbStorage(db, { cacheSize: db.engine === 'pglite' ? 5000 : 0 });
  const analytics = new AnalyticsRecorder({ db, logger });
  const helpDesk = createHelpDesk({ ctx, adapter, outbox: overrides.outbox !== false });
  // Known-issue notices, burst alerts, suggestions and owner digests (bot/notices/wiring.ts).
  const notices = startNoticesAndAlerts({ ctx, adapter, knowledge, analytics, background: overrides.outbox !== false });
  const bot = new ElbowBot({
    ctx,
    userState: new UserState(storage),
    conversationState: new ConversationState(storage),
    analytics,
    helpDesk,
    redact,
    callbackNumber,
    notices: notices.desk,
  });

  const shedder = new LoadShedder({
    maxActive: config.MAX_CONCURRENT_TURNS,
    maxQueued: config.MAX_CONCURRENT_TURNS * 4,
    maxWaitMs: config.MAX_QUEUE_WAIT_MS,
    maxEventLoopDelayMs: config.SHED_EVENT_LOOP_DELAY_MS,
    logger,
  });
  registerBotRoutes(server, { ctx, adapter, bot, shedder, isReady, early });
  registerStatic(server);
  registerKbPages(server, ctx);
  registerAdmin(server, ctx);
  registerChat(server, ctx);
  registerLocalConnector(server, ctx);
  registerPolicyPages(server, ctx);
  registerTicketRoutes(server, { ...ctx, notify: helpDesk.notify });
  directLine.attach(server, { adapter, bot, shedder });
  notices.register(server);

  const watcher = config.HOT_RELOAD
    ? watchKnowledge({
        knowledgeDir: config.knowledgeDir,
        indexFile: path.join(config.dataDir, 'kb-index.json'),
        initialHash: knowledge.current().sourceHash,
        onReload: (next) => {
          knowledge.replace(next);
          logger.info({ articles: next.articles.length }, 'knowledge reloaded');
        },
        onError: (err) => logger.error({ err: errorSummary(err) }, 'knowledge reload rejected; still serving the last good index'),
      })
    : undefined;

  return {
    adapter,
    bot,
    /** Before the port closes: no more reloads or Direct Line streams. */
    stopAccepting() {
      watcher?.close();
      directLine.close();
    },
    /** After in-flight requests are answered: background work and buffered analytics. */
    async stop() {
      shedder.close();
      await helpDesk.stop();
      await notices.stop();
      await analytics.close().catch(() => undefined);
    },
  };
}

function roundAll(values: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Math.round(v)]));
}
