import type { Activity } from 'botbuilder';
import { ConnectorFactory, type ConnectorClient } from 'botframework-connector';
import type { DirectLineStore } from './conversations.js';

/** The serviceUrl of Direct Line activities: replies to it are appended to the store, never sent over HTTP. */
export function directLineServiceUrl(publicBaseUrl: string): string {
  return `${publicBaseUrl}/v3/directline`;
}

/** Thrown when the bot writes to a Direct Line conversation that has expired. */
export class ConversationGoneError extends Error {}

/**
 * The part of ConnectorClient botbuilder's CloudAdapter calls to send, update and delete activities
 * (CloudAdapterBase.sendActivities / updateActivity / deleteActivity), writing to the Direct Line store.
 */
function storeConnector(store: DirectLineStore): ConnectorClient {
  const send = async (conversationId: string, activity: Partial<Activity>) => {
    const conversation = store.get(conversationId);
    if (!conversation) throw new ConversationGoneError('direct line conversation has expired');
    const from = { role: 'bot', ...activity.from } as Activity['from'];
    return { id: store.append(conversation, { ...activity, from }) };
  };
  const conversations = {
    sendToConversation: send,
    replyToActivity: (conversationId: string, _replyToId: string, activity: Partial<Activity>) => send(conversationId, activity),
    // Web Chat has no edits or deletions to show; accepting them keeps a bot that tries from failing its turn.
    updateActivity: async (_conversationId: string, activityId: string) => ({ id: activityId }),
    deleteActivity: async () => undefined,
  };
  return { conversations } as unknown as ConnectorClient;
}

/**
 * A ConnectorFactory that routes Direct Line conversations to the store and everything else (Teams) to the
 * factory it wraps. Installed on the adapter's authentication, so proactive messages (ticket updates via
 * continueConversationAsync with a stored conversation reference) reach a Direct Line conversation too.
 */
export class DirectLineConnectorFactory extends ConnectorFactory {
  constructor(
    private readonly store: DirectLineStore,
    private readonly serviceUrl: string,
    private readonly inner?: ConnectorFactory,
  ) {
    super();
  }

  override async create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
    if (serviceUrl === this.serviceUrl) return storeConnector(this.store);
    if (!this.inner) throw new Error('no connector for this serviceUrl');
    return this.inner.create(serviceUrl, audience);
  }
}
