import type { Next, Request, Response, Server } from 'restify';

/** Keep-alive handling for the shutdown drain: see `connectionDrain`. */
export interface ConnectionDrain {
  /** Install with `server.pre`: during the drain every response asks the client to close its connection. */
  handler: (req: Request, res: Response, next: Next) => void;
  /** The drain begins: from now on responses carry `Connection: close`. */
  begin(): void;
  /** The port is about to close: hang up on connections that carry no request. */
  closeIdle(): void;
}

/**
 * Lets keep-alive clients leave cleanly at shutdown. Without it, their pooled connections stay open through the
 * drain and are reset when the port closes, so their next request fails half-sent. With it, every response during
 * the drain says `Connection: close` (the client opens a new connection, refused once the port is closed) and the
 * connections still idle at the end are closed before the server stops listening.
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
    closeIdle() {
      server.server.closeIdleConnections();
    },
  };
}
