import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { openDb } from '../../bot/store/open.js';
import { teamsMessage } from '../helpers/app.js';
import { startLocalConnector, type LocalConnector } from '../helpers/jwt.js';

/** A port that was free a moment ago (the server binds it itself, so it must be known up front). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

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
  this.timeout(60_000);
  let connector: LocalConnector;
  let dataDir: string;
  let child: ChildProcess;
  let stderr = '';

  before(async () => {
    connector = await startLocalConnector();
  });
  after(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await connector?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('finishes in-flight turns, stops being ready, flushes analytics and exits 0 within 5 s', async () => {
    const port = await freePort();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'elbow-shutdown-'));
    child = spawn(process.execPath, ['--import', 'tsx', 'bot/index.ts'], {
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
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await logLine(child, (l) => l.msg === 'elbow ready');
    const base = `http://127.0.0.1:${port}`;
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
});
