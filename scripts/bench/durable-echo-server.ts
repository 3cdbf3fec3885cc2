/**
 * The floor of a durable turn: the echo bot of echo-server.ts on the same CloudAdapter + restify 11 stack, plus what
 * "state committed before every reply" costs at the least — a UserState and a ConversationState on Elbow's own
 * storage (DbStorage: PGlite under DATA_DIR with its read cache, group commit), both saved before the turn ends,
 * as Elbow's bot does. No knowledge base, cards, analytics or logging. Elbow's CPU per turn is compared with it too,
 * to tell what durability costs from what Elbow's own work costs (docs/performance.md).
 * Run as a benchmark child (bot-server.ts).
 */
import { ActivityHandler, ConversationState, MessageFactory, UserState, type TurnContext } from 'botbuilder';
import { DbStorage } from '../../bot/store/bot-storage.js';
import { openDb } from '../../bot/store/open.js';
import { serveBot } from './bot-server.js';

const dataDir = process.env.DATA_DIR;
if (!dataDir) throw new Error('durable-echo-server needs DATA_DIR');
const db = await openDb({ dataDir });
// As Elbow on PGlite: one writer (the data-dir lock), so reads come from the cache.
const storage = new DbStorage(db, { cacheSize: 5000 });
const userState = new UserState(storage);
const conversationState = new ConversationState(storage);
const turns = userState.createProperty<number>('turns');
const lastText = conversationState.createProperty<string>('lastText');

/** Echoes every message back after remembering it: one state read and one committed write per turn. */
class DurableEchoBot extends ActivityHandler {
  constructor() {
    super();
    this.onMessage(async (context, next) => {
      const text = context.activity.text ?? '';
      await turns.set(context, (await turns.get(context, 0)) + 1);
      await lastText.set(context, text);
      await context.sendActivity(MessageFactory.text(`echo: ${text}`));
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    await super.run(context);
    await Promise.all([userState.saveChanges(context), conversationState.saveChanges(context)]);
  }
}

serveBot('durable-echo', new DurableEchoBot(), () => db.close());
