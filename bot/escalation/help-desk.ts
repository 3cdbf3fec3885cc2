import type { CloudAdapter } from 'botbuilder';
import type { EscalationRequest, HelpDesk, TakeResult, TicketSummary } from '../conversation/handoff.js';
import { withTimeout } from '../timeout.js';
import type { AppContext } from '../context.js';
import { OutboxWorker, type Deliverer } from './outbox.js';
import { handoffEvent, teamsChannelDeliverer } from './teams-channel.js';
import { deliveryChannels, missingDeliverySettings, type Ticket } from './ticket.js';
import { getTicketOf, listTicketsForUser, openOrAddToTicket, updateTicketStatus } from './tickets.js';
import { webhookDeliverer } from './webhook.js';

/** Teams' global service URL, used to open a conversation in the support channel. */
const TEAMS_SERVICE_URL = 'https://smba.trafficmanager.net/teams/';

/** How long "Take it" waits to tell the clinician before reporting that they could not be told. */
const NOTIFY_TIMEOUT_MS = 5000;

/** The help desk as the app wires it: tickets, outbox delivery, and status messages back to the clinician. */
export interface AppHelpDesk extends HelpDesk {
  /** Tells the clinician about a status change, in the conversation the ticket came from. */
  notify(ticket: Ticket): Promise<void>;
  /** Stops the outbox worker after its round in flight. */
  stop(): Promise<void>;
}

/** What createHelpDesk needs. */
export interface HelpDeskOptions {
  ctx: AppContext;
  adapter: Pick<CloudAdapter, 'continueConversationAsync'>;
  /** Run the outbox worker (default true); tests that drive delivery themselves pass false. */
  outbox?: boolean;
}

function summary(ticket: Ticket): TicketSummary {
  return {
    id: ticket.id, status: ticket.status, urgency: ticket.urgency, createdAt: ticket.createdAt, updatedAt: ticket.updatedAt,
    ...(ticket.statusNote ? { statusNote: ticket.statusNote } : {}),
  };
}

/** The deliverers the settings turn on (see deliveryChannels). */
export function deliverersFor(ctx: AppContext, adapter: HelpDeskOptions['adapter']): Partial<Record<string, Deliverer>> {
  const { config } = ctx;
  const deliverers: Partial<Record<string, Deliverer>> = {};
  for (const channel of deliveryChannels(config)) {
    if (channel === 'webhook') {
      deliverers.webhook = webhookDeliverer({ url: config.ESCALATION_WEBHOOK_URL!, token: config.ESCALATION_WEBHOOK_TOKEN });
    } else {
      deliverers.teams = teamsChannelDeliverer({
        adapter,
        appId: config.MicrosoftAppId!,
        channelId: config.SUPPORT_TEAMS_CHANNEL_ID!,
        serviceUrl: TEAMS_SERVICE_URL,
        tenantId: config.MicrosoftAppTenantId,
      });
    }
  }
  return deliverers;
}

/** Creates the help desk: tickets committed with their outbox rows, delivered by an OutboxWorker. */
export function createHelpDesk({ ctx, adapter, outbox = true }: HelpDeskOptions): AppHelpDesk {
  const channels = deliveryChannels(ctx.config);
  const missing = missingDeliverySettings(ctx.config);
  if (missing.length > 0) {
    ctx.logger.warn({ missing }, `no help-desk delivery configured: set ${missing.join(' and ')}; Elbow will give the help-desk phone number instead of promising contact`);
  }
  const worker = outbox && channels.length > 0 ? new OutboxWorker({ db: ctx.db, deliverers: deliverersFor(ctx, adapter), now: ctx.now, logger: ctx.logger }) : undefined;
  worker?.start();

  return {
    canDeliver: channels.length > 0,

    async escalate(request: EscalationRequest): Promise<TicketSummary> {
      const article = request.articleId ? ctx.knowledge.current().byId.get(request.articleId) : undefined;
      const { ticket, existing } = await openOrAddToTicket(
        ctx.db,
        {
          userId: request.userId,
          userName: request.userName,
          role: request.role,
          urgent: request.urgent,
          queue: article?.escalate,
          articlesTried: request.articlesTried,
          transcript: request.transcript,
          conversationRef: request.conversationRef,
          contact: request.contact,
          problemKey: request.problemKey,
        },
        ctx.now(),
        channels,
      );
      if (existing) {
        ctx.logger.info({ ticketId: ticket.id, queue: ticket.queue }, 'ask added to the open ticket');
        return { ...summary(ticket), existing };
      }
      ctx.logger.info({ ticketId: ticket.id, urgency: ticket.urgency, queue: ticket.queue, channels }, 'ticket created');
      worker?.kick();
      return { ...summary(ticket), existing, handoff: handoffEvent(ticket) };
    },

    async ticketOf(userId: string, ticketId: string): Promise<TicketSummary | undefined> {
      const ticket = await getTicketOf(ctx.db, userId, ticketId);
      return ticket && summary(ticket);
    },

    async ticketsFor(userId: string): Promise<TicketSummary[]> {
      return (await listTicketsForUser(ctx.db, userId)).map(summary);
    },

    async notify(ticket: Ticket): Promise<void> {
      if (!ticket.conversationRef?.conversation) throw new Error('the ticket has no conversation to reach the clinician in');
      const status = ticket.status.replace('-', ' ');
      const text = `Update on your help-desk ticket ${ticket.id}: ${status}.${ticket.statusNote ? ` ${ticket.statusNote}` : ''}`;
      await adapter.continueConversationAsync(ctx.config.MicrosoftAppId ?? '', ticket.conversationRef, async (context) => {
        await context.sendActivity(text);
      });
    },

    async take(ticketId: string, agentName: string): Promise<TakeResult | undefined> {
      const ticket = await updateTicketStatus(ctx.db, ticketId, 'in-progress', `${agentName || 'A help-desk agent'} is on it.`, ctx.now());
      if (!ticket) return undefined;
      const clinicianTold = await withTimeout(this.notify(ticket), NOTIFY_TIMEOUT_MS, 'notify').then(
        () => true,
        (err: Error) => {
          ctx.logger.warn({ err: err.message, ticketId }, 'could not notify the clinician');
          return false;
        },
      );
      return { ticket: summary(ticket), clinicianTold };
    },

    async stop(): Promise<void> {
      await worker?.stop();
    },
  };
}
