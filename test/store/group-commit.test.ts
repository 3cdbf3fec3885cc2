import { expect } from 'chai';
import type { Db, Sql } from '../../bot/store/db.js';
import { DbStorage } from '../../bot/store/bot-storage.js';
import { groupCommitStats } from '../../bot/store/group-commit.js';
import { forEachEngine } from '../helpers/engines.js';
import { expectRejection } from './expect-rejection.js';

/** The real database, counting what reaches it: statements outside a transaction, and transactions. */
function counting(db: Db) {
  const counts = { statements: 0, transactions: 0 };
  const wrapped: Db = {
    engine: db.engine,
    label: db.label,
    query: <T>(text: string, params?: unknown[]) => {
      counts.statements += 1;
      return db.query<T>(text, params);
    },
    transaction: <T>(fn: (tx: Sql) => Promise<T>) => {
      counts.transactions += 1;
      return db.transaction(fn);
    },
    ping: () => db.ping(),
    close: () => db.close(),
  };
  return { db: wrapped, counts };
}

forEachEngine('DbStorage group commit', (getDb, { reopen }) => {
  for (const cacheSize of [0, 100]) {
    it(`commits concurrent writes together, each write resolved after its commit (cache ${cacheSize})`, async () => {
      const { db, counts } = counting(getDb());
      const storage = new DbStorage(db, { cacheSize });
      const before = groupCommitStats();
      const n = 20;
      await Promise.all(Array.from({ length: n }, (_, i) => storage.write({ [`gc${cacheSize}/user/${i}`]: { i } })));
      const after = groupCommitStats();
      expect(after.requests - before.requests).to.equal(n);
      expect(after.batches - before.batches, 'batches').to.be.below(n);
      // Every write reached the database, in fewer commits than writes.
      expect(counts.statements + counts.transactions, 'commits').to.be.below(n);
      const rows = await getDb().query<{ n: number }>("SELECT count(*)::int AS n FROM bot_state WHERE key LIKE $1", [`gc${cacheSize}/user/%`]);
      expect(rows[0]!.n).to.equal(n);
    });
  }

  it('fails only the stale write of a batch; the others commit', async () => {
    const storage = new DbStorage(getDb(), { cacheSize: 100 });
    await storage.write({ 'gc/stale': { v: 0 } });
    const { eTag } = (await storage.read(['gc/stale']))['gc/stale'];
    await storage.write({ 'gc/stale': { v: 1 } });
    const results = await Promise.allSettled([
      storage.write({ 'gc/ok-1': { v: 1 } }),
      storage.write({ 'gc/stale': { v: 2, eTag }, 'gc/with-stale': { v: 2 } }),
      storage.write({ 'gc/ok-2': { v: 2 } }),
    ]);
    expect(results.map((r) => r.status)).to.deep.equal(['fulfilled', 'rejected', 'fulfilled']);
    await expectRejection(Promise.reject((results[1] as PromiseRejectedResult).reason), /eTag conflict/);
    const fresh = new DbStorage(getDb());
    const items = await fresh.read(['gc/ok-1', 'gc/ok-2', 'gc/stale', 'gc/with-stale']);
    expect(items['gc/stale'].v).to.equal(1);
    expect(items['gc/with-stale'], 'all or nothing').to.equal(undefined);
    expect([items['gc/ok-1'].v, items['gc/ok-2'].v]).to.deep.equal([1, 2]);
  });

  it('keeps writes and a delete of one key in call order', async () => {
    const storage = new DbStorage(getDb(), { cacheSize: 100 });
    await Promise.all([storage.write({ 'gc/order': { v: 1 } }), storage.delete(['gc/order']), storage.write({ 'gc/order-2': { v: 1 } })]);
    expect(await new DbStorage(getDb()).read(['gc/order'])).to.deep.equal({});
    await Promise.all([storage.delete(['gc/order-2']), storage.write({ 'gc/order-2': { v: 2 } })]);
    expect((await new DbStorage(getDb()).read(['gc/order-2']))['gc/order-2'].v).to.equal(2);
  });

  it('loses no acknowledged write: every resolved write is there after a reopen', async () => {
    const storage = new DbStorage(getDb(), { cacheSize: 100 });
    const n = 12;
    await Promise.all(Array.from({ length: n }, (_, i) => storage.write({ [`gc/durable/${i}`]: { i } })));
    const reopened = await reopen();
    const items = await new DbStorage(reopened).read(Array.from({ length: n }, (_, i) => `gc/durable/${i}`));
    expect(Object.values(items).map((item) => item.i).sort((a, b) => a - b)).to.deep.equal(Array.from({ length: n }, (_, i) => i));
  });
});
