import {
  ActivityTypes,
  CardFactory,
  HandoffEventNames,
  TeamsInfo,
  type Activity,
  type CloudAdapter,
  type ConversationReference,
} from 'botbuilder';
import { adaptiveCard, type AdaptiveCard } from '../adaptive-card.js';
import type { Deliverer } from './outbox.js';
import { ticketTranscript, type Ticket } from './ticket.js';

/** Transcript lines shown on the support card (the webhook gets all of them). */
const CARD_TRANSCRIPT_LINES = 8;

/** What the "Take it" button sends back to the bot. */
export interface TakeTicketValue {
  action: 'ticket.take';
  ticketId: string;
}

/**
 * The support-channel card for a ticket (Adaptive Card 1.5): id, urgency, role, queue, who asked, the
 * articles tried with their feedback, the end of the redacted transcript, and a "Take it" button.
 */
export function ticketCard(ticket: Ticket): AdaptiveCard {
  const urgent = ticket.urgency === 'urgent';
  const tried = ticket.articlesTried.length
    ? ticket.articlesTried.map((a) => `- ${a.title}${a.feedback ? ` (${a.feedback === 'solved' ? 'solved' : 'not solved'})` : ''}`).join('\n')
    : 'None';
  const lines = ticketTranscript(ticket.transcript).slice(-CARD_TRANSCRIPT_LINES);
  const take: TakeTicketValue = { action: 'ticket.take', ticketId: ticket.id };
  return adaptiveCard(
    [
      {
        type: 'TextBlock',
        text: `${urgent ? 'URGENT: ' : ''}Ticket ${ticket.id}`,
        size: 'Medium',
        weight: 'Bolder',
        color: urgent ? 'Attention' : 'Default',
        wrap: true,
      },
      {
        type: 'FactSet',
        facts: [
          { title: 'Urgency', value: urgent ? 'Urgent' : 'Normal' },
          { title: 'Role', value: ticket.role },
          { title: 'Queue', value: ticket.queue },
          { title: 'From', value: ticket.userName || ticket.userId },
          ...contactFacts(ticket),
          { title: 'Opened', value: `${ticket.createdAt.toISOString().slice(0, 16).replace('T', ' ')} UTC` },
        ],
      },
      { type: 'TextBlock', text: 'Articles tried', weight: 'Bolder', spacing: 'Medium', wrap: true },
      { type: 'TextBlock', text: tried, wrap: true },
      { type: 'TextBlock', text: 'Conversation (PHI redacted)', weight: 'Bolder', spacing: 'Medium', wrap: true },
      {
        type: 'Container',
        items: lines.length
          ? lines.map((l) => ({ type: 'TextBlock', text: `${l.from === 'user' ? 'Clinician' : 'Elbow'}: ${plain(l.text)}`, wrap: true, spacing: 'Small' }))
          : [{ type: 'TextBlock', text: '(empty)', wrap: true, isSubtle: true }],
      },
    ],
    [{ type: 'Action.Submit', title: 'Take it', style: 'positive', data: take }],
  );
}

/** The clinician's contact rows of the card: Teams sign-in / email and the callback number, when known. */
function contactFacts(ticket: Ticket): Array<{ title: string; value: string }> {
  const { upn, email, callbackNumber } = ticket.contact ?? {};
  const facts: Array<{ title: string; value: string }> = [];
  if (upn || email) facts.push({ title: 'Teams', value: [...new Set([upn, email].filter((v): v is string => Boolean(v)))].join(', ') });
  if (callbackNumber) facts.push({ title: 'Call back', value: callbackNumber });
  return facts;
}

/** One line of user text for a TextBlock: no line breaks, and no markdown links (a clinician's text cannot add one). */
function plain(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(/\]\(/g, '] (');
}

/**
 * A Bot Framework handoff event (`handoff.initiate`) for channels with live agent handoff: value carries
 * the ticket id and the redacted transcript, also attached as a transcript, as EventFactory does.
 */
export function handoffEvent(ticket: Ticket): Partial<Activity> {
  const ref = ticket.conversationRef ?? {};
  const transcript = ticketTranscript(ticket.transcript);
  return {
    type: ActivityTypes.Event,
    name: HandoffEventNames.InitiateHandoff,
    value: { ticketId: ticket.id, queue: ticket.queue, urgency: ticket.urgency, transcript },
    ...(ref.conversation ? { conversation: ref.conversation } : {}),
    ...(ref.user ? { from: ref.user } : {}),
    ...(ref.channelId ? { channelId: ref.channelId } : {}),
    ...(ref.serviceUrl ? { serviceUrl: ref.serviceUrl } : {}),
    ...(ticket.conversationRef ? { relatesTo: ticket.conversationRef as ConversationReference } : {}),
    attachments: [
      {
        contentType: 'application/json',
        name: 'Transcript',
        content: {
          activities: transcript.map((l) => ({ type: ActivityTypes.Message, text: l.text, timestamp: l.at, from: { id: l.from, role: l.from === 'user' ? 'user' : 'bot' } })),
        },
      },
    ],
  };
}

/** Where the support channel is. */
export interface TeamsChannelOptions {
  adapter: Pick<CloudAdapter, 'continueConversationAsync'>;
  /** The bot's Microsoft App ID. */
  appId: string;
  /** The support channel's id ("19:…@thread.tacv2"). */
  channelId: string;
  /** Teams' service URL for the tenant, e.g. https://smba.trafficmanager.net/teams/. */
  serviceUrl: string;
  tenantId?: string;
  cardFor?: (ticket: Ticket) => AdaptiveCard;
}

/**
 * A deliverer that posts the ticket card as a new conversation in the support Teams channel
 * (TeamsInfo.sendMessageToTeamsChannel inside continueConversationAsync, as the botbuilder samples do).
 * Not idempotent on Teams' side: after a crash between the post and its bookkeeping the card can appear
 * twice, each with the same ticket id.
 */
export function teamsChannelDeliverer(options: TeamsChannelOptions): Deliverer {
  const cardFor = options.cardFor ?? ticketCard;
  const reference: Partial<ConversationReference> = {
    channelId: 'msteams',
    serviceUrl: options.serviceUrl,
    bot: { id: options.appId, name: 'Elbow' },
    conversation: {
      id: options.channelId,
      isGroup: true,
      conversationType: 'channel',
      name: 'support',
      ...(options.tenantId ? { tenantId: options.tenantId } : {}),
    },
  };
  return async (ticket) => {
    const card = cardFor(ticket);
    const activity = {
      type: ActivityTypes.Message,
      text: `${ticket.urgency === 'urgent' ? 'URGENT ' : ''}Ticket ${ticket.id}`,
      attachments: [CardFactory.adaptiveCard(card)],
    } as Activity;
    await options.adapter.continueConversationAsync(options.appId, reference, async (context) => {
      await TeamsInfo.sendMessageToTeamsChannel(context, activity, options.channelId, options.appId);
    });
  };
}
