import { bearerToken } from '../../secrets.js';
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AppContext } from '../../context.js';
import { originAllowed } from './access.js';
import type { DirectLineStore } from './conversations.js';
import type { TokenIssuer } from './tokens.js';

/** What the stream needs. */
export interface StreamOptions {
  ctx: AppContext;
  store: DirectLineStore;
  tokens: TokenIssuer;
}

const STREAM_PATH = /^\/v3\/directline\/conversations\/([^/]+)\/stream$/;
/** Largest message a client may send on the stream (clients only send empty pings). */
const MAX_CLIENT_MESSAGE = 1024;

/**
 * The Direct Line WebSocket `streamUrl`: `wss://…/v3/directline/conversations/{id}/stream?t={token}&watermark=`.
 * Each new activity is sent as an ActivitySet `{ activities, watermark }`; what the client sends is ignored
 * (DirectLineJS pings with empty messages). Upgrades on other paths are refused. Returns a close function.
 */
export function attachStream(httpServer: HttpServer, { ctx, store, tokens }: StreamOptions): () => void {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_MESSAGE });

  const refuse = (socket: Duplex, status: number, reason: string) => {
    socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  };

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://local');
      const match = STREAM_PATH.exec(url.pathname);
      if (!match) return refuse(socket, 404, 'Not Found');
      if (!originAllowed(ctx.config, req.headers)) return refuse(socket, 403, 'Forbidden');
      const presented = url.searchParams.get('t') ?? bearerToken(req.headers.authorization);
      const grant = presented ? await tokens.verify(presented) : undefined;
      if (!grant) return refuse(socket, presented ? 403 : 401, presented ? 'Forbidden' : 'Unauthorized');
      if (grant.conversationId !== decodeURIComponent(match[1])) return refuse(socket, 403, 'Forbidden');
      const conversation = store.open(grant.conversationId, grant.userId);
      if (!conversation) return refuse(socket, 403, 'Forbidden');
      wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
        const backlog = store.since(conversation, url.searchParams.get('watermark') ?? undefined);
        if (backlog.activities.length > 0) ws.send(JSON.stringify(backlog));
        const unsubscribe = store.subscribe(conversation, (activities, watermark) => {
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ activities, watermark }));
        });
        ws.on('close', unsubscribe);
        ws.on('error', () => ws.terminate());
      });
    })().catch(() => refuse(socket, 400, 'Bad Request'));
  };

  httpServer.on('upgrade', onUpgrade);
  return () => {
    httpServer.off('upgrade', onUpgrade);
    for (const client of wss.clients) client.terminate();
    wss.close();
  };
}
