import type { TurnContext } from 'botbuilder';
import type { TurnEvent } from '../analytics/events.js';
import type { ConversationData, UserProfile } from './state.js';

/** The state and outputs of one turn, threaded through the handlers. */
export interface Turn {
  context: TurnContext;
  profile: UserProfile;
  convo: ConversationData;
  turnId: string;
  started: number;
  event: Omit<TurnEvent, 'latencyMs'>;
}
