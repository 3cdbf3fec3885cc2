import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { loadMigrations, migrate, type Migration } from '../../bot/store/migrate.js';
import { openDb } from '../../bot/store/open.js';
import { describePostgres, forEachEngine, freshPostgresDatabase } from '../helpers/engines.js';

describe('loadMigrations', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'elbow-migrations-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, sql = 'SELECT 1') => fs.writeFileSync(path.join(dir, name), sql);

  it('picks up every .sql file in file-name order, versioned by file name', () => {
    write('010_later.sql', 'SELECT 10');
    write('002_tickets_outbox.sql', 'SELECT 2');
    write('001_bot_state.sql', 'SELECT 1');
    write('README.md', 'not a migration');
    expect(loadMigrations(dir)).to.deep.equal([
      { version: '001_bot_state', sql: 'SELECT 1' },
      { version: '002_tickets_outbox', sql: 'SELECT 2' },
      { version: '010_later', sql: 'SELECT 10' },
    ]);
  });

  it('refuses two migrations with the same number (two branches that each added one)', () => {
    write('002_tickets.sql');
    write('002_analytics.sql');
    expect(() => loadMigrations(dir)).to.throw(/002_analytics.sql and 002_tickets.sql share the number 002/);
  });

  it('refuses a file whose name does not start with a number', () => {
    write('tickets.sql');
    expect(() => loadMigrations(dir)).to.throw(/tickets.sql: name must look like 001_what_it_does.sql/);
  });

  it('ships 001_bot_state first', () => {
    expect(loadMigrations()[0]!.version).to.equal('001_bot_state');
  });
});

const extra: Migration[] = [
  { version: '901_test_a', sql: 'CREATE TABLE t_mig_a (id int PRIMARY KEY); INSERT INTO t_mig_a VALUES (1);' },
  { version: '902_test_b', sql: 'ALTER TABLE t_mig_a ADD COLUMN name text' },
];

forEachEngine('migrate', (getDb) => {
  it('has applied every shipped migration, once, when openDb resolves', async () => {
    const rows = await getDb().query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).to.deep.equal(loadMigrations().map((m) => m.version));
  });

  it('applies nothing when run again (idempotent)', async () => {
    expect(await migrate(getDb())).to.deep.equal([]);
    expect(await migrate(getDb())).to.deep.equal([]);
  });

  it('applies new migrations in order, each once, even when two runs race on one handle', async () => {
    const db = getDb();
    const runs = await Promise.all([migrate(db, [...loadMigrations(), ...extra]), migrate(db, [...loadMigrations(), ...extra])]);
    expect(runs.flat().sort()).to.deep.equal(['901_test_a', '902_test_b']);
    expect(await db.query('SELECT id, name FROM t_mig_a')).to.deep.equal([{ id: 1, name: null }]);
    const recorded = await db.query("SELECT version FROM schema_migrations WHERE version LIKE '90%' ORDER BY version");
    expect(recorded).to.deep.equal([{ version: '901_test_a' }, { version: '902_test_b' }]);
  });

  it('rolls back a failing migration, records nothing, names it, and stops there', async () => {
    const db = getDb();
    const broken: Migration[] = [
      { version: '911_half', sql: 'CREATE TABLE t_mig_half (id int); SELECT no_such_function();' },
      { version: '912_after', sql: 'CREATE TABLE t_mig_after (id int)' },
    ];
    let message = '';
    await migrate(db, broken).catch((err: Error) => (message = err.message));
    expect(message).to.match(/migration 911_half failed: .*no_such_function/);
    const tables = await db.query("SELECT tablename FROM pg_tables WHERE tablename IN ('t_mig_half', 't_mig_after')");
    expect(tables).to.deep.equal([]);
    expect(await db.query("SELECT version FROM schema_migrations WHERE version LIKE '91%'")).to.deep.equal([]);
  });
});

describePostgres(
  'migrate: instances starting together on one database',
  () => {
    it('both succeed and every migration is applied exactly once', async () => {
      const fresh = await freshPostgresDatabase();
      const opened = await Promise.allSettled([0, 1, 2].map(() => openDb({ databaseUrl: fresh.url, dataDir: '(unused)' })));
      try {
        expect(opened.map((o) => o.status)).to.deep.equal(['fulfilled', 'fulfilled', 'fulfilled']);
        const db = (opened[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof openDb>>>).value;
        const rows = await db.query<{ version: string; n: number }>(
          'SELECT version, count(*) AS n FROM schema_migrations GROUP BY version ORDER BY version',
        );
        expect(rows).to.deep.equal(loadMigrations().map((m) => ({ version: m.version, n: 1 })));
      } finally {
        for (const o of opened) if (o.status === 'fulfilled') await o.value.close();
        await fresh.drop();
      }
    });
  },
);
