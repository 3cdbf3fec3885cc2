import type { Next, Request, Response } from 'restify';

/** Names that always mean "this machine". */
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

/** The host name of a Host header, lower-case, without port or trailing dot ("[::1]:3978" -> "[::1]"). */
export function hostName(header: string | undefined): string | undefined {
  const value = (header ?? '').trim().toLowerCase();
  if (!value) return undefined;
  const name = value.startsWith('[') ? value.slice(0, value.indexOf(']') + 1) : value.split(':')[0]!;
  return name.replace(/\.$/, '') || undefined;
}

/**
 * Local mode is anonymous, so it must only answer requests addressed to this machine by name: a malicious page
 * can point its own domain at 127.0.0.1 (DNS rebinding) and drive the bot from the clinician's browser, but its
 * requests still carry its own domain in Host. Anything else is refused with 403 before any route runs.
 */
export function hostCheck(allowed: readonly string[]): (req: Request, res: Response, next: Next) => void {
  const names = new Set([...LOOPBACK_NAMES, ...allowed.map((h) => hostName(h)).filter((h): h is string => !!h)]);
  return (req, res, next) => {
    const name = hostName(req.headers.host);
    if (name && names.has(name)) return next();
    res.send(403, { error: 'this server answers only on localhost; set ALLOWED_HOSTS to add a name' });
    return next(false);
  };
}
