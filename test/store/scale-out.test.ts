import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { startTestApp, teamsMessage, cardsOf, textOf, type TestApp } from '../helpers/app.js';
import { describePostgres, freshPostgresUrl } from '../helpers/engines.js';

/** A local help-desk webhook receiver counting deliveries per Idempotency-Key. */
async function startReceiver(): Promise<{ url: string; keys: string[]; close(): Promise<void> }> {
  const keys: string[] = [];
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      keys.push(String(req.headers['idempotency-key']));
      res.writeHead(200);
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/tickets`,
    keys,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describePostgres('two Elbow instances sharing one PostgreSQL', () => {
  let a: TestApp;
  let b: TestApp;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  before(async () => {
    receiver = await startReceiver();
    const env = { DATABASE_URL: await freshPostgresUrl(), ESCALATION_WEBHOOK_URL: receiver.url };
    [a, b] = await Promise.all([startTestApp(env), startTestApp(env)]);
  });
  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await receiver?.close();
  });

  it('knows on instance B the role a user chose on instance A', async () => {
    const user = '29:scale-out-physician';
    const set = await a.send(teamsMessage(undefined, { user, value: { action: 'role', role: 'physician' } }));
    expect(textOf(set.activities)).to.match(/physician steps first/);
    const answer = await b.send(teamsMessage('why is my patient list incomplete', { user }));
    const card = JSON.stringify(cardsOf(answer.activities));
    expect(card).to.include('For physicians');
    expect(card).not.to.include('For nurses');
    expect(textOf(answer.activities)).not.to.match(/what is your role/i);
  });

  it('delivers each ticket exactly once with both instances\' outbox workers running', async () => {
    const created: string[] = [];
    for (let i = 0; i < 6; i++) {
      const app = i % 2 === 0 ? a : b;
      const reply = await app.send(teamsMessage('talk to a person please', { user: `29:scale-out-${i}` }));
      const id = /ELB-\d+/.exec(textOf(reply.activities))?.[0];
      expect(id, textOf(reply.activities)).to.be.a('string');
      created.push(id as string);
    }
    // Once every outbox row is marked delivered, no worker can claim it again: the receiver's count is final.
    const pending = async () =>
      Number((await a.ctx.db.query<{ n: number }>("SELECT count(*)::int AS n FROM outbox WHERE status <> 'delivered'"))[0]!.n);
    const deadline = Date.now() + 20_000;
    while ((await pending()) > 0) {
      if (Date.now() > deadline) throw new Error('outbox not delivered in time');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(new Set(receiver.keys).size).to.equal(receiver.keys.length);
    const keys = await a.ctx.db.query<{ ticket_key: string }>('SELECT ticket_key FROM tickets WHERE id = ANY($1::text[])', [created]);
    expect(keys).to.have.length(created.length);
    expect(keys.every(({ ticket_key }) => receiver.keys.includes(`${ticket_key}:webhook`))).to.equal(true);
    expect(receiver.keys.length).to.equal(created.length);
  });
});
