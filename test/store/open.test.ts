import { expect } from 'chai';
import { describeDb, openDb } from '../../bot/store/open.js';
import { redactUrl } from '../../bot/store/postgres.js';
import { forEachEngine } from '../helpers/engines.js';
import { expectRejection } from './expect-rejection.js';

describe('redactUrl', () => {
  it('keeps host, port and database but drops user, password and options', () => {
    expect(redactUrl('postgres://elbow:s3cret@db.hospital.local:5432/elbow?sslmode=require')).to.equal(
      'postgres://db.hospital.local:5432/elbow',
    );
    expect(redactUrl('not a url')).to.not.include('not a url');
  });
});

describe('openDb', () => {
  it('fails at once when the PostgreSQL server cannot be reached', async () => {
    await expectRejection(openDb({ databaseUrl: 'postgres://nobody@127.0.0.1:1/none', dataDir: '(unused)' }), /ECONNREFUSED|connect/);
  });
});

forEachEngine('describeDb', (getDb, { engine }) => {
  it('names engine and place without credentials', () => {
    const text = describeDb(getDb());
    expect(text).to.match(engine === 'pglite' ? /^pglite:\/.+\/pglite$/ : /^postgres:\/\/[^@/]+\/elbow_t_[0-9a-f]+$/);
  });
});
