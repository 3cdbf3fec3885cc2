import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { expect } from 'chai';
import { openDb } from '../../bot/store/open.js';
import { nodeArgs } from '../helpers/bundles.js';
import { teamsMessage } from '../helpers/app.js';
import { freshDataDir } from '../helpers/engines.js';
import { freePort } from '../helpers/ports.js';
import { authEnv, startLocalIssuer } from '../helpers/jwt.js';
import { startFakeConnector, type FakeConnector } from '../helpers/fake-connector.js';

/** Resolves with the first JSON log line on stdout that matches (no polling, no sleeping). */
function logLine(child: ChildProcess, test: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const text of lines) {
        try {
          const line = JSON.parse(text) as Record<string, unknown>;
          if (test(line)) {
            child.stdout?.off('data', onData);
            resolve(line);
            return;
          }
        } catch {
          // not a log line (the local-mode banner)
        }
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before the expected log line`)));
  });
}

describe('Graceful shutdown of the real server (SIGTERM)', function () {
  this.timeout(180_000);
  let connector: FakeConnector;
  let dataDir: string;
  let child: ChildProcess;
  let stderr = '';

  before(async () => {
    connector = await startFakeConnector();
  });
  after(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await connector?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** Starts the real server (bot/index.ts) in a child process and resolves once it is ready. */
  let stdout = '';
  const startServer = async (env: Record<string, string> = {}): Promise<{ base: string; exited: Promise<number | null> }> => {
    const port = await freePort();
    // A pre-migrated copy: PGlite's first start (initdb) alone can take most of the timeout on a busy machine.
    dataDir = (await freshDataDir()).dir;
    stderr = '';
    stdout = '';
    child = spawn(process.execPath, nodeArgs('bot/index.ts'), {
      env: {
        ...process.env,
        PORT: String(port),
        DATA_DIR: dataDir,
        LOG_LEVEL: 'info',
        HOT_RELOAD: 'false',
        KNOWLEDGE_DIR: path.resolve('knowledge'),
        MicrosoftAppId: '',
        DATABASE_URL: '',
        ESCALATION_WEBHOOK_URL: '',
        // This suite is about the drain, not overload: on a loaded machine the shedder would answer queued turns
        // 503 (its own behaviour, tested in test/slow/overload.slow.ts, run by npm run test:slow).
        SHED_EVENT_LOOP_DELAY_MS: '60000',
        MAX_QUEUE_WAIT_MS: '60000',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await logLine(child, (l) => l.msg === 'elbow ready');
    return { base: `http://127.0.0.1:${port}`, exited };
  };
  afterEach(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('finishes in-flight turns, stops being ready, flushes analytics and exits 0 within 5 s', async () => {
    const { base, exited } = await startServer();
    expect((await fetch(`${base}/readyz`)).status).to.equal(200);

    // Start a batch of turns; send SIGTERM as soon as the first one is answered, while the rest are in flight.
    const turns = 12;
    let answered = 0;
    let answeredAfterSignal = 0;
    let signalled = false;
    let firstAnswered!: () => void;
    const first = new Promise<void>((resolve) => (firstAnswered = resolve));
    const requests = Array.from({ length: turns }, (_, i) =>
      fetch(`${base}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...teamsMessage(`why is my patient list incomplete ${i}`, { user: `29:shutdown-${i}` }), serviceUrl: connector.url, deliveryMode: 'expectReplies' }),
      }).then(
        async (res) => {
          const body = (await res.json()) as { activities?: unknown[] };
          answered++;
          if (signalled) answeredAfterSignal++;
          firstAnswered();
          return { status: res.status, activities: body.activities?.length ?? 0 };
        },
        (err: Error & { cause?: { code?: string } }) => ({ status: 0, error: err.cause?.code ?? err.message }),
      ),
    );
    await first;
    const signalledAt = Date.now();
    signalled = true;
    child.kill('SIGTERM');

    const results = await Promise.all(requests);
    const code = await exited;
    const exitMs = Date.now() - signalledAt;
    console.log(`      ${turns} turns: ${answered} answered (${answeredAfterSignal} after SIGTERM); exit ${code} after ${exitMs} ms`);

    expect(code, stderr).to.equal(0);
    expect(exitMs).to.be.below(5000);
    for (const r of results) {
      // A request either completed, or never got in (refused at connect): none is cut off half-way.
      if (r.status === 0) expect((r as { error: string }).error).to.equal('ECONNREFUSED');
      else {
        expect(r.status).to.equal(200);
        expect((r as { activities: number }).activities).to.be.greaterThan(0);
      }
    }
    expect(answeredAfterSignal, 'turns in flight at SIGTERM completed').to.be.greaterThan(0);
    await fetch(`${base}/readyz`).then(
      (res) => expect(res.status).to.equal(503),
      (err: Error & { cause?: { code?: string } }) => expect(err.cause?.code).to.equal('ECONNREFUSED'),
    );

    const db = await openDb({ dataDir });
    try {
      const [{ n }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM turns');
      expect(n, 'every answered turn is in the analytics').to.be.at.least(answered);
    } finally {
      await db.close();
    }
  });

  it('lets 50 keep-alive clients leave without a single reset (Connection: close during the drain)', async () => {
    const { base, exited } = await startServer();
    const clients = 50;
    const outcomes: Record<string, number> = {};
    const note = (what: string) => (outcomes[what] = (outcomes[what] ?? 0) + 1);
    let exitedYet = false;
    void exited.then(() => (exitedYet = true));
    // Each client has its own keep-alive connection; the server is told to stop while all of them hold one.
    const agents = Array.from({ length: clients }, () => new http.Agent({ keepAlive: true, maxSockets: 1 }));
    const get = (agent: http.Agent, path: string) =>
      new Promise<string>((resolve) => {
        const req = http.get(`${base}${path}`, { agent }, (res) => {
          res.resume();
          // During the drain every answer must tell the client to drop its connection.
          res.on('end', () => resolve(`${res.statusCode}${res.headers.connection === 'close' ? '+close' : ''}`));
        });
        req.on('error', (err: Error & { code?: string }) => resolve(err.code ?? err.message));
      });
    for (const outcome of await Promise.all(agents.map((a) => get(a, '/healthz')))) expect(outcome).to.equal('200');

    child.kill('SIGTERM');
    // Half the clients act as a load balancer's traffic: they keep sending through the drain, on their kept-alive
    // connections, until /readyz says 503. Then every client sends once more after the server has gone: on a
    // connection the server left open that request is reset; on a cleanly closed one it is refused.
    const busy = agents.slice(0, clients / 2).map(async (agent) => {
      for (let outcome = ''; !outcome.startsWith('503') && !exitedYet; ) {
        note(await get(agent, '/healthz'));
        outcome = await get(agent, '/readyz');
        note(outcome);
      }
    });
    await Promise.all(busy);
    const code = await exited;
    const after = await Promise.all(agents.map((agent) => get(agent, '/healthz')));
    after.forEach((outcome) => note(`after exit:${outcome}`));
    agents.forEach((a) => a.destroy());
    console.log(`      ${clients} keep-alive clients through SIGTERM: ${JSON.stringify(outcomes)}; exit ${code}`);

    expect(code, stderr).to.equal(0);
    expect(outcomes['503'], 'a drain answer without Connection: close').to.equal(undefined);
    expect(outcomes['503+close'], 'every busy client saw /readyz fail during the drain').to.be.at.least(clients / 2);
    expect(after, 'kept-alive connections were closed cleanly before exit').to.deep.equal(Array(clients).fill('ECONNREFUSED'));
    for (const outcome of Object.keys(outcomes)) {
      // Answered (200 before the drain, 503 from /readyz during it), or refused at connect once the port closed.
      expect(outcome.replace(/^after exit:/, ''), 'no request is reset half-way').to.be.oneOf(['200', '200+close', '503+close', 'ECONNREFUSED']);
    }
  });

  it('writes no botbuilder stack trace to stderr for rejected tokens: library output goes through the logger', async () => {
    const issuer = await startLocalIssuer();
    try {
      const appId = '3f9a1c2e-5b7d-4e8f-9a0b-1c2d3e4f5a6b';
      const { base, exited } = await startServer(authEnv(issuer, appId));
      const claims = { aud: appId, serviceurl: connector.url };
      const tokens = [
        await issuer.token(claims, { expiresIn: -3600 }), // botbuilder prints the TokenExpiredError with its stack
        await issuer.token(claims, { foreignKey: true }), // ... and "Error finding key for token" with the key
        await issuer.token({ ...claims, aud: 'someone-else' }),
      ];
      for (const token of tokens) {
        const res = await fetch(`${base}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ ...teamsMessage('reset my password'), serviceUrl: connector.url, deliveryMode: 'expectReplies' }),
        });
        expect(res.status).to.equal(401);
        expect(await res.json()).to.deep.equal({ error: 'unauthorized' });
      }
      child.kill('SIGTERM');
      expect(await exited).to.equal(0);
      expect(stderr, 'stack traces on stderr').not.to.match(/^\s+at /m);
      expect(stderr).not.to.match(/TokenExpiredError|Error finding key|BEGIN PUBLIC KEY/);
      const lines = stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.filter((l) => l.msg === 'request rejected' && l.status === 401)).to.have.length(tokens.length);
      expect(lines.some((l) => l.source === 'library' && l.level === 40), 'library output logged as a warn line').to.equal(true);
    } finally {
      await issuer.close();
    }
  });
});
