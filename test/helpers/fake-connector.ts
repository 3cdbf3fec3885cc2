import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';

/** A Teams roster entry the fake connector returns for GET …/members/… (TeamsInfo.getMember). */
export type FakeMember = Record<string, unknown>;

/** An activity the bot posted, with the path it was posted to. */
export interface PostedActivity {
  path: string;
  activity: Record<string, any>;
}

/** A stand-in Bot Connector service (the activity's serviceUrl) on 127.0.0.1: outbound calls never leave the machine. */
export interface FakeConnector {
  /** Base URL to use as serviceUrl (ends with "/"). */
  url: string;
  /** Activities posted to /v3/conversations/…, in order (replies, typing indicators, proactive messages). */
  received: PostedActivity[];
  /** HTTP status the connector answers with (default 200), unless `statusFor` decides per activity. */
  status: number;
  statusFor?: (activity: Record<string, unknown>) => number;
  /** Called for each posted activity (after recording). */
  onActivity?: (activity: Record<string, unknown>) => void;
  /** Called once the answer to a posted activity has been sent. */
  onResponded?: (activity: Record<string, unknown>, status: number) => void;
  close(): Promise<void>;
}

/** The conversation id a posted activity went to (`/v3/conversations/<id>/activities…`). */
export function conversationOf(posted: PostedActivity): string {
  return decodeURIComponent(/\/v3\/conversations\/([^/]+)/.exec(posted.path)?.[1] ?? '');
}

/**
 * Starts a fake Bot Connector: records every activity posted to it and answers like the service; when given a
 * `member`, answers the roster lookup (GET …/members/…) with it.
 */
export async function startFakeConnector(options: { member?: FakeMember } = {}): Promise<FakeConnector> {
  const connector: FakeConnector = { url: '', received: [], status: 200, close: async () => undefined };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      if (options.member && req.method === 'GET' && /\/members\//.test(req.url ?? '')) return void res.end(JSON.stringify(options.member));
      if (req.method !== 'POST' || !req.url?.startsWith('/v3/conversations/')) {
        res.statusCode = 404;
        return void res.end('{}');
      }
      let activity: Record<string, unknown> = {};
      try {
        activity = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      } catch {
        // keep the empty activity: it is still counted
      }
      connector.received.push({ path: req.url, activity });
      connector.onActivity?.(activity);
      res.statusCode = connector.statusFor?.(activity) ?? connector.status;
      res.once('finish', () => connector.onResponded?.(activity, res.statusCode));
      res.end(JSON.stringify({ id: randomUUID() }));
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  connector.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  connector.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return connector;
}
