import net from 'node:net';
import type { Next, Request, Response, Server } from 'restify';

/** Keep-alive handling for the shutdown drain: see `connectionDrain`. */
export interface ConnectionDrain {
  /** Install with `server.pre`: during the drain every response asks the client to close its connection. */
  handler: (req: Request, res: Response, next: Next) => void;
  /** The drain begins: from now on responses carry `Connection: close`. */
  begin(): void;
  /** Stops accepting, hangs up on connections that carry no request, and resolves once in-flight requests are answered. */
  close(): Promise<void>;
}

/**
 * How long, after the port stops accepting, a connection accepted just before may take to send its request
 * before it counts as idle and is closed (a request sent on it then would be reset).
 */
const LAST_REQUEST_GRACE_MS = 250;

/**
 * Lets keep-alive clients leave cleanly at shutdown. Without it, their pooled connections stay open through the
 * drain and are reset when the port closes, so their next request fails half-sent. With it, every response during
 * the drain says `Connection: close` (the client opens a new connection, refused once the port is closed), and at
 * the end the port stops accepting first and idle connections are closed a moment later, so a connection accepted
 * in the last instant still gets its request answered.
 */
export function connectionDrain(server: Server): ConnectionDrain {
  let draining = false;
  return {
    handler: (_req, res, next) => {
      // Decided when the response starts, not when the request arrived: a turn that began before the drain
      // and answers during it must close its connection too.
      const writeHead = res.writeHead;
      res.writeHead = function (this: Response, ...args: Parameters<Response['writeHead']>) {
        if (draining && !res.headersSent) res.setHeader('Connection', 'close');
        return writeHead.apply(this, args);
      } as Response['writeHead'];
      next();
    },
    begin() {
      draining = true;
    },
    async close() {
      draining = true;
      const http = server.server;
      const closed = new Promise<void>((resolve) => http.once('close', () => resolve()));
      // net.Server's close only stops accepting; http.Server's would also drop idle connections at once,
      // including ones accepted a moment ago whose request is still on its way.
      net.Server.prototype.close.call(http);
      await new Promise((resolve) => setTimeout(resolve, LAST_REQUEST_GRACE_MS));
      http.closeIdleConnections();
      await closed;
    },
  };
}
