/**
 * The floor: an echo bot (ActivityHandler that echoes the text) on the same CloudAdapter + restify 11 stack
 * Elbow uses, in local mode. Its throughput is what the framework costs on its own; Elbow is measured against it.
 * Run as a benchmark child: reports {type:'ready', url} over IPC, answers {type:'memory'}, stops on {type:'stop'}.
 */
import { ActivityHandler, MessageFactory } from 'botbuilder';
import { serveBot } from './bot-server.js';

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

serveBot('echo', new EchoBot());
