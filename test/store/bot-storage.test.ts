import { expect } from 'chai';
import { ConversationState, TestAdapter, TurnContext, UserState, type Activity } from 'botbuilder';
import { DbStorage } from '../../bot/store/bot-storage.js';
import { forEachEngine } from '../helpers/engines.js';
import { expectRejection } from './expect-rejection.js';

forEachEngine('DbStorage', (getDb, { reopen }) => {
  const storage = () => new DbStorage(getDb());
  let n = 0;
  const key = () => `test/key-${++n}`;

  it('reads back what it wrote, with an eTag, and omits missing keys', async () => {
    const k = key();
    await storage().write({ [k]: { role: 'nurse', visits: [1, 2], nested: { ok: true } } });
    const items = await storage().read([k, 'test/never-written']);
    expect(Object.keys(items)).to.deep.equal([k]);
    const { eTag, ...value } = items[k];
    expect(value).to.deep.equal({ role: 'nurse', visits: [1, 2], nested: { ok: true } });
    expect(eTag).to.be.a('string').and.not.equal('*');
  });

  it('returns nothing for no keys, and requires keys', async () => {
    expect(await storage().read([])).to.deep.equal({});
    await expectRejection(storage().read(undefined as unknown as string[]), /Keys are required/);
  });

  it('gives a new eTag on every write', async () => {
    const k = key();
    await storage().write({ [k]: { v: 1 } });
    const first = (await storage().read([k]))[k].eTag;
    await storage().write({ [k]: { v: 2, eTag: first } });
    const second = (await storage().read([k]))[k].eTag;
    expect(second).to.be.a('string').and.not.equal(first);
  });

  it('rejects a write with a stale eTag and keeps the stored item', async () => {
    const k = key();
    await storage().write({ [k]: { v: 1 } });
    const stale = (await storage().read([k]))[k].eTag;
    await storage().write({ [k]: { v: 2, eTag: stale } });
    await expectRejection(storage().write({ [k]: { v: 3, eTag: stale } }), new RegExp(`writing "${k}" due to eTag conflict`));
    expect((await storage().read([k]))[k].v).to.equal(2);
  });

  it('overwrites unconditionally without an eTag or with "*"', async () => {
    const k = key();
    await storage().write({ [k]: { v: 1 } });
    await storage().write({ [k]: { v: 2 } });
    await storage().write({ [k]: { v: 3, eTag: '*' } });
    expect((await storage().read([k]))[k].v).to.equal(3);
  });

  it('accepts a write with an eTag for a key not stored yet (as MemoryStorage does)', async () => {
    const k = key();
    await storage().write({ [k]: { v: 1, eTag: 'from-elsewhere' } });
    expect((await storage().read([k]))[k].v).to.equal(1);
  });

  it('lets exactly one of two writers with the same eTag win', async () => {
    const k = key();
    await storage().write({ [k]: { v: 0 } });
    const eTag = (await storage().read([k]))[k].eTag;
    // Two storages, as two bot instances would have.
    const results = await Promise.allSettled(
      [1, 2, 3, 4].map((v) => new DbStorage(getDb()).write({ [k]: { v, eTag } })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(1);
    const winner = results.findIndex((r) => r.status === 'fulfilled') + 1;
    expect((await storage().read([k]))[k].v).to.equal(winner);
  });

  it('writes several keys all or nothing', async () => {
    const [a, b] = [key(), key()];
    await storage().write({ [b]: { v: 'b1' } });
    const bTag = (await storage().read([b]))[b].eTag;
    await storage().write({ [b]: { v: 'b2' } });
    await expectRejection(storage().write({ [a]: { v: 'a1' }, [b]: { v: 'b3', eTag: bTag } }), /eTag conflict/);
    const items = await storage().read([a, b]);
    expect(items[a]).to.equal(undefined);
    expect(items[b].v).to.equal('b2');
  });

  it('deletes keys and ignores absent ones', async () => {
    const [a, b] = [key(), key()];
    await storage().write({ [a]: { v: 1 }, [b]: { v: 2 } });
    await storage().delete([a, 'test/never-written']);
    expect(Object.keys(await storage().read([a, b]))).to.deep.equal([b]);
    await storage().delete([]);
  });

  it('round-trips botbuilder UserState and ConversationState, across instances and a restart', async () => {
    const activity: Partial<Activity> = {
      type: 'message',
      channelId: 'msteams',
      from: { id: 'user-1', name: 'User' },
      recipient: { id: 'bot', name: 'Elbow' },
      conversation: { id: 'conv-1', isGroup: false, name: '', conversationType: 'personal' },
      text: 'hello',
    };
    const turn = (state: { user: UserState; convo: ConversationState }) => ({
      context: new TurnContext(new TestAdapter(), activity),
      profile: state.user.createProperty<{ role?: string; lastVisit?: string }>('profile'),
      misses: state.convo.createProperty<number>('misses'),
    });
    const instance = () => ({ user: new UserState(storage()), convo: new ConversationState(storage()) });

    const a = instance();
    const first = turn(a);
    await first.profile.set(first.context, { role: 'physician', lastVisit: '2026-01-02T03:04:05.000Z' });
    await first.misses.set(first.context, 2);
    await a.user.saveChanges(first.context);
    await a.convo.saveChanges(first.context);

    const b = instance(); // another bot instance behind the load balancer
    const second = turn(b);
    expect(await second.profile.get(second.context)).to.deep.equal({ role: 'physician', lastVisit: '2026-01-02T03:04:05.000Z' });
    expect(await second.misses.get(second.context)).to.equal(2);
    await second.misses.set(second.context, 0);
    await b.convo.saveChanges(second.context);

    await reopen();
    const c = instance();
    const third = turn(c);
    expect(await third.profile.get(third.context)).to.deep.equal({ role: 'physician', lastVisit: '2026-01-02T03:04:05.000Z' });
    expect(await third.misses.get(third.context)).to.equal(0);
  });
});
