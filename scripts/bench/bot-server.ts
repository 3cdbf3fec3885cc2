/**
 * The stack the benchmark's reference bots share with Elbow: botbuilder's CloudAdapter in local mode behind restify 11
 * with its body parser. `serveBot` serves one bot as a benchmark child: reports {type:'ready', url} over IPC, answers
 * {type:'memory'}, and on {type:'stop'} closes the server, runs `onClose`, and exits.
 */
import type { AddressInfo } from 'node:net';
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  type ActivityHandler,
} from 'botbuilder';
import restify, { type Request, type Response } from 'restify';
import { onParent, serveMeasurements, tellParent } from './ipc.js';

/** Serves `bot` on a free local port until the parent says stop. */
export function serveBot(name: string, bot: ActivityHandler, onClose: () => Promise<void> = async () => {}): void {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}, new ConfigurationServiceClientCredentialFactory({})));
  const server = restify.createServer({ name, handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ mapParams: false }));
  server.post('/api/messages', async (req: Request, res: Response) => {
    await adapter.process(req, res, (context) => bot.run(context));
  });
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as AddressInfo;
    tellParent({ type: 'ready', url: `http://127.0.0.1:${port}`, memory: process.memoryUsage() });
  });
  serveMeasurements();
  onParent('stop', () => {
    server.close(() => {
      void onClose().finally(() => process.exit(0));
    });
  });
}
