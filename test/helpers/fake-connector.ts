import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A Teams roster entry the fake connector returns for GET …/members/… (TeamsInfo.getMember). */
export type FakeMember = Record<string, unknown>;

/**
 * A stand-in Bot Connector on this machine: records every activity the adapter posts and, when given a member,
 * answers the roster lookup with it. Use its `url` as the activity's serviceUrl.
 */
export async function fakeConnector(options: { member?: FakeMember } = {}) {
  const posted: Array<{ url?: string; body: any }> = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      if (options.member && req.method === 'GET' && /\/members\//.test(req.url ?? '')) return void res.end(JSON.stringify(options.member));
      posted.push({ url: req.url, body: JSON.parse(body || '{}') });
      res.end('{"id":"1"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { url, posted, close };
}
