import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { PermanentDeliveryError, RetryLaterError } from '../../bot/escalation/outbox.js';
import { webhookDeliverer, webhookPayload } from '../../bot/escalation/webhook.js';
import { phiIn, sampleTicket } from './fixtures.js';

const ticket = sampleTicket();

/** A local server answering every request with `status` (and headers); records what it got. */
async function answering(status: number, headers: Record<string, string> = {}) {
  const got: Array<{ headers: http.IncomingHttpHeaders; body: string }> = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      got.push({ headers: req.headers, body });
      if (status === 0) return; // never answer
      res.writeHead(status, headers);
      res.end('{"echo":"pt John Smith"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  const close = () => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return { url, got, close };
}

async function outcome(status: number, headers: Record<string, string> = {}, timeoutMs = 5_000): Promise<unknown> {
  const server = await answering(status, headers);
  try {
    await webhookDeliverer({ url: server.url, timeoutMs })(ticket, 'ELB-1042:webhook');
    return 'delivered';
  } catch (err) {
    return err;
  } finally {
    await server.close();
  }
}

describe('webhookDeliverer', () => {
  it('POSTs the redacted ticket as JSON with Idempotency-Key and bearer token', async () => {
    const server = await answering(202);
    try {
      await webhookDeliverer({ url: server.url, token: 't0ken', timeoutMs: 5_000 })(ticket, 'ELB-1042:webhook');
      const [req] = server.got;
      expect(req!.headers).to.include({ 'content-type': 'application/json', 'idempotency-key': 'ELB-1042:webhook', authorization: 'Bearer t0ken' });
      expect(JSON.parse(req!.body)).to.deep.equal(JSON.parse(JSON.stringify(webhookPayload(ticket))));
      expect(phiIn(req!.body)).to.deep.equal([]);
    } finally {
      await server.close();
    }
  });

  it('sends no Authorization header without a token', async () => {
    const server = await answering(200);
    try {
      await webhookDeliverer({ url: server.url })(ticket, 'k');
      expect(server.got[0]!.headers).not.to.have.property('authorization');
    } finally {
      await server.close();
    }
  });

  it('treats 2xx as delivered', async () => {
    for (const status of [200, 201, 204]) expect(await outcome(status)).to.equal('delivered');
  });

  it('retries 408, 429 and 5xx, honouring Retry-After in seconds', async () => {
    for (const status of [408, 429, 500, 502, 503]) {
      const err = await outcome(status);
      expect(err, String(status)).to.be.instanceOf(Error).and.not.instanceOf(PermanentDeliveryError);
      expect((err as Error).message).to.equal(`webhook answered HTTP ${status}`);
    }
    const later = await outcome(429, { 'Retry-After': '120' });
    expect(later).to.be.instanceOf(RetryLaterError);
    expect((later as RetryLaterError).retryAfterMs).to.equal(120_000);
  });

  it('gives up at once on other 4xx (permanent)', async () => {
    for (const status of [400, 401, 403, 404, 410, 422]) expect(await outcome(status), String(status)).to.be.instanceOf(PermanentDeliveryError);
  });

  it('retries on connection refused and on timeout', async () => {
    const server = await answering(200);
    await server.close();
    const refused = await webhookDeliverer({ url: server.url })(ticket, 'k').catch((e: unknown) => e);
    expect(refused).to.be.instanceOf(Error).and.not.instanceOf(PermanentDeliveryError);
    const timedOut = await outcome(0, {}, 200);
    expect(timedOut).to.be.instanceOf(Error).and.not.instanceOf(PermanentDeliveryError);
    expect((timedOut as Error).name).to.equal('TimeoutError');
  });
});
