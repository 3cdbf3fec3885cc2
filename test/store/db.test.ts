import { expect } from 'chai';
import { forEachEngine } from '../helpers/engines.js';
import { expectRejection } from './expect-rejection.js';

forEachEngine('Db', (getDb) => {
  before(async () => {
    await getDb().query('CREATE TABLE IF NOT EXISTS t_db (id text PRIMARY KEY, n integer NOT NULL DEFAULT 0)');
  });

  it('runs parameterized statements and returns rows', async () => {
    const db = getDb();
    await db.query('INSERT INTO t_db (id, n) VALUES ($1, $2)', ['a', 1]);
    const rows = await db.query<{ id: string; n: number }>('SELECT id, n FROM t_db WHERE id = $1', ['a']);
    expect(rows).to.deep.equal([{ id: 'a', n: 1 }]);
  });

  it('runs several statements in one parameterless text and returns the last one’s rows', async () => {
    const rows = await getDb().query<{ n: number }>(
      "INSERT INTO t_db (id) VALUES ('multi1'); INSERT INTO t_db (id) VALUES ('multi2'); SELECT count(*)::int AS n FROM t_db WHERE id LIKE 'multi%'",
    );
    expect(rows).to.deep.equal([{ n: 2 }]);
  });

  it('returns the same JS types on both engines', async () => {
    const [row] = await getDb().query(
      `SELECT 9007199254740991::int8 AS big, count(*) AS cnt, 1.50::numeric AS num, '2026-03-04'::date AS day,
              '2026-03-04T05:06:07Z'::timestamptz AS at, '{"a":[1,"x"]}'::jsonb AS doc, true AS yes, NULL::text AS nothing
       FROM (VALUES (1), (2)) v(x)`,
    );
    expect(row).to.deep.equal({
      big: 9007199254740991,
      cnt: 2,
      num: '1.50',
      day: '2026-03-04',
      at: new Date('2026-03-04T05:06:07Z'),
      doc: { a: [1, 'x'] },
      yes: true,
      nothing: null,
    });
  });

  it('commits a transaction whose callback resolves and returns its value', async () => {
    const db = getDb();
    const result = await db.transaction(async (tx) => {
      await tx.query('INSERT INTO t_db (id) VALUES ($1)', ['commit1']);
      await tx.query('INSERT INTO t_db (id) VALUES ($1)', ['commit2']);
      return 'done';
    });
    expect(result).to.equal('done');
    expect(await db.query("SELECT id FROM t_db WHERE id LIKE 'commit%' ORDER BY id")).to.deep.equal([
      { id: 'commit1' },
      { id: 'commit2' },
    ]);
  });

  it('rolls back a transaction whose callback throws, and rethrows', async () => {
    const db = getDb();
    const failing = db.transaction(async (tx) => {
      await tx.query('INSERT INTO t_db (id) VALUES ($1)', ['rolled-back']);
      throw new Error('boom');
    });
    await expectRejection(failing, /boom/);
    expect(await db.query('SELECT id FROM t_db WHERE id = $1', ['rolled-back'])).to.deep.equal([]);
  });

  it('does not report a commit when a statement failed and the callback swallowed the error', async () => {
    const db = getDb();
    const swallowed = db.transaction(async (tx) => {
      await tx.query('INSERT INTO t_db (id) VALUES ($1)', ['swallowed']);
      await tx.query('INSERT INTO t_db (id) VALUES ($1)', ['swallowed']).catch(() => undefined); // duplicate key
    });
    await expectRejection(swallowed, /rolled back/);
    expect(await db.query('SELECT id FROM t_db WHERE id = $1', ['swallowed'])).to.deep.equal([]);
  });

  it('keeps a transaction that recovered from a failed statement with a savepoint', async () => {
    const db = getDb();
    await db.transaction(async (tx) => {
      await tx.query('INSERT INTO t_db (id) VALUES ($1)', ['saved']);
      await tx.query('SAVEPOINT s');
      await tx.query('INSERT INTO t_db (id) VALUES ($1)', ['saved']).catch(() => tx.query('ROLLBACK TO SAVEPOINT s'));
    });
    expect(await db.query('SELECT id FROM t_db WHERE id = $1', ['saved'])).to.have.length(1);
  });

  it('refuses the database handle inside its own transaction instead of deadlocking', async () => {
    const db = getDb();
    const misuse = db.transaction(async () => db.query('SELECT 1'));
    await expectRejection(misuse, /use the transaction's handle/);
    const nested = db.transaction(async () => db.transaction(async () => 1));
    await expectRejection(nested, /use the transaction's handle/);
    expect(await db.query<{ one: number }>('SELECT 1 AS one')).to.deep.equal([{ one: 1 }]);
  });

  it('refuses a transaction handle used after its transaction ended', async () => {
    const db = getDb();
    const leaked = await db.transaction(async (tx) => tx);
    await expectRejection(leaked.query('SELECT 1'), /closed/i);
  });

  it('serializes concurrent transactions so none loses an update', async () => {
    const db = getDb();
    await db.query("INSERT INTO t_db (id, n) VALUES ('counter', 0)");
    await Promise.all(
      Array.from({ length: 20 }, () =>
        db.transaction(async (tx) => {
          const [row] = await tx.query<{ n: number }>("SELECT n FROM t_db WHERE id = 'counter' FOR UPDATE");
          await tx.query("UPDATE t_db SET n = $1 WHERE id = 'counter'", [row!.n + 1]);
        }),
      ),
    );
    expect(await db.query("SELECT n FROM t_db WHERE id = 'counter'")).to.deep.equal([{ n: 20 }]);
  });

  it('pings', async () => {
    await getDb().ping();
  });
});

forEachEngine('Db close', (getDb) => {
  it('is idempotent, and a closed database refuses queries', async () => {
    const db = getDb();
    await db.close();
    await db.close();
    await expectRejection(db.query('SELECT 1'), /./);
  });
});

forEachEngine(
  'forEachEngine with a fresh database per test',
  (getDb) => {
    it('gives the first test a migrated, empty database', async () => {
      expect(await getDb().query('SELECT key FROM bot_state')).to.deep.equal([]);
      await getDb().query("INSERT INTO bot_state (key, value, etag) VALUES ('left-over', '{}', 'x')");
    });
    it('gives the next test a new one', async () => {
      expect(await getDb().query('SELECT key FROM bot_state')).to.deep.equal([]);
    });
  },
  { fresh: 'test' },
);
