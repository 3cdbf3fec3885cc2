import { expect } from 'chai';
import { DbStorage } from '../../bot/store/bot-storage.js';
import { forEachEngine } from '../helpers/engines.js';

forEachEngine('DbStorage with a read cache', (getDb) => {
  it('serves reads from memory after a write, with the eTag the database holds', async () => {
    const storage = new DbStorage(getDb(), { cacheSize: 10 });
    await storage.write({ 'user/1': { role: 'nurse', list: [1, 2] } });
    const [row] = await getDb().query<{ etag: string }>("SELECT etag FROM bot_state WHERE key = 'user/1'");
    const first = await storage.read(['user/1']);
    expect(first['user/1']).to.deep.equal({ role: 'nurse', list: [1, 2], eTag: row!.etag });
    // A caller mutating what it read must not change the cache.
    first['user/1'].list.push(3);
    expect((await storage.read(['user/1']))['user/1'].list).to.deep.equal([1, 2]);
  });

  it('answers a read of a cached key from memory, without asking the database (fails if the cache is removed)', async () => {
    const db = getDb();
    const storage = new DbStorage(db, { cacheSize: 10 });
    await storage.write({ 'user/3': { role: 'nurse' } });
    // Only possible behind the sole writer's back: the cache must not see it.
    await db.query("UPDATE bot_state SET value = '{\"role\":\"changed behind the cache\"}' WHERE key = 'user/3'");
    let selects = 0;
    const counting = new Proxy(db, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (prop !== 'query' || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
        return (sql: string, params?: unknown[]) => {
          if (/^\s*select/i.test(sql)) selects++;
          return value.call(target, sql, params);
        };
      },
    });
    const cached = new DbStorage(counting, { cacheSize: 10 });
    await cached.write({ 'user/4': { role: 'physician' } });
    selects = 0;
    expect((await storage.read(['user/3']))['user/3'].role).to.equal('nurse');
    expect((await cached.read(['user/4']))['user/4'].role).to.equal('physician');
    expect(selects, 'database reads for a cached key').to.equal(0);
  });

  it('still rejects a stale eTag and then reads the stored item again', async () => {
    const storage = new DbStorage(getDb(), { cacheSize: 10 });
    await storage.write({ 'user/2': { role: 'nurse' } });
    const { 'user/2': read } = await storage.read(['user/2']);
    await storage.write({ 'user/2': { ...read, role: 'physician' } });
    let failed = false;
    await storage.write({ 'user/2': { ...read, role: 'other' } }).catch(() => (failed = true));
    expect(failed, 'stale write rejected').to.equal(true);
    expect((await storage.read(['user/2']))['user/2'].role).to.equal('physician');
  });

  it('keeps at most cacheSize items and forgets deleted ones', async () => {
    const storage = new DbStorage(getDb(), { cacheSize: 2 });
    for (const k of ['a', 'b', 'c']) await storage.write({ [`k/${k}`]: { v: k } });
    await getDb().query("UPDATE bot_state SET value = '{\"v\":\"changed\"}' WHERE key = 'k/a'");
    expect((await storage.read(['k/a']))['k/a'].v, 'evicted, so read from the database').to.equal('changed');
    await storage.delete(['k/c']);
    expect(await storage.read(['k/c'])).to.deep.equal({});
  });
});
