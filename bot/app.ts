import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { ElbowBot } from './conversation/bot.js';
import type { Config } from './config.js';
import type { AppContext } from './context.js';
import { createLogger } from './logger.js';
import { configureRedaction } from './privacy/redact.js';
import type { Db } from './store/db.js';
import type { ElbowAdapter } from './web/adapter.js';
import { connectionDrain } from './web/drain.js';
import { hostCheck } from './web/host-check.js';
import { createHttpServer, preSlot, startingGate } from './web/http-server.js';
import { securityHeaders } from './web/security.js';

/** Parts a test (or the benchmark) may replace. */
export interface AppOverrides {
  now?: () => Date;
  db?: Db;
  logger?: Logger;
  /** Port to listen on; defaults to config.PORT (0 = any free port). */
  port?: number;
  /** Host to bind; defaults to all interfaces. */
  host?: string;
  /** Skip the outbox worker (tests that drive delivery themselves). */
  outbox?: boolean;
}

/** A running Elbow: the URL it listens on, its context, and a graceful close. */
export interface App {
  url: string;
  ctx: AppContext;
  adapter: ElbowAdapter;
  bot: ElbowBot;
  /**
   * Fails /readyz, keeps serving for `drainMs` so the load balancer stops sending, then stops accepting,
   * finishes in-flight turns, flushes analytics, stops the outbox and closes the database.
   */
  close(options?: { drainMs?: number }): Promise<void>;
  /** Startup timings in milliseconds, for the benchmark and the start-up log line. */
  timings: Record<string, number>;
}

/** Wires config -> store -> knowledge -> bot -> server; the port opens first (liveness), turns once all is ready. */
export async function createApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const t0 = performance.now();
  const timings: Record<string, number> = {};
  // The help desk's own number appears in the bot's replies and in clinicians' messages; it is not PHI.
  configureRedaction({ keepNumbers: [config.HELP_DESK_PHONE] });
  const logger = overrides.logger ?? createLogger(config.LOG_LEVEL);
  const now = overrides.now ?? (() => new Date());

  // Liveness (/healthz) answers while the knowledge base and the database open; until then every other
  // request gets 503 + Retry-After (startingGate), so a probe or a clinician never sees a refused port or a 404.
  let ready = false;
  let started = false;
  const server = createHttpServer(logger);
  const shedSlot = preSlot(); // first: refusing a flood must cost as little as it did before the port opened early
  server.pre(shedSlot.handler);
  const drain = connectionDrain(server);
  server.pre(drain.handler);
  if (config.localMode) server.pre(hostCheck([...config.ALLOWED_HOSTS, new URL(config.publicBaseUrl).host]));
  server.pre(securityHeaders());
  server.pre(startingGate(() => started));
  await new Promise<void>((resolve) => server.listen(overrides.port ?? config.PORT, overrides.host ?? config.HOST ?? (config.localMode ? '127.0.0.1' : '0.0.0.0'), resolve));
  const port = (server.address() as AddressInfo).port;
  timings.listenMs = performance.now() - t0;

  try {
    // Everything else (bot, knowledge, database drivers: most of the start-up CPU) loads after the port is open.
    const { openAndServe } = await import('./app-wiring.js');
    const app = await openAndServe({ config, overrides, logger, now, server, drain, port, timings, t0, early: shedSlot.set, isReady: () => ready, setReady: (value) => {
      ready = value;
      if (value) started = true;
    } });
    return app;
  } catch (err) {
    server.close();
    throw err;
  }
}
