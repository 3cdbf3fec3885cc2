import { TurnContext, type Activity } from 'botbuilder';
import type { Config } from '../config.js';
import { withTimeout } from '../timeout.js';
import { cutText } from '../text.js';
import type { TurnContextDeps } from '../context.js';
import { teamsContact } from './contact.js';
import type { HelpDesk, TicketSummary } from './handoff.js';
import { localTime, MESSAGES } from './messages.js';
import type { Turn } from './turn.js';

/** What the ticket handlers need from the bot. */
export interface TicketTalk {
  ctx: TurnContextDeps;
  helpDesk: HelpDesk;
  reply(turn: Turn, text: string): Promise<void>;
  /** Logs a failure without request data. */
  failed(err: unknown, what: string, ticketId?: string): void;
}

/** How long a turn waits for a ticket to commit before giving the phone number instead. */
const TICKET_TIMEOUT_MS = 8000;

/** Channels whose hosts may run live agent handoff (Direct Line based); Teams gets the ticket card instead. */
const HANDOFF_CHANNELS = new Set(['directline', 'webchat', 'test']);

/**
 * Opens a ticket about the article at hand (the clicked card's, else the last answered or clarified one), or
 * adds the ask to the ticket already open for it; commits before promising anything, and promises contact only
 * when a delivery is configured. On failure, gives the phone number.
 */
export async function escalate(talk: TicketTalk, turn: Turn, articleId?: string): Promise<void> {
  const { ctx, helpDesk } = talk;
  const { profile, convo, context } = turn;
  const { HELP_DESK_PHONE: phone, HELP_DESK_HOURS: hours } = ctx.config;
  const urgent = Boolean(convo.urgent || turn.event.urgent);
  Object.assign(turn.event, { outcome: 'escalate', urgent });
  const activity = context.activity;
  const atHand = articleId ?? convo.articleAtHand;
  try {
    if (urgent && helpDesk.canDeliver) await context.sendActivity(MESSAGES.urgentNoArticle(phone));
    // Looked up once per conversation, found or not: a roster that can't be read won't be readable next time.
    convo.contact ??= (await teamsContact(context, { anonymous: ctx.config.localMode })) ?? { upn: null, email: null };
    const ticket = await withTimeout(helpDesk.escalate({
      userId: String(activity.from?.id ?? 'unknown'),
      userName: cutText(String(activity.from?.name ?? ''), 200),
      role: profile.role ?? 'unknown',
      urgent,
      articleId: atHand,
      problemKey: atHand ?? '',
      articlesTried: convo.articlesTried,
      transcript: convo.transcript,
      conversationRef: TurnContext.getConversationReference(activity),
      contact: { ...convo.contact, callbackNumber: convo.callbackNumber ?? null },
    }), TICKET_TIMEOUT_MS, 'ticket creation');
    if (ticket.existing) await talk.reply(turn, MESSAGES.ticketAdded(ticket.id, phone));
    else if (!helpDesk.canDeliver) await talk.reply(turn, MESSAGES.ticketNotPassedOn(ticket.id, phone, hours));
    else {
      await talk.reply(turn, MESSAGES.ticketCreated(ticket.id, urgent, phone));
      if (ticket.handoff && HANDOFF_CHANNELS.has(String(activity.channelId))) await context.sendActivity(ticket.handoff);
    }
    convo.misses = 0;
    convo.urgent = false;
  } catch (err) {
    talk.failed(err, 'ticket creation failed');
    await talk.reply(turn, MESSAGES.ticketFailed(phone, hours));
  }
}

/** One line about a ticket: status, the help desk's note, and times in the help desk's time zone. */
function describe(ticket: TicketSummary, config: Config): string {
  const at = (d: Date) => localTime(d, config.HELP_DESK_TIME_ZONE);
  return MESSAGES.ticketStatus(ticket.id, ticket.status, ticket.urgency === 'urgent', at(ticket.createdAt), at(ticket.updatedAt), ticket.statusNote);
}

/** "my tickets": the user's last five tickets. */
export async function listTickets(talk: TicketTalk, turn: Turn): Promise<void> {
  try {
    const tickets = await talk.helpDesk.ticketsFor(String(turn.context.activity.from?.id ?? ''));
    if (tickets.length === 0) return talk.reply(turn, MESSAGES.noTickets);
    const lines = tickets.slice(0, 5).map((t) => `- ${describe(t, talk.ctx.config)}`);
    return talk.reply(turn, MESSAGES.ticketList(lines));
  } catch (err) {
    talk.failed(err, 'ticket lookup failed');
    return talk.reply(turn, MESSAGES.ticketFailed(talk.ctx.config.HELP_DESK_PHONE, talk.ctx.config.HELP_DESK_HOURS));
  }
}

/** "what's the status of ELB-1001": that ticket if it is the asker's; the same neutral answer otherwise. */
export async function ticketStatus(talk: TicketTalk, turn: Turn, ticketId: string): Promise<void> {
  try {
    const ticket = await talk.helpDesk.ticketOf(String(turn.context.activity.from?.id ?? ''), ticketId);
    return talk.reply(turn, ticket ? describe(ticket, talk.ctx.config) : MESSAGES.ticketUnknown(ticketId));
  } catch (err) {
    talk.failed(err, 'ticket lookup failed', ticketId);
    return talk.reply(turn, MESSAGES.ticketFailed(talk.ctx.config.HELP_DESK_PHONE, talk.ctx.config.HELP_DESK_HOURS));
  }
}

/**
 * True when the activity comes from the configured support channel (SUPPORT_TEAMS_CHANNEL_ID, any thread in
 * it). Help-desk buttons are honoured only there: anyone can send a button's data from any chat.
 */
export function fromSupportChannel(activity: Partial<Activity>, config: Pick<Config, 'SUPPORT_TEAMS_CHANNEL_ID'>): boolean {
  const support = config.SUPPORT_TEAMS_CHANNEL_ID;
  const conversation = String(activity.conversation?.id ?? '').split(';')[0];
  return Boolean(support) && activity.channelId === 'msteams' && conversation === support;
}

/** A help-desk agent clicked "Take it"; reports honestly whether the clinician could be told. */
export async function takeTicket(talk: TicketTalk, turn: Turn, ticketId: string): Promise<void> {
  // Outside the support channel: one neutral answer, whether or not the ticket exists (no enumeration).
  if (!fromSupportChannel(turn.context.activity, talk.ctx.config)) return talk.reply(turn, MESSAGES.helpDeskOnly);
  const agent = cutText(String(turn.context.activity.from?.name ?? ''), 80);
  try {
    const taken = await talk.helpDesk.take(ticketId, agent);
    await talk.reply(turn, taken ? MESSAGES.taken(agent, taken.ticket.id, taken.clinicianTold) : MESSAGES.ticketNotFound(ticketId));
  } catch (err) {
    talk.failed(err, 'take ticket failed', ticketId);
    await talk.reply(turn, MESSAGES.ticketUpdateFailed(ticketId));
  }
}
