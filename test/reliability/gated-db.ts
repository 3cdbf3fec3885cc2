import type { Db, Sql } from '../../bot/store/db.js';
import { openDb } from '../../bot/store/open.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { freshDataDir } from '../helpers/engines.js';
import { startFakeConnector, type FakeConnector } from '../helpers/fake-connector.js';

/** A Db that can be held: while held, every statement waits (a slow or partitioned database). */
export interface GatedDb extends Db {
  /** Holds every statement from now on; call the returned function to let them through. */
  hold(): () => void;
}

/** Wraps a real Db so a test can hold its statements and release them when it chooses (no sleeping). */
export function gatedDb(inner: Db): GatedDb {
  let gate: Promise<void> | null = null;
  const wait = async () => {
    while (gate) await gate;
  };
  const gated = (sql: Sql): Sql => ({
    query: async (text, params) => {
      await wait();
      return sql.query(text, params);
    },
  });
  return {
    engine: inner.engine,
    label: inner.label,
    query: gated(inner).query,
    transaction: async (fn) => {
      await wait();
      return inner.transaction((tx) => fn(gated(tx)));
    },
    ping: async () => {
      await wait();
      return inner.ping();
    },
    close: () => inner.close(),
    hold() {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      gate = held;
      return () => {
        if (gate === held) gate = null;
        release();
      };
    },
  };
}

/** An app over a gated database, with a fake Bot Connector for its outbound calls. */
export interface GatedApp {
  app: TestApp;
  db: GatedDb;
  connector: FakeConnector;
  /** Stops the app, the database and the connector and removes the data directory. */
  stop(): Promise<void>;
}

/** Starts Elbow on its own PGlite directory whose statements the test can hold (see `GatedDb.hold`). */
export async function startGatedApp(env: Record<string, string> = {}): Promise<GatedApp> {
  // A pre-migrated copy of the run's PGlite template: an empty directory would pay PGlite's initdb (~5 s of CPU).
  const { dir: dataDir, remove } = await freshDataDir();
  const db = gatedDb(await openDb({ dataDir }));
  const connector = await startFakeConnector();
  const app = await startTestApp({ ...env, DATA_DIR: dataDir }, { db });
  return {
    app,
    db,
    connector,
    stop: async () => {
      await app.stop();
      await db.close();
      await connector.close();
      remove();
    },
  };
}
