/**
 * Soak test: `npm run soak -- [--seconds 60] [--connections 16] [--json]`; `--profile overload` floods a server
 * with 400 clients instead (see soak-overload.ts).
 * Starts Elbow in-process on 127.0.0.1 (temp DATA_DIR, silent logs), drives it with autocannon on 127.0.0.1 only
 * with a realistic mix (golden-set questions, Solved / Not solved clicks, "talk to a person", small talk) from a
 * pool of simulated clinicians, samples RSS and heap every second, and reports throughput, latency, errors and
 * memory growth. Exits 1 on any error, non-2xx response or apology reply.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import YAML from 'yaml';
import { loadConfig } from '../bot/config.js';
import { createApp } from '../bot/app.js';
import { startFakeConnector } from '../test/helpers/fake-connector.js';

/** Options of one soak run. */
export interface SoakOptions {
  seconds: number;
  connections: number;
  /** Seconds at the start that do not count for memory growth (default: a fifth of the run, 2–10 s). */
  warmupSeconds?: number;
  /** Simulated clinicians (distinct user ids). */
  users?: number;
  /** Extra settings for the app. */
  env?: Record<string, string>;
}

/** One memory sample. */
export interface MemorySample {
  t: number;
  rssMB: number;
  heapMB: number;
}

/** What a soak run measured. */
export interface SoakReport {
  seconds: number;
  connections: number;
  requests: number;
  throughput: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  statusCodes: Record<string, number>;
  errors: number;
  timeouts: number;
  non2xx: number;
  /** Replies containing the turn-error apology ("something went wrong"). */
  apologies: number;
  /** Requests by kind. */
  mix: Record<string, number>;
  /** Typing indicators / replies the bot posted to the (local) connector. */
  outboundPosts: number;
  memory: {
    rssWarmMB: number;
    rssEndMB: number;
    heapWarmMB: number;
    heapEndMB: number;
    rssGrowthMB: number;
    heapGrowthMB: number;
    /** Least-squares slope of heap after warm-up, MB per minute. */
    heapSlopeMBPerMin: number;
  };
  ok: boolean;
}

const MB = 1024 * 1024;

/** The part of autocannon's API the soak uses (the package ships no types). */
interface CannonRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  setupRequest: (req: Record<string, unknown>) => Record<string, unknown>;
  onResponse: (status: number, body: string) => void;
}
interface CannonResult {
  requests: { total: number; average: number };
  latency: { p50: number; p90: number; p99: number; max: number };
  statusCodeStats?: Record<string, { count: number }>;
  errors: number;
  timeouts: number;
  non2xx: number;
}
const autocannon = createRequire(import.meta.url)('autocannon') as (options: {
  url: string;
  connections: number;
  duration: number;
  timeout: number;
  requests: CannonRequest[];
}) => Promise<CannonResult>;

/** Runs the soak against a fresh in-process app and returns the measurements. */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const seconds = options.seconds;
  const warmup = options.warmupSeconds ?? Math.min(10, Math.max(2, Math.round(seconds / 5)));
  const users = options.users ?? 2000;
  const gc = exposeGc();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'elbow-soak-'));
  const connector = await startFakeConnector();
  const config = loadConfig({
    PORT: '0',
    LOG_LEVEL: 'silent',
    HOT_RELOAD: 'false',
    KNOWLEDGE_DIR: path.resolve('knowledge'),
    DATA_DIR: dataDir,
    // A realistic mix at a sustainable rate: every turn must be served (overload has its own profile).
    SHED_EVENT_LOOP_DELAY_MS: '60000',
    MAX_QUEUE_WAIT_MS: '60000',
    ...options.env,
  });
  const app = await createApp(config, { host: '127.0.0.1' });
  const mix: Record<string, number> = {};
  let apologies = 0;
  try {
    const questions = goldenQuestions();
    const articleIds = app.ctx.knowledge.current().articles.map((a) => a.id);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)];
    const nextBody = (): string => {
      const user = `29:soak-user-${Math.floor(Math.random() * users)}`;
      const roll = Math.random();
      let kind: string;
      let fields: Record<string, unknown>;
      if (roll < 0.7) [kind, fields] = ['question', { text: pick(questions) }];
      else if (roll < 0.85) [kind, fields] = ['feedback', { value: { action: 'feedback', value: pick(['solved', 'not-solved']), articleId: pick(articleIds), turnId: `soak-${Math.random()}` } }];
      else if (roll < 0.95) [kind, fields] = ['smalltalk', { text: pick(['hi', 'thanks!', 'ok', 'who are you', 'bye']) }];
      else [kind, fields] = ['escalation', { text: pick(['talk to a person', 'can I speak to someone at the help desk', 'open a ticket please']) }];
      mix[kind] = (mix[kind] ?? 0) + 1;
      return JSON.stringify({
        type: 'message',
        id: `soak-${Date.now()}-${Math.random().toString(36).slice(2)}`,
        timestamp: new Date().toISOString(),
        serviceUrl: connector.url,
        channelId: 'msteams',
        from: { id: user, name: 'Soak Clinician' },
        recipient: { id: '28:elbow-bot', name: 'Elbow' },
        conversation: { id: `a:${user}`, conversationType: 'personal', tenantId: 'soak-tenant' },
        deliveryMode: 'expectReplies',
        locale: 'en-US',
        ...fields,
      });
    };

    const samples: MemorySample[] = [];
    const started = Date.now();
    const sampler = setInterval(() => {
      gc?.(); // live data only, so the slope is growth and not garbage-collector timing
      const m = process.memoryUsage();
      samples.push({ t: (Date.now() - started) / 1000, rssMB: m.rss / MB, heapMB: m.heapUsed / MB });
    }, 1000);
    let warm = { rssMB: 0, heapMB: 0 };
    const warmTimer = setTimeout(() => {
      gc?.();
      const m = process.memoryUsage();
      warm = { rssMB: m.rss / MB, heapMB: m.heapUsed / MB };
    }, warmup * 1000);

    const result = await autocannon({
      url: app.url,
      connections: options.connections,
      duration: seconds,
      timeout: 10,
      requests: [
        {
          method: 'POST',
          path: '/api/messages',
          headers: { 'content-type': 'application/json' },
          setupRequest: (req: Record<string, unknown>) => ({ ...req, body: nextBody() }),
          onResponse: (_status: number, body: string) => {
            if (/something went wrong/i.test(body)) apologies++;
          },
        },
      ],
    });
    clearInterval(sampler);
    clearTimeout(warmTimer);
    gc?.();
    const end = process.memoryUsage();
    const after = samples.filter((s) => s.t >= warmup);
    const statusCodes = Object.fromEntries(
      Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, s.count]),
    );
    const report: SoakReport = {
      seconds,
      connections: options.connections,
      requests: result.requests.total,
      throughput: round(result.requests.average),
      latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
      statusCodes,
      errors: result.errors,
      timeouts: result.timeouts,
      non2xx: result.non2xx,
      apologies,
      mix,
      outboundPosts: connector.received.length,
      memory: {
        rssWarmMB: round(warm.rssMB),
        rssEndMB: round(end.rss / MB),
        heapWarmMB: round(warm.heapMB),
        heapEndMB: round(end.heapUsed / MB),
        rssGrowthMB: round(end.rss / MB - warm.rssMB),
        heapGrowthMB: round(end.heapUsed / MB - warm.heapMB),
        heapSlopeMBPerMin: round(slope(after.map((s) => [s.t, s.heapMB])) * 60),
      },
      ok: false,
    };
    report.ok = report.errors === 0 && report.timeouts === 0 && report.non2xx === 0 && report.apologies === 0 && report.requests > 0;
    return report;
  } finally {
    await app.close();
    await connector.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Questions of the golden set that are how-to questions (escalations and urgent ones have their own share of the mix). */
export function goldenQuestions(): string[] {
  const entries = YAML.parse(fs.readFileSync(path.resolve('knowledge/eval/golden.yml'), 'utf8')) as Array<{ q: string; expect: string; urgent?: boolean }>;
  const questions = entries.filter((e) => !e.urgent && e.expect !== 'escalate').map((e) => e.q);
  if (questions.length === 0) throw new Error('knowledge/eval/golden.yml has no questions');
  return questions;
}

/** Least-squares slope of y over x (0 for fewer than two points). */
function slope(points: Array<[number, number]>): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const num = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const den = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/** A garbage-collection trigger, so heap figures compare live data rather than GC timing. */
function exposeGc(): (() => void) | undefined {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

function parseArgs(argv: string[]): SoakOptions & { json: boolean } {
  const value = (name: string, fallback: number) => {
    const i = argv.indexOf(`--${name}`);
    const n = i >= 0 ? Number(argv[i + 1]) : fallback;
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} needs a positive number`);
    return n;
  };
  return { seconds: value('seconds', 60), connections: value('connections', 16), users: value('users', 2000), json: argv.includes('--json') };
}

function printReadable(r: SoakReport): void {
  const lines = [
    `Soak: ${r.seconds}s, ${r.connections} connections, ${r.requests} requests (${Object.entries(r.mix).map(([k, v]) => `${k} ${v}`).join(', ')})`,
    `Throughput: ${r.throughput} req/s   latency p50 ${r.latencyMs.p50} ms, p90 ${r.latencyMs.p90} ms, p99 ${r.latencyMs.p99} ms, max ${r.latencyMs.max} ms`,
    `Status codes: ${JSON.stringify(r.statusCodes)}   errors ${r.errors}, timeouts ${r.timeouts}, non-2xx ${r.non2xx}, apologies ${r.apologies}, outbound posts ${r.outboundPosts}`,
    `Memory: RSS ${r.memory.rssWarmMB} -> ${r.memory.rssEndMB} MB (${signed(r.memory.rssGrowthMB)} MB), heap ${r.memory.heapWarmMB} -> ${r.memory.heapEndMB} MB (${signed(r.memory.heapGrowthMB)} MB), heap slope ${signed(r.memory.heapSlopeMBPerMin)} MB/min`,
    r.ok ? 'OK' : 'FAILED: errors, non-2xx responses or apology replies during the soak',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

function signed(n: number): string {
  return `${n >= 0 ? '+' : ''}${n}`;
}

/** `--profile overload`: 400 clients for 15 s against a server in a child process (defaults overridable). */
async function overloadMain(argv: string[]): Promise<void> {
  const { runOverload, printOverload } = await import('./soak-overload.js');
  const value = (name: string, fallback: number) => (argv.includes(`--${name}`) ? Number(argv[argv.indexOf(`--${name}`) + 1]) : fallback);
  const report = await runOverload({ seconds: value('seconds', 15), connections: value('connections', 400) });
  process.stdout.write(`${argv.includes('--json') ? JSON.stringify(report) : printOverload(report)}\n`);
  process.exit(report.ok ? 0 : 1);
}

const isMain = process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (isMain && process.argv.includes('--profile')) {
  const profile = process.argv[process.argv.indexOf('--profile') + 1];
  if (profile !== 'overload') {
    process.stderr.write(`unknown --profile ${profile} (known: overload)\n`);
    process.exit(2);
  }
  overloadMain(process.argv.slice(2)).catch((err) => {
    process.stderr.write(`overload soak failed: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  });
} else if (isMain) {
  const args = parseArgs(process.argv.slice(2));
  runSoak(args).then(
    (report) => {
      if (args.json) process.stdout.write(`${JSON.stringify(report)}\n`);
      else printReadable(report);
      process.exit(report.ok ? 0 : 1);
    },
    (err) => {
      process.stderr.write(`soak failed: ${(err as Error).stack ?? err}\n`);
      process.exit(1);
    },
  );
}
