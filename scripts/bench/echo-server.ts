/**
 * The floor: an echo bot (ActivityHandler that echoes the text) on the same CloudAdapter + restify 11 stack
 * Elbow uses, in local mode. Its throughput is what the framework costs on its own; Elbow is measured against it.
 * Run as a benchmark child: reports {type:'ready', url} over IPC, answers {type:'memory'}, stops on {type:'stop'}.
 */
import type { AddressInfo } from 'node:net';
import {
  ActivityHandler,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  MessageFactory,
} from 'botbuilder';
import restify, { type Request, type Response } from 'restify';
import { onParent, serveMeasurements, tellParent } from './ipc.js';

/** Echoes every message back. */
class EchoBot extends ActivityHandler {
  constructor() {
    super();
    this.onMessage(async (context, next) => {
      await context.sendActivity(MessageFactory.text(`echo: ${context.activity.text ?? ''}`));
      await next();
    });
  }
}

const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}, new ConfigurationServiceClientCredentialFactory({})));
const bot = new EchoBot();
const server = restify.createServer({ name: 'echo', handleUncaughtExceptions: false });
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
  server.close(() => process.exit(0));
});
