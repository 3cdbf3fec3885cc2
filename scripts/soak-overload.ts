/**
 * Overload profile of the soak: `npm run soak -- --profile overload [--seconds 15] [--connections 400] [--json]`.
 * Starts the real server (bot/index.ts) in a child process on 127.0.0.1, floods /api/messages with far more
 * clients than it has turn slots, and probes /healthz once every 100 ms meanwhile. Passes when no client timed
 * out, every answer was 2xx or 503 (shed), and /healthz always answered within a second.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createRequire } from 'node:module';
import { once } from 'node:events';
import { freshDataDir } from '../test/helpers/engines.js';
import { freePort } from '../test/helpers/ports.js';
import { startFakeConnector } from '../test/helpers/fake-connector.js';
import { goldenQuestions } from './soak.js';

/** What an overload run measured. */
export interface OverloadReport {
  seconds: number;
  connections: number;
  requests: number;
  statusCodes: Record<string, number>;
  errors: number;
  timeouts: number;
  /** Answers that were neither 2xx nor 503. */
  unexpected: number;
  latencyMs: { p50: number; p99: number; max: number };
  healthz: { probes: number; failed: number; p50Ms: number; p99Ms: number; maxMs: number };
  ok: boolean;
}

/** The slowest /healthz answer that still counts as healthy under load. */
export const HEALTHZ_LIMIT_MS = 1000;
/** A client gives up after this (autocannon's timeout): no request may take longer. */
const CLIENT_TIMEOUT_S = 10;

interface CannonResult {
  requests: { total: number };
  latency: { p50: number; p99: number; max: number };
  statusCodeStats?: Record<string, { count: number }>;
  errors: number;
  timeouts: number;
}
const autocannon = createRequire(import.meta.url)('autocannon') as (options: Record<string, unknown>) => Promise<CannonResult>;

/** Floods a fresh server in a child process and reports how it shed the excess. */
export async function runOverload(options: { seconds: number; connections: number; env?: Record<string, string> }): Promise<OverloadReport> {
  const connector = await startFakeConnector();
  const data = await freshDataDir();
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'bot/index.ts'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: data.dir, LOG_LEVEL: 'warn', HOT_RELOAD: 'false', MicrosoftAppId: '', DATABASE_URL: '', ESCALATION_WEBHOOK_URL: '', KNOWLEDGE_DIR: path.resolve('knowledge'), ...options.env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = once(child, 'exit');
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitUntilServing(base, exited);
    const questions = goldenQuestions();
    const body = () => {
      const user = `29:overload-${Math.floor(Math.random() * 5000)}`;
      return JSON.stringify({
        type: 'message', id: `ov-${Math.random().toString(36).slice(2)}`, serviceUrl: connector.url, channelId: 'msteams',
        from: { id: user }, recipient: { id: '28:elbow-bot' }, conversation: { id: `a:${user}`, conversationType: 'personal' },
        deliveryMode: 'expectReplies', text: questions[Math.floor(Math.random() * questions.length)],
      });
    };
    const probes: number[] = [];
    let failedProbes = 0;
    let loading = true;
    const prober = (async () => {
      while (loading) {
        const started = performance.now();
        const ok = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(CLIENT_TIMEOUT_S * 1000) }).then((r) => r.ok, () => false);
        probes.push(performance.now() - started);
        if (!ok) failedProbes++;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    const result = await autocannon({
      url: base,
      connections: options.connections,
      duration: options.seconds,
      timeout: CLIENT_TIMEOUT_S,
      requests: [{ method: 'POST', path: '/api/messages', headers: { 'content-type': 'application/json' }, setupRequest: (req: Record<string, unknown>) => ({ ...req, body: body() }) }],
    });
    loading = false;
    await prober;
    const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, s.count]));
    const unexpected = Object.entries(statusCodes).filter(([code]) => !/^2\d\d$/.test(code) && code !== '503').reduce((n, [, c]) => n + c, 0);
    const sorted = [...probes].sort((a, b) => a - b);
    const pct = (p: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0);
    const healthz = { probes: probes.length, failed: failedProbes, p50Ms: pct(50), p99Ms: pct(99), maxMs: Math.round(sorted.at(-1) ?? 0) };
    return {
      seconds: options.seconds,
      connections: options.connections,
      requests: result.requests.total,
      statusCodes,
      errors: result.errors,
      timeouts: result.timeouts,
      unexpected,
      latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
      healthz,
      ok: result.timeouts === 0 && result.errors === 0 && unexpected === 0 && healthz.probes > 0 && healthz.failed === 0 && healthz.maxMs <= HEALTHZ_LIMIT_MS,
    };
  } finally {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    await connector.close();
    data.remove();
  }
}


/** Resolves once /readyz answers 200; rejects if the server exits first. */
async function waitUntilServing(base: string, exited: Promise<unknown>): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  for (;;) {
    if (gone) throw new Error('the server exited before it was ready');
    const ready = await fetch(`${base}/readyz`).then((r) => r.ok, () => false);
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** One readable paragraph for the terminal. */
export function printOverload(r: OverloadReport): string {
  return [
    `Overload: ${r.seconds}s, ${r.connections} connections, ${r.requests} requests, status ${JSON.stringify(r.statusCodes)}`,
    `Clients: ${r.timeouts} timeouts, ${r.errors} errors, ${r.unexpected} answers other than 2xx/503; latency p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms, max ${r.latencyMs.max} ms`,
    `/healthz during the load: ${r.healthz.probes} probes, ${r.healthz.failed} failed, p50 ${r.healthz.p50Ms} ms, p99 ${r.healthz.p99Ms} ms, max ${r.healthz.maxMs} ms (limit ${HEALTHZ_LIMIT_MS} ms)`,
    r.ok ? 'OK' : 'FAILED',
  ].join('\n');
}
