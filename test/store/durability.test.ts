import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { DbStorage } from '../../bot/store/bot-storage.js';
import { migrate } from '../../bot/store/migrate.js';
import { openDb } from '../../bot/store/open.js';
import { nodeArgs } from '../helpers/bundles.js';
import { describePostgres, freshDataDir, freshPostgresDatabase, templateFirstStartMs } from '../helpers/engines.js';
import { expectRejection } from './expect-rejection.js';

const WRITER = fileURLToPath(new URL('./fixtures/write-and-hold.ts', import.meta.url));

/** Starts the writer child and resolves once it printed ACK (its write resolved). */
function startWriter(where: string, key: string, value: unknown) {
  const child = spawn(process.execPath, [...nodeArgs(WRITER), where, key, JSON.stringify(value)], {
    cwd: path.resolve(path.dirname(WRITER), '../../..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const acked = new Promise<void>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('ACK\n')) resolve();
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('exit', (code, signal) => reject(new Error(`writer exited (${code ?? signal}) before ACK: ${err}`)));
  });
  return {
    acked,
    pid: child.pid,
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

describe('Durability [pglite]', () => {
  it('keeps an acknowledged write when the process is killed (SIGKILL) and takes over its lock', async function () {
    this.timeout(120_000); // a child process that opens PGlite, on a possibly busy machine
    const fresh = await freshDataDir();
    const writer = startWriter(fresh.dir, 'user/durable', { role: 'nurse' });
    try {
      await writer.acked;
      await expectRejection(openDb({ dataDir: fresh.dir }), new RegExp(`DATA_DIR .* is in use by process ${writer.pid} `));
      await writer.kill();
      const warnings: object[] = [];
      const db = await openDb({ dataDir: fresh.dir, logger: { warn: (obj) => warnings.push(obj) } });
      try {
        const items = await new DbStorage(db).read(['user/durable']);
        expect(items['user/durable']).to.include({ role: 'nurse' });
        expect(warnings).to.have.length(1);
        expect(warnings[0]).to.have.nested.property('previous.pid', writer.pid);
      } finally {
        await db.close();
      }
    } finally {
      await writer.kill();
      fresh.remove();
    }
  });

  it('opens an existing DATA_DIR quickly (first start vs re-open, printed)', async function () {
    this.timeout(120_000);
    // The first start (initdb and every migration on an empty DATA_DIR: ~8 s of CPU) is the one the run's template
    // made (test/helpers/engines.ts); `fresh` is a copy of that database, closed after its first start.
    const fresh = await freshDataDir();
    try {
      const firstMs = await templateFirstStartMs();
      const started = performance.now();
      const again = await openDb({ dataDir: fresh.dir });
      const reopenMs = performance.now() - started;
      try {
        expect(await migrate(again)).to.deep.equal([]);
      } finally {
        await again.close();
      }
      console.log(`      PGlite openDb: first start ${firstMs ?? '(not recorded)'} ms (the template's), re-open ${Math.round(reopenMs)} ms`);
      expect(reopenMs).to.be.below(5000);
    } finally {
      fresh.remove();
    }
  });
});

describePostgres('Durability', () => {
  it('keeps an acknowledged write when the writing process is killed (SIGKILL)', async function () {
    this.timeout(60_000);
    const fresh = await freshPostgresDatabase();
    const writer = startWriter(fresh.url, 'user/durable', { role: 'physician' });
    try {
      await writer.acked;
      await writer.kill();
      const db = await openDb({ databaseUrl: fresh.url, dataDir: '(unused)' });
      try {
        expect((await new DbStorage(db).read(['user/durable']))['user/durable']).to.include({ role: 'physician' });
      } finally {
        await db.close();
      }
    } finally {
      await writer.kill();
      await fresh.drop();
    }
  });
});
