import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the receiver saw it. */
export interface Received {
  key: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: string;
  status: number;
}

/** How the receiver answers: accept, fail (503 / 400), or hold the response until released. */
export type ReceiverMode = 'accept' | 'unavailable' | 'reject' | 'hold';

/**
 * A help-desk webhook on a real local port, idempotent like a good receiver: the first request with a
 * key is stored (201), repeats are acknowledged (200) without storing again. `down()` stops listening
 * (connection refused) and `up()` listens again on the same port.
 */
export class WebhookReceiver {
  mode: ReceiverMode = 'accept';
  readonly requests: Received[] = [];
  /** Stored deliveries by idempotency key. */
  readonly stored = new Map<string, string>();
  private server = http.createServer((req, res) => this.handle(req, res));
  private port = 0;
  private held: Array<() => void> = [];
  private waiters: Array<{ n: number; resolve: () => void }> = [];

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  async up(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async down(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
    this.server = http.createServer((req, res) => this.handle(req, res));
  }

  /** Answers the held requests (storing them as in 'accept'). */
  release(): void {
    for (const answer of this.held.splice(0)) answer();
  }

  /** Resolves once `n` requests have arrived (any answer). */
  received(n: number): Promise<void> {
    if (this.requests.length >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }

  /** How many requests carried `key`. */
  countFor(key: string): number {
    return this.requests.filter((r) => r.key === key).length;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const key = String(req.headers['idempotency-key'] ?? '');
      const seen: Received = { key, authorization: req.headers.authorization, contentType: req.headers['content-type'], body, status: 0 };
      this.requests.push(seen);
      const answer = (status: number) => {
        seen.status = status;
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: status < 300 }));
      };
      const accept = () => {
        if (this.stored.has(key)) return answer(200);
        this.stored.set(key, body);
        answer(201);
      };
      if (this.mode === 'unavailable') answer(503);
      else if (this.mode === 'reject') answer(400);
      else if (this.mode === 'hold') this.held.push(accept);
      else accept();
      for (const w of this.waiters.filter((x) => this.requests.length >= x.n)) w.resolve();
      this.waiters = this.waiters.filter((x) => this.requests.length < x.n);
    });
  }
}
