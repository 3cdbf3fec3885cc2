import type { Activity, ActivityHandler, CloudAdapter } from 'botbuilder';
import { AuthenticationConstants, ClaimsIdentity } from 'botframework-connector';
import { errorSummary } from '../../conversation/bot.js';
import { MESSAGES } from '../../conversation/messages.js';
import { VOUCHED_ROLE } from '../../conversation/vouched.js';
import type { AppContext } from '../../context.js';
import { DirectLineConnectorFactory } from './connector.js';
import type { DirectLineConversation, DirectLineStore } from './conversations.js';
import type { DirectLineGrant } from './tokens.js';

/** What runs Direct Line turns. */
export interface TurnRunnerOptions {
  ctx: AppContext;
  adapter: CloudAdapter;
  bot: ActivityHandler;
  store: DirectLineStore;
  serviceUrl: string;
}

/** Runs one activity through the bot; turns of one conversation run one after another. */
export type TurnRunner = (conversation: DirectLineConversation, activity: Partial<Activity>, grant: DirectLineGrant) => Promise<void>;

/** The bot's id and name as Direct Line clients see it. */
export function botAccount(ctx: AppContext): { id: string; name: string; role: string } {
  return { id: ctx.config.MicrosoftAppId ?? 'elbow', name: 'Elbow', role: 'bot' };
}

/**
 * Runs Direct Line activities through the same CloudAdapter, middleware (typing), bot, state, analytics and
 * escalation as Teams turns. The request was authenticated by its Direct Line token, so the turn gets the
 * bot's own identity (as a proactive turn does) and a connector that writes replies into the conversation.
 */
export function createTurnRunner({ ctx, adapter, bot, store, serviceUrl }: TurnRunnerOptions): TurnRunner {
  const appId = ctx.config.MicrosoftAppId ?? '';
  const claimsIdentity = new ClaimsIdentity(
    [
      { type: AuthenticationConstants.AudienceClaim, value: appId },
      { type: AuthenticationConstants.AppIdClaim, value: appId },
    ],
    true,
  );
  const auth = { claimsIdentity, audience: AuthenticationConstants.ToChannelFromBotOAuthScope, callerId: 'urn:elbow:directline', connectorFactory: new DirectLineConnectorFactory(store, serviceUrl) };
  const queues = new WeakMap<DirectLineConversation, Promise<void>>();

  const run = async (conversation: DirectLineConversation, activity: Partial<Activity>, grant: DirectLineGrant) => {
    try {
      await adapter.processActivityDirect(auth, activity as Activity, async (context) => {
        if (grant.role) context.turnState.set(VOUCHED_ROLE, grant.role);
        await bot.run(context);
      });
    } catch (err) {
      // onTurnError already answered when it could; this is the adapter itself failing.
      ctx.logger.error({ err: errorSummary(err), channel: 'directline' }, 'direct line turn failed');
      store.append(conversation, { type: 'message', text: MESSAGES.turnError(ctx.config.HELP_DESK_PHONE), from: botAccount(ctx), conversation: { id: conversation.id } as Activity['conversation'] });
    }
  };

  return (conversation, activity, grant) => {
    const previous = queues.get(conversation) ?? Promise.resolve();
    const next = previous.then(() => run(conversation, activity, grant));
    queues.set(conversation, next);
    return next;
  };
}

/** The activity the bot sees for a client's activity: channel, conversation and sender set by Elbow, not the client. */
export function inboundActivity(ctx: AppContext, serviceUrl: string, grant: DirectLineGrant, body: Record<string, unknown>): Partial<Activity> {
  return {
    ...body,
    channelId: 'directline',
    serviceUrl,
    conversation: { id: grant.conversationId } as Activity['conversation'],
    from: { id: grant.userId, name: grant.userName ?? '', role: 'user' },
    recipient: botAccount(ctx),
    timestamp: ctx.now(),
  };
}

/** The conversationUpdate that starts a conversation (bot and user joined): the bot greets. */
export function conversationStart(ctx: AppContext, serviceUrl: string, grant: DirectLineGrant): Partial<Activity> {
  const user = { id: grant.userId, name: grant.userName ?? '', role: 'user' };
  return {
    ...inboundActivity(ctx, serviceUrl, grant, {}),
    type: 'conversationUpdate',
    id: `${grant.conversationId}|start`,
    membersAdded: [botAccount(ctx), user],
  };
}
