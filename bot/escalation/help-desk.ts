import type { CloudAdapter } from 'botbuilder';
import type { EscalationRequest, HelpDesk, TicketSummary } from '../conversation/handoff.js';
import type { AppContext } from '../web/context.js';
import { OutboxWorker, type Deliverer } from './outbox.js';
import { handoffEvent, teamsChannelDeliverer } from './teams-channel.js';
import { deliveryChannels, type Ticket } from './ticket.js';
import { createTicket, listTicketsForUser, updateTicketStatus } from './tickets.js';
import { webhookDeliverer } from './webhook.js';

/** Teams' global service URL, used to open a conversation in the support channel. */
const TEAMS_SERVICE_URL = 'https://smba.trafficmanager.net/teams/';

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
  return { id: ticket.id, status: ticket.status, urgency: ticket.urgency, createdAt: ticket.createdAt };
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
  const worker = outbox && channels.length > 0 ? new OutboxWorker({ db: ctx.db, deliverers: deliverersFor(ctx, adapter), now: ctx.now, logger: ctx.logger }) : undefined;
  worker?.start();

  return {
    async escalate(request: EscalationRequest): Promise<TicketSummary> {
      const article = request.articleId ? ctx.knowledge.current().byId.get(request.articleId) : undefined;
      const ticket = await createTicket(
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
        },
        ctx.now(),
        channels,
      );
      ctx.logger.info({ ticketId: ticket.id, urgency: ticket.urgency, queue: ticket.queue, channels }, 'ticket created');
      worker?.kick();
      return { ...summary(ticket), handoff: handoffEvent(ticket) };
    },

    async ticketsFor(userId: string): Promise<TicketSummary[]> {
      return (await listTicketsForUser(ctx.db, userId)).map(summary);
    },

    async notify(ticket: Ticket): Promise<void> {
      if (!ticket.conversationRef?.conversation) return;
      const status = ticket.status.replace('-', ' ');
      const text = `Update on your help-desk ticket ${ticket.id}: ${status}.${ticket.statusNote ? ` ${ticket.statusNote}` : ''}`;
      await adapter.continueConversationAsync(ctx.config.MicrosoftAppId ?? '', ticket.conversationRef, async (context) => {
        await context.sendActivity(text);
      });
    },

    async take(ticketId: string, agentName: string): Promise<TicketSummary | undefined> {
      const ticket = await updateTicketStatus(ctx.db, ticketId, 'in-progress', `${agentName || 'A help-desk agent'} is on it.`, ctx.now());
      if (!ticket) return undefined;
      await this.notify(ticket).catch((err: Error) => ctx.logger.warn({ err: err.message, ticketId }, 'could not notify the clinician'));
      return summary(ticket);
    },

    async stop(): Promise<void> {
      await worker?.stop();
    },
  };
}
