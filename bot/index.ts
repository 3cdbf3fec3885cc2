/** Elbow's entry point: read settings, start the app, stop gracefully on SIGTERM / SIGINT. */
import 'dotenv/config';
import { ConfigError, loadConfig } from './config.js';
import { routeConsoleToLogger } from './logger.js';
import { createApp } from './app.js';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const app = await createApp(config);
  routeConsoleToLogger(app.ctx.logger);
  if (config.localMode) {
    process.stdout.write(`Elbow is listening on ${config.publicBaseUrl} (local mode). Try it: ${config.publicBaseUrl}/chat\n`);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.ctx.logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    app.close({ drainMs: config.SHUTDOWN_DRAIN_MS }).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch(async (err) => {
  // Loaded only here: the knowledge loader is not needed before the port opens (start-up time).
  const { KnowledgeError } = await import('./knowledge/load.js');
  if (err instanceof ConfigError || err instanceof KnowledgeError) process.stderr.write(`Elbow cannot start: ${err.message}\n`);
  else process.stderr.write(`Elbow cannot start: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
