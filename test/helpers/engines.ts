import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Db } from '../../bot/store/db.js';
import { MIGRATIONS_DIR } from '../../bot/store/migrate.js';
import { openDb } from '../../bot/store/open.js';

/** The two storage engines Elbow runs on. */
export type EngineName = 'pglite' | 'postgres';

/** What a suite gets besides the database. */
export interface EngineContext {
  engine: EngineName;
  /** Closes the database and opens the same data again (e.g. to test what survives a restart). */
  reopen(): Promise<Db>;
}

/** How often a suite gets a new, empty (but migrated) database. */
export interface ForEachEngineOptions {
  /** 'suite' (default): one database for the describe; 'test': a new one before each test. */
  fresh?: 'suite' | 'test';
}

/** Shown (as a pending test) when the PostgreSQL variant cannot run. */
export const POSTGRES_SKIP_MESSAGE = 'PostgreSQL tests skipped: TEST_DATABASE_URL not set';

/** The admin URL of the PostgreSQL server for tests, if any (TEST_DATABASE_URL). */
export function postgresTestUrl(): string | undefined {
  const url = process.env.TEST_DATABASE_URL?.trim();
  return url ? url : undefined;
}

/**
 * Defines the same suite once per engine: `${title} [pglite]` on a temp DATA_DIR and `${title} [postgres]`
 * on a throwaway database of TEST_DATABASE_URL (created and dropped here). Without TEST_DATABASE_URL the
 * postgres variant is registered as pending with POSTGRES_SKIP_MESSAGE (a failure if REQUIRE_POSTGRES_TESTS=1).
 */
export function forEachEngine(
  title: string,
  suite: (getDb: () => Db, context: EngineContext) => void,
  options: ForEachEngineOptions = {},
): void {
  defineEngineSuite('pglite', title, suite, options);
  whenPostgres(title, () => defineEngineSuite('postgres', title, suite, options));
}

/**
 * `describe(\`${title} [postgres]\`)` for suites that need the server of TEST_DATABASE_URL itself (e.g. several
 * instances on one database); pending with POSTGRES_SKIP_MESSAGE without it (failing if REQUIRE_POSTGRES_TESTS=1).
 */
export function describePostgres(title: string, fn: () => void): void {
  whenPostgres(title, () => describe(`${title} [postgres]`, fn));
}

function whenPostgres(title: string, define: () => void): void {
  if (postgresTestUrl()) {
    define();
  } else if (process.env.REQUIRE_POSTGRES_TESTS === '1') {
    describe(`${title} [postgres]`, () => {
      it('needs PostgreSQL', () => {
        throw new Error(`${POSTGRES_SKIP_MESSAGE}, but REQUIRE_POSTGRES_TESTS=1`);
      });
    });
  } else {
    describe.skip(`${title} [postgres] (${POSTGRES_SKIP_MESSAGE})`, () => {
      it(POSTGRES_SKIP_MESSAGE);
    });
  }
}

/** A place holding one test database, and how to get rid of it. */
interface Place {
  open(): Promise<Db>;
  remove(): Promise<void>;
}

function defineEngineSuite(
  engine: EngineName,
  title: string,
  suite: (getDb: () => Db, context: EngineContext) => void,
  options: ForEachEngineOptions,
): void {
  describe(`${title} [${engine}]`, function () {
    let place: Place | undefined;
    let db: Db | undefined;
    const setUp = async function (this: Mocha.Context) {
      this.timeout(120_000); // the first PGlite suite of a run also makes the template (initdb), slow on a busy machine
      place = engine === 'pglite' ? await pglitePlace() : await postgresPlace();
      db = await place.open();
    };
    const tearDown = async () => {
      await db?.close();
      await place?.remove();
      db = undefined;
      place = undefined;
    };
    const context: EngineContext = {
      engine,
      async reopen() {
        if (!place) throw new Error('reopen() is only available while a test runs');
        await db?.close();
        db = await place.open();
        return db;
      },
    };
    if (options.fresh === 'test') {
      beforeEach(setUp);
      afterEach(tearDown);
    } else {
      before(setUp);
      after(tearDown);
    }
    suite(() => {
      if (!db) throw new Error('getDb() is only available inside tests and hooks, not while defining them');
      return db;
    }, context);
  });
}

async function pglitePlace(): Promise<Place> {
  const fresh = await freshDataDir();
  return { open: () => openDb({ dataDir: fresh.dir }), remove: async () => fresh.remove() };
}

async function postgresPlace(): Promise<Place> {
  const fresh = await freshPostgresDatabase();
  return { open: () => openDb({ databaseUrl: fresh.url, dataDir: '(unused)' }), remove: fresh.drop };
}

/** A temp directory to use as DATA_DIR. */
export interface FreshDataDir {
  dir: string;
  remove(): void;
}

let template: Promise<string> | undefined;

/** A RAM file system for data dirs, if the machine has one with room to spare. */
const RAM_DIR = '/dev/shm';
let root: string | undefined;

/**
 * Where fresh data dirs go: RAM_DIR when it has a few GB free, else the temp dir. A run makes ~100 of them:
 * copying the template (39 MB, ~1,000 files) and removing it costs ~0.2 s of CPU there against ~0.5-0.7 s on
 * ext4 (mostly the kernel's file system work), and PGlite's own writes get cheaper too. A process killed with
 * SIGKILL (the durability tests) leaves its written pages in either.
 */
function dataRoot(): string {
  if (root) return root;
  root = os.tmpdir();
  try {
    const stats = fs.statfsSync(RAM_DIR);
    if (stats.bavail * stats.bsize > 2 * 1024 ** 3) {
      fs.accessSync(RAM_DIR, fs.constants.W_OK);
      root = RAM_DIR;
    }
  } catch {
    // no RAM file system here: the temp dir it is
  }
  return root;
}

/** Names the run's template directory for this process and its children (set by test/helpers/run-setup.ts). */
export const TEMPLATE_ENV = 'ELBOW_TEST_PGLITE_TEMPLATE';

/**
 * A new temp DATA_DIR. Unless `empty`, it already holds a migrated PGlite database, copied from the run's
 * template: opening it takes ~0.5 s instead of PGlite's ~5 s first start (initdb).
 */
export async function freshDataDir(options: { empty?: boolean } = {}): Promise<FreshDataDir> {
  const dir = fs.mkdtempSync(path.join(dataRoot(), 'elbow-data-'));
  if (!options.empty) {
    template ??= pgliteTemplate();
    fs.cpSync(path.join(await template, 'pglite'), path.join(dir, 'pglite'), { recursive: true });
  }
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The migrated PGlite database that fresh data dirs copy: made once per machine for each version of the
 * migrations, the store code and PGlite (so mocha workers, child processes and later runs share it).
 */
export async function pgliteTemplate(): Promise<string> {
  const inherited = process.env[TEMPLATE_ENV];
  if (inherited && fs.existsSync(path.join(inherited, 'ready'))) return inherited;
  const dir = path.join(os.tmpdir(), `elbow-template-${templateKey()}`);
  if (!fs.existsSync(path.join(dir, 'ready'))) {
    const building = fs.mkdtempSync(path.join(os.tmpdir(), 'elbow-template-building-'));
    const started = performance.now();
    const db = await openDb({ dataDir: building });
    await db.close();
    fs.writeFileSync(path.join(building, 'ready'), `${Math.round(performance.now() - started)}\n`); // read by templateFirstStartMs()
    try {
      fs.renameSync(building, dir);
    } catch {
      fs.rmSync(building, { recursive: true, force: true }); // another run made it first: use theirs
    }
  }
  process.env[TEMPLATE_ENV] = dir;
  return dir;
}

/**
 * How long the template's first start (PGlite's initdb and every migration, on an empty DATA_DIR) took when it was
 * made, in ms; undefined for a template made before this was recorded.
 */
export async function templateFirstStartMs(): Promise<number | undefined> {
  const ms = Number.parseInt(fs.readFileSync(path.join(await pgliteTemplate(), 'ready'), 'utf8'), 10);
  return Number.isFinite(ms) ? ms : undefined;
}

/** Changes whenever what a fresh database holds could change: migrations, store code, PGlite itself. */
function templateKey(): string {
  const hash = createHash('sha256');
  const storeDir = path.dirname(MIGRATIONS_DIR);
  for (const dir of [MIGRATIONS_DIR, storeDir]) {
    for (const file of fs.readdirSync(dir).sort()) {
      const full = path.join(dir, file);
      if (fs.statSync(full).isFile()) hash.update(file).update(fs.readFileSync(full));
    }
  }
  const pglite = path.resolve('node_modules/@electric-sql/pglite/package.json');
  hash.update(fs.existsSync(pglite) ? JSON.parse(fs.readFileSync(pglite, 'utf8')).version : 'unknown');
  return hash.digest('hex').slice(0, 16);
}

/** A throwaway PostgreSQL database on the TEST_DATABASE_URL server. */
export interface FreshPostgresDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * Creates an empty database `elbow_t_<random>` (not migrated: openDb migrates) on the server of
 * TEST_DATABASE_URL; `drop()` removes it, closing any connections still open to it.
 */
export async function freshPostgresDatabase(): Promise<FreshPostgresDatabase> {
  const admin = postgresTestUrl();
  if (!admin) throw new Error(POSTGRES_SKIP_MESSAGE);
  const name = `elbow_t_${randomBytes(6).toString('hex')}`;
  await asAdmin(admin, `CREATE DATABASE ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    async drop() {
      if (dropped) return;
      dropped = true;
      await asAdmin(admin, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

const leftovers: FreshPostgresDatabase[] = [];

/** URL of a fresh, empty database (see freshPostgresDatabase), dropped when the test run ends. */
export async function freshPostgresUrl(): Promise<string> {
  const fresh = await freshPostgresDatabase();
  leftovers.push(fresh);
  return fresh.url;
}

/** Drops the databases freshPostgresUrl made (a root hook in test/helpers/run-setup.ts calls it after each file). */
export async function dropLeftovers(): Promise<void> {
  await Promise.all(leftovers.splice(0).map((fresh) => fresh.drop()));
}

async function asAdmin(adminUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
