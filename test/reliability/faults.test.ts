import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { decide } from '../../bot/knowledge/decide.js';
import { hashSources, openKnowledgeBase } from '../../bot/knowledge/knowledge-base.js';
import { nodeArgs } from '../helpers/bundles.js';
import { cardsOf, startTestApp, teamsMessage, textOf, type TestApp } from '../helpers/app.js';
import { freshDataDir } from '../helpers/engines.js';
import { startFakeConnector, type FakeConnector } from '../helpers/fake-connector.js';
import { startGatedApp, type GatedApp, type GatedDb } from './gated-db.js';

const PHONE = '555-0100 (test help desk)';
const KNOWLEDGE = path.resolve('knowledge');
const APOLOGY = /something went wrong/i;

describe('Faults: the database goes away under a running app', () => {
  let connector: FakeConnector;
  let app: TestApp;
  before(async () => {
    connector = await startFakeConnector();
    app = await startTestApp({ HELP_DESK_PHONE: PHONE });
    const warm = await app.send({ ...teamsMessage('reset my password'), serviceUrl: connector.url });
    expect(warm.status).to.equal(200);
    await app.ctx.db.close();
  });
  after(async () => {
    await app?.stop();
    await connector?.close();
  });
  const send = (text: string, user = '29:db-down-user') => app.send({ ...teamsMessage(text, { user }), serviceUrl: connector.url });

  it('still answers how-to questions from the in-memory knowledge base', async () => {
    const { status, activities } = await send('why is my patient list incomplete');
    expect(status).to.equal(200);
    expect(JSON.stringify(cardsOf(activities))).to.include('patient-list-incomplete');
    expect(textOf(activities)).not.to.match(APOLOGY);
  });

  it('gives the help-desk phone number instead of promising a ticket', async () => {
    const { status, activities } = await send('talk to a person');
    expect(status).to.equal(200);
    const said = textOf(activities);
    expect(said).to.include(PHONE);
    expect(said).not.to.match(/will contact you|ticket ELB-/i);
  });

  it('answers card clicks too (feedback that cannot be stored is not an error for the user)', async () => {
    const { status, activities } = await app.send({
      ...teamsMessage(undefined, { user: '29:db-down-user', value: { action: 'feedback', value: 'solved', articleId: 'password-reset', turnId: 't1' } }),
      serviceUrl: connector.url,
    });
    expect(status).to.equal(200);
    expect(activities.length).to.be.greaterThan(0);
    expect(textOf(activities)).not.to.match(APOLOGY);
  });

  it('reports not-ready on /readyz but stays alive on /healthz', async () => {
    expect((await fetch(`${app.url}/healthz`)).status).to.equal(200);
    expect((await fetch(`${app.url}/readyz`)).status).to.equal(503);
  });
});

describe('Faults: a slow turn with a channel that rejects typing indicators', () => {
  let gated: GatedApp;
  let app: TestApp;
  let db: GatedDb;
  let connector: FakeConnector;
  before(async () => {
    gated = await startGatedApp();
    ({ app, db, connector } = gated);
  });
  after(() => gated?.stop());

  it('does not turn a good answer into an apology when the typing indicator fails', async () => {
    // The database is slow, so the typing indicator goes out; the channel refuses it (403, as Teams does when the bot
    // left the roster; throttling (429) and 5xx end the same way after the connector's retries).
    // The turn resumes once the bot has reacted to that failure (its turn-error handler ran), or shortly after the
    // refusal was sent if it does not react at all.
    const turnErrors: Error[] = [];
    const onTurnError = app.adapter.onTurnError;
    const release = db.hold();
    const safety = setTimeout(release, 5000); // only if no typing indicator is ever sent
    app.adapter.onTurnError = async (context, error) => {
      turnErrors.push(error);
      release();
      return onTurnError(context, error);
    };
    connector.statusFor = (a) => (a.type === 'typing' ? 403 : 200);
    connector.onResponded = (a) => {
      if (a.type === 'typing') setTimeout(release, 250);
    };
    try {
      // A normal (not expectReplies) turn: replies and typing indicators go to the channel's connector.
      const { status } = await app.send({ ...teamsMessage('reset my password'), serviceUrl: connector.url, deliveryMode: 'normal' });
      expect(status).to.be.oneOf([200, 202]);
      const activities = connector.received.map((r) => r.activity as Record<string, any>).filter((a) => a.type === 'message');
      expect(connector.received.some((r) => r.activity.type === 'typing'), 'the slow turn sent a typing indicator').to.equal(true);
      expect(textOf(activities)).to.match(/password/i);
      expect(turnErrors.map((e) => e.message), 'turn errors').to.deep.equal([]);
      expect(textOf(activities), 'apology after a failed typing indicator').not.to.match(APOLOGY);
    } finally {
      clearTimeout(safety);
      release();
      app.adapter.onTurnError = onTurnError;
      connector.onResponded = undefined;
      connector.statusFor = undefined;
    }
  });
});

describe('Faults: a database that stops answering (network partition, failover)', () => {
  let gated: GatedApp;
  let release: (() => void) | undefined;
  before(async () => {
    gated = await startGatedApp({ HELP_DESK_PHONE: PHONE });
    release = gated.db.hold();
  });
  after(async () => {
    release?.();
    await gated?.stop();
  });

  it('reads as not ready within a few seconds instead of hanging the probe', async () => {
    const { app } = gated;
    const res = await fetch(`${app.url}/readyz`, { signal: AbortSignal.timeout(5000) });
    expect(res.status).to.equal(503);
    expect((await fetch(`${app.url}/healthz`)).status).to.equal(200);
  });

  it('still answers a question within Teams\' 15-second window', async () => {
    const { app, connector } = gated;
    const res = await fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...teamsMessage('reset my password'), serviceUrl: connector.url, deliveryMode: 'expectReplies' }),
      signal: AbortSignal.timeout(10_000),
    }).catch((err: Error) => err);
    expect(res, 'the turn hung on the database').to.be.instanceOf(Response);
    const body = (await (res as Response).json()) as { activities: Array<Record<string, unknown>> };
    expect(textOf(body.activities)).to.match(/password/i);
  });
});

describe('Faults: a corrupt serialized index at start-up', () => {
  const variants: Array<[string, (file: string) => void]> = [
    ['random bytes', (f) => fs.writeFileSync(f, Buffer.from([0xff, 0x00, 0x13, 0x37, 0x80, 0x7b]))],
    ['truncated JSON', (f) => fs.writeFileSync(f, '{"version":3,"sourceHash":"abc","articles":[{"id":"x"')],
    ['JSON of the wrong shape', (f) => fs.writeFileSync(f, JSON.stringify({ hello: 'world' }))],
    ['the right header with a broken lunr index', (f) => fs.writeFileSync(f, JSON.stringify({ version: 3, sourceHash: hashSources(KNOWLEDGE), builtAt: new Date().toISOString(), articles: [], index: { broken: true } }))],
    ['an empty file', (f) => fs.writeFileSync(f, '')],
  ];
  let dataDir: string;
  const corruptIndex = (corrupt: (file: string) => void) => {
    const file = path.join(dataDir, 'kb-index.json');
    corrupt(file);
    const future = new Date(Date.now() + 3_600_000);
    fs.utimesSync(file, future, future); // newer than every article, so start-up trusts and parses it
    return file;
  };
  beforeEach(async () => {
    dataDir = (await freshDataDir({ empty: true })).dir; // the index tests need only the directory
  });
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  for (const [name, corrupt] of variants) {
    it(`is rebuilt from the articles and rewritten (${name})`, () => {
      const file = corruptIndex(corrupt);
      const { kb, source } = openKnowledgeBase(KNOWLEDGE, file);
      expect(source).to.equal('rebuilt-corrupt');
      expect(kb.articles.length).to.be.at.least(45);
      expect(decide(kb, 'why is my patient list incomplete').articleId).to.equal('patient-list-incomplete');
      const rewritten = JSON.parse(fs.readFileSync(file, 'utf8')) as { articles: unknown[] };
      expect(rewritten.articles.length).to.equal(kb.articles.length);
      expect(openKnowledgeBase(KNOWLEDGE, file).source, 'the rewritten index is used next time').to.equal('serialized');
    });
  }

  it('does not stop the app from starting and answering', async () => {
    // Pre-migrated, as the app opens the database here: an empty directory would pay PGlite's initdb.
    fs.rmSync(dataDir, { recursive: true, force: true });
    dataDir = (await freshDataDir()).dir;
    corruptIndex(variants[0][1]);
    const app = await startTestApp({ DATA_DIR: dataDir });
    try {
      const { status, activities } = await app.send(teamsMessage('why is my patient list incomplete'));
      expect(status).to.equal(200);
      expect(JSON.stringify(cardsOf(activities))).to.include('patient-list-incomplete');
    } finally {
      await app.stop();
    }
  });
});

describe('Faults: an invalid article at start-up', function () {
  this.timeout(60_000);
  const breakages: Array<[string, string, (text: string) => string, RegExp]> = [
    ['a missing title', 'password-reset.md', (t) => t.replace(/^title:.*\n/m, ''), /title/],
    ['an unknown role', 'account-locked.md', (t) => t.replace(/^roles:.*$/m, 'roles: [janitor]'), /roles/],
    ['an impossible review date', 'badge-tap-login.md', (t) => t.replace(/^reviewed:.*$/m, 'reviewed: 2026-02-30'), /reviewed/],
    ['broken YAML front matter', 'barcode-scan-failed.md', (t) => t.replace(/^title:(.*)$/m, 'title: [unclosed$1'), /front matter|title/],
  ];
  for (const [name, file, breakIt, field] of breakages) {
    it(`refuses to start, naming the file and the field (${name})`, async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'elbow-badkb-'));
      try {
        fs.cpSync(KNOWLEDGE, path.join(dir, 'knowledge'), { recursive: true });
        const articlePath = path.join(dir, 'knowledge', 'articles', file);
        fs.writeFileSync(articlePath, breakIt(fs.readFileSync(articlePath, 'utf8')));
        const { code, stderr } = await runMain({ KNOWLEDGE_DIR: path.join(dir, 'knowledge'), DATA_DIR: path.join(dir, 'data') });
        expect(code, stderr).to.not.equal(0);
        const line = stderr.split('\n').find((l) => l.includes(file));
        expect(line, `stderr names ${file}:\n${stderr}`).to.be.a('string');
        expect(line).to.match(field);
        expect(stderr, 'a clear message, not a stack trace').not.to.match(/^\s+at .+:\d+:\d+\)?$/m);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

/** Runs the server (bot/index.ts, bundled: see test/helpers/bundles.ts) until it exits (it must, on bad knowledge). */
function runMain(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, nodeArgs('bot/index.ts'), {
      env: { ...process.env, PORT: '0', LOG_LEVEL: 'silent', HOT_RELOAD: 'false', MicrosoftAppId: '', DATABASE_URL: '', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(killer);
      resolve({ code, stderr });
    });
  });
}
