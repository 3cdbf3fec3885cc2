import { bearerMatches } from '../secrets.js';
import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { TICKET_STATUSES, type Ticket } from './ticket.js';
import { updateTicketStatus } from './tickets.js';

/** What the ticket routes need: the app context and a way to tell the clinician about a change. */
export type TicketRoutesContext = AppContext & { notify(ticket: Ticket): Promise<void> };

const StatusBody = z.object({
  status: z.enum(TICKET_STATUSES as [Ticket['status'], ...Ticket['status'][]]),
  note: z.string().max(2000).optional(),
});

const TICKET_ID = /^ELB-\d{1,12}$/;

/**
 * `POST /api/tickets/:id/status` {status, note?}: the help desk's callback when a ticket changes.
 * Needs `Authorization: Bearer <TICKET_CALLBACK_TOKEN>`; without that setting the route answers 404.
 * On success stores the change, tells the clinician (ctx.notify) and answers 200 {id, status}.
 */
export function registerTicketRoutes(server: Server, ctx: TicketRoutesContext): void {
  server.post('/api/tickets/:id/status', async (req: Request, res: Response) => {
    const token = ctx.config.TICKET_CALLBACK_TOKEN;
    if (!token) return void res.send(404, { error: 'not found' });
    if (!bearerMatches(req.header('authorization'), token)) {
      res.header('WWW-Authenticate', 'Bearer');
      return void res.send(401, { error: 'unauthorized' });
    }
    const id = String(req.params?.id ?? '');
    const body = StatusBody.safeParse(req.body);
    if (!body.success) {
      const problems = body.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
      return void res.send(400, { error: `bad request: ${problems}` });
    }
    try {
      const ticket = TICKET_ID.test(id) ? await updateTicketStatus(ctx.db, id, body.data.status, body.data.note, ctx.now()) : undefined;
      if (!ticket) return void res.send(404, { error: 'no such ticket' });
      ctx.logger.info({ ticketId: ticket.id, status: ticket.status }, 'ticket status updated by the help desk');
      try {
        await ctx.notify(ticket);
      } catch (err) {
        // The change is committed; the clinician still sees it under "my tickets".
        ctx.logger.warn({ ticketId: ticket.id, error: (err as Error).message }, 'could not notify the clinician of a ticket update');
      }
      res.send(200, { id: ticket.id, status: ticket.status });
    } catch (err) {
      ctx.logger.error({ error: (err as Error).message }, 'ticket status update failed');
      res.send(503, { error: 'try again shortly' });
    }
  });
}
