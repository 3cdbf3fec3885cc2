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
  /** The clinician's own contact details: Teams identity and a callback number they gave. */
  contact?: { upn?: string | null; email?: string | null; callbackNumber?: string | null };
  /** What the ask is about (the article at hand, '' for none): a second ask about it joins the open ticket. */
  problemKey?: string;
}

/** A ticket as the clinician sees it. */
export interface TicketSummary {
  id: string;
  status: string;
  urgency: 'normal' | 'urgent';
  createdAt: Date;
  updatedAt: Date;
  /** The help desk's last note, redacted. */
  statusNote?: string;
  /** True when the ask joined a ticket already open for the same problem (no new ticket, no new delivery). */
  existing?: boolean;
  /** A `handoff.initiate` event for channels with live agent handoff. */
  handoff?: Partial<Activity>;
}

/** What "Take it" did: the ticket, and whether the clinician could actually be told. */
export interface TakeResult {
  ticket: TicketSummary;
  clinicianTold: boolean;
}

/** The help-desk side of the bot: commits tickets (before the bot promises a person) and reads them back. */
export interface HelpDesk {
  /** False when no delivery (webhook or support channel) is configured: nobody would see a ticket. */
  readonly canDeliver: boolean;
  escalate(request: EscalationRequest): Promise<TicketSummary>;
  ticketsFor(userId: string): Promise<TicketSummary[]>;
  /** One of the user's own tickets by id; undefined when unknown or someone else's (the caller can't tell which). */
  ticketOf(userId: string, ticketId: string): Promise<TicketSummary | undefined>;
  /** A help-desk agent took the ticket (the "Take it" button): mark it in progress and tell the clinician. */
  take(ticketId: string, agentName: string): Promise<TakeResult | undefined>;
}
