import type { Next, Request, Response } from 'restify';

/** The Content-Security-Policy of every Elbow page: only our own scripts, styles and endpoints. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

/** Headers added to every response (harmless on JSON, essential on HTML and JS). */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

/** A restify handler (install with `server.pre`) that sets the security headers before any route runs. */
export function securityHeaders(): (req: Request, res: Response, next: Next) => void {
  return (_req, res, next) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.header(name, value);
    next();
  };
}
