import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'chai';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Every numeric leaf of a JSON value, with its dotted path. */
function numbers(value: unknown, at = ''): Array<[string, number]> {
  if (typeof value === 'number') return [[at, value]];
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => numbers(v, at ? `${at}.${k}` : k));
  return [];
}

/** Figures the report must carry (docs/performance.md reads them); values are never judged here. */
const REQUIRED = [
  'throughput.echo.reqPerSec', 'throughput.echo.p50Ms', 'throughput.echo.p99Ms', 'throughput.echo.errors', 'throughput.echo.non2xx',
  'throughput.elbow.reqPerSec', 'throughput.elbow.p50Ms', 'throughput.elbow.p99Ms', 'throughput.elbow.errors', 'throughput.elbow.non2xx',
  'throughput.elbow.cpuMsPerTurn', 'throughput.elbow_vs_echo',
  'throughput.durable_echo.cpuMsPerTurn', 'throughput.durable_echo.errors', 'ratios.durable_echo_vs_echo_cpu', 'ratios.elbow_vs_durable_echo_cpu',
  'search.real.decide_p50_ms', 'search.real.decide_p99_ms', 'search.small.decide_p99_ms', 'search.large.decide_p99_ms',
  'search.real.minisearch_p50_ms', 'search.large.minisearch_p99_ms',
  'build.real_ms', 'build.small_ms', 'build.large_ms',
  'startup.fresh.readyMs', 'startup.fresh.databaseMs', 'startup.second.readyMs', 'startup.second.knowledgeMs', 'startup.second.databaseMs',
  'startup.firstDatabaseInitMs', 'startup.npm_start_fresh_healthz_ms', 'startup.npm_start_existing_healthz_ms',
  'startup.npm_start_fresh_readyz_ms', 'startup.npm_start_existing_readyz_ms',
  'memory.elbow_ready_rss_mb', 'memory.elbow_after_load_rss_mb', 'memory.large_kb_rss_mb',
  'memory.npm_start_ready_rss_mb', 'memory.npm_start_large_restart_ready_rss_mb', 'startup.npm_start_large_restart_readyz_ms',
  'accuracy.ours.top1', 'accuracy.minisearch.top1', 'accuracy.ours.fullPipelineAccuracy',
  'ratios.elbow_vs_echo', 'ratios.minisearch_vs_lunr_p50', 'ratios.minisearch_vs_lunr_p99',
];

describe('npm run bench -- --quick --json (CI smoke)', function () {
  this.timeout(180_000);
  let report: Record<string, unknown>;

  before(async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/bench.ts', '--quick', '--json'], {
      cwd: ROOT,
      timeout: 170_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    const lines = stdout.trim().split('\n');
    expect(lines, 'stdout holds exactly one JSON object').to.have.length(1);
    report = JSON.parse(lines[0]) as Record<string, unknown>;
  });

  it('reports every figure, and every figure is a finite number', () => {
    const figures = new Map(numbers(report));
    for (const key of REQUIRED) expect(figures.has(key), `missing figure ${key}`).to.equal(true);
    const notFinite = [...figures].filter(([, v]) => !Number.isFinite(v)).map(([k]) => k);
    expect(notFinite, 'non-finite figures').to.deep.equal([]);
  });

  it('served every turn of the load with a reply (no 5xx, no empty replies)', () => {
    const elbow = (report.throughput as Record<string, Record<string, number>>).elbow;
    expect(elbow.requests).to.be.greaterThan(0);
    expect(elbow.non2xx).to.equal(0);
    expect(elbow.emptyReplies).to.equal(0);
    expect(report.introFailures).to.equal(0);
  });
});
