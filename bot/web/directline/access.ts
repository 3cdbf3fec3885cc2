import type { IncomingHttpHeaders } from 'node:http';
import type { Request, Response } from 'restify';
import type { Config } from '../../config.js';

/** Headers a Direct Line client sends (DirectLineJS adds x-ms-bot-agent; RxJS ajax adds x-requested-with). */
const ALLOWED_HEADERS = 'Authorization, Content-Type, Accept, x-ms-bot-agent, x-requested-with';

/**
 * Whether a browser request from `origin` may use Direct Line: no Origin (a server, the login page's backend)
 * or Elbow's own pages, or an origin listed in EMBED_ALLOWED_ORIGINS.
 */
export function originAllowed(config: Config, headers: IncomingHttpHeaders): boolean {
  const origin = headers.origin;
  if (origin === undefined) return true;
  if (config.embedAllowedOrigins.includes(origin)) return true;
  const own = [config.publicBaseUrl, `http://${headers.host}`, `https://${headers.host}`].map((u) => safeOrigin(u));
  return own.includes(origin);
}

function safeOrigin(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/** Sets the CORS headers for an allowed browser origin (nothing for server-to-server calls). */
export function corsHeaders(req: Request, res: Response): void {
  const origin = req.headers.origin;
  if (!origin) return;
  res.header('Access-Control-Allow-Origin', origin);
  res.header('Vary', 'Origin');
  res.header('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
  res.header('Access-Control-Allow-Headers', ALLOWED_HEADERS);
  res.header('Access-Control-Max-Age', '600');
}

/** Direct Line's error body: `{ error: { code, message } }`. */
export function sendError(res: Response, status: number, code: string, message: string): void {
  res.send(status, { error: { code, message } });
}
