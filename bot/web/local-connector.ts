import { randomUUID } from 'node:crypto';
import type { Request, Response, Server } from 'restify';
import type { AppContext } from '../context.js';

/** Messages kept per conversation until the page picks them up, and conversations kept at once. */
const MAX_WAITING = 20;
const MAX_CONVERSATIONS = 500;

/**
 * Local mode only: a stand-in Bot Connector for the /chat page. /chat talks request/response
 * (deliveryMode expectReplies) with serviceUrl = its own origin, so a proactive message (a ticket status update,
 * "someone is on it") goes to POST <origin>/v3/conversations/:id/activities — this server. Without these
 * routes that call failed ("… does not exist") and the clinician was never told. Here the message waits in a
 * small in-memory mailbox until the page polls GET /chat/api/updates?conversationId=….
 */
export function registerLocalConnector(server: Server, ctx: AppContext): void {
  if (!ctx.config.localMode) return;
  const mailbox = new Map<string, Array<Record<string, unknown>>>();

  const receive = async (req: Request, res: Response) => {
    const conversationId = String(req.params?.conversationId ?? '');
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!conversationId || typeof body !== 'object' || Array.isArray(body)) return void res.send(400, { error: 'expected an activity' });
    const waiting = mailbox.get(conversationId) ?? [];
    mailbox.delete(conversationId); // re-insert: the Map's order is least recently used first
    waiting.push({ type: String(body.type ?? 'message'), text: typeof body.text === 'string' ? body.text : '', attachments: Array.isArray(body.attachments) ? body.attachments : [] });
    mailbox.set(conversationId, waiting.slice(-MAX_WAITING));
    while (mailbox.size > MAX_CONVERSATIONS) mailbox.delete(mailbox.keys().next().value as string);
    res.send(200, { id: randomUUID() });
  };
  server.post('/v3/conversations/:conversationId/activities', receive);
  server.post('/v3/conversations/:conversationId/activities/:activityId', receive);

  server.get('/chat/api/updates', async (req: Request, res: Response) => {
    const conversationId = new URL(req.url ?? '/', 'http://local').searchParams.get('conversationId') ?? '';
    const activities = mailbox.get(conversationId) ?? [];
    mailbox.delete(conversationId);
    res.header('Cache-Control', 'no-store');
    res.send(200, { activities });
  });
}
