import type { ConversationReference } from 'botbuilder';
import type { ConversationData, TranscriptLine } from '../conversation/state.js';
import { redact } from '../privacy/redact.js';
import { cutText } from '../text.js';

/** Where a ticket is in the help desk's hands. */
export type TicketStatus = 'open' | 'in-progress' | 'resolved' | 'closed';
export const TICKET_STATUSES: readonly TicketStatus[] = ['open', 'in-progress', 'resolved', 'closed'];

/** How a ticket reaches the help desk: an HTTP webhook and/or a card in the support Teams channel. */
export type DeliveryChannel = 'webhook' | 'teams';

/** Queue for tickets whose topic names none (an article's `escalate` field names one). */
export const DEFAULT_QUEUE = 'service-desk';

/** An article the clinician was shown before asking for a person, with their feedback. */
export type ArticleTried = ConversationData['articlesTried'][number];

/** One line of the conversation {from, text, at}, redacted. */
export type TranscriptTurn = TranscriptLine;

/** A help-desk ticket: who needs help, how urgently, what Elbow already tried, and how to reach them back. */
export interface Ticket {
  /** Human-friendly, e.g. "ELB-1042"; unique within one database only (a fresh one starts again at 1001). */
  id: string;
  /** A random UUID, unique forever: the Idempotency-Key stem and the key receivers store. */
  key: string;
  createdAt: Date;
  updatedAt: Date;
  userId: string;
  userName: string;
  role: string;
  urgency: 'normal' | 'urgent';
  queue: string;
  articlesTried: ArticleTried[];
  transcript: TranscriptTurn[];
  status: TicketStatus;
  /** The help desk's last note with a status change, redacted. */
  statusNote?: string;
  /** Where to message the clinician about this ticket (proactive follow-up); null when unknown. */
  conversationRef: Partial<ConversationReference> | null;
  /** How the help desk reaches the clinician. */
  contact: TicketContact;
}

/** The clinician's own contact details (never a patient's): Teams identity and a callback number they gave. */
export interface TicketContact {
  /** Teams user principal name (sign-in name), from TeamsInfo.getMember; null when unknown. */
  upn: string | null;
  email: string | null;
  /** A number the clinician gave for themselves ("call me at 617-555-1234"). */
  callbackNumber: string | null;
}

/** No contact details known. */
export const NO_CONTACT: TicketContact = { upn: null, email: null, callbackNumber: null };

/** What the bot knows when it opens a ticket. */
export interface TicketInput {
  userId: string;
  userName: string;
  role: string;
  urgent: boolean;
  /** The queue of the article at hand (its `escalate` field); DEFAULT_QUEUE when absent. */
  queue?: string;
  articlesTried: ArticleTried[];
  transcript: TranscriptTurn[];
  conversationRef?: Partial<ConversationReference> | null;
  contact?: Partial<TicketContact>;
  /** What the ticket is about (the article at hand, '' for none): one open ticket per problem per conversation. */
  problemKey?: string;
}

/**
 * The delivery channels the settings turn on: webhook with ESCALATION_WEBHOOK_URL; teams with
 * SUPPORT_TEAMS_CHANNEL_ID and a MicrosoftAppId (posting to a channel needs the bot's identity).
 */
export function deliveryChannels(config: {
  ESCALATION_WEBHOOK_URL?: string;
  SUPPORT_TEAMS_CHANNEL_ID?: string;
  MicrosoftAppId?: string;
}): DeliveryChannel[] {
  const channels: DeliveryChannel[] = [];
  if (config.ESCALATION_WEBHOOK_URL) channels.push('webhook');
  if (config.SUPPORT_TEAMS_CHANNEL_ID && config.MicrosoftAppId) channels.push('teams');
  return channels;
}

/** The settings that are missing for any delivery at all (empty when at least one channel is on). */
export function missingDeliverySettings(config: Parameters<typeof deliveryChannels>[0]): string[] {
  if (deliveryChannels(config).length > 0) return [];
  return config.SUPPORT_TEAMS_CHANNEL_ID ? ['ESCALATION_WEBHOOK_URL', 'MicrosoftAppId'] : ['ESCALATION_WEBHOOK_URL', 'SUPPORT_TEAMS_CHANNEL_ID'];
}

/** How escalations leave Elbow, for /readyz and /admin: the channels on, or the settings missing for any. */
export function escalationStatus(config: Parameters<typeof deliveryChannels>[0]): { delivery: DeliveryChannel[]; missing: string[] } {
  return { delivery: deliveryChannels(config), missing: missingDeliverySettings(config) };
}

/** Lines of conversation a ticket keeps: as many as the conversation state holds (conversation/state.ts). */
const TICKET_TRANSCRIPT_LINES = 20;

/** The transcript as a ticket keeps it: the last TICKET_TRANSCRIPT_LINES lines, each redacted (again: cheap and safe). */
export function ticketTranscript(transcript: readonly TranscriptTurn[]): TranscriptTurn[] {
  return transcript.slice(-TICKET_TRANSCRIPT_LINES).map((turn) => ({
    from: turn.from === 'bot' ? 'bot' : 'user',
    text: cutText(redact(String(turn.text ?? '')), 2000),
    at: String(turn.at ?? ''),
  }));
}

/**
 * The key a receiver uses to drop repeats of one delivery: stable across retries and unique across
 * deployments, because it is built on the ticket's random key, e.g. "0b6f…-…:webhook".
 */
export function idempotencyKey(ticketKey: string, channel: string): string {
  return `${ticketKey}:${channel}`;
}
