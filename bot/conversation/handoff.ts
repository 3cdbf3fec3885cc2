import type { Activity, ConversationReference } from 'botbuilder';
import type { AskerRole } from '../knowledge/article.js';
import type { ConversationData } from './state.js';

/** What the bot hands over when a clinician needs a person. */
export interface EscalationRequest {
  userId: string;
  userName: string;
  role: AskerRole | 'unknown';
  urgent: boolean;
  /** Article whose queue the ticket goes to, if any. */
  articleId?: string;
  articlesTried: ConversationData['articlesTried'];
  transcript: ConversationData['transcript'];
  conversationRef: Partial<ConversationReference>;
}

/** A ticket as the clinician sees it. */
export interface TicketSummary {
  id: string;
  status: string;
  urgency: 'normal' | 'urgent';
  createdAt: Date;
  /** A `handoff.initiate` event for channels with live agent handoff. */
  handoff?: Partial<Activity>;
}

/** The help-desk side of the bot: commits tickets (before the bot promises a person) and reads them back. */
export interface HelpDesk {
  escalate(request: EscalationRequest): Promise<TicketSummary>;
  ticketsFor(userId: string): Promise<TicketSummary[]>;
  /** A help-desk agent took the ticket (the "Take it" button): mark it in progress and tell the clinician. */
  take(ticketId: string, agentName: string): Promise<TicketSummary | undefined>;
}
