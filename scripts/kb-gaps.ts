/**
 * npm run kb:gaps -- [--json] [--since 30d] [--limit 20]
 * What the knowledge base is missing: clusters of unanswered questions, articles with the most
 * "Not solved" clicks, and stale articles. Reads the same database as the bot (DATABASE_URL or DATA_DIR).
 */
import { findGaps, type GapCluster } from '../bot/analytics/gaps.js';
import { notHelpfulArticles, staleArticles, type NotHelpfulArticle } from '../bot/analytics/reports.js';
import { parseDuration, windowEndingAt } from '../bot/analytics/window.js';
import { loadConfig } from '../bot/config.js';
import type { Config } from '../bot/config.js';
import { DataDirInUseError } from '../bot/store/data-dir-lock.js';
import { openDb } from '../bot/store/open.js';
import { openKnowledgeOrExit, parseArgs, runMain } from './cli.js';

const USAGE = 'usage: npm run kb:gaps -- [--json] [--since 30d|12h|2w] [--limit 20]';

runMain(async () => {
  const args = parseArgs(process.argv.slice(2), ['since', 'limit']);
  const sinceFlag = args.flags.get('since');
  const since = typeof sinceFlag === 'string' ? sinceFlag : '30d';
  const sinceMs = parseDuration(since);
  if (sinceMs === null) throw new Error(`--since must look like 30d, 12h, 2w or 90m\n${USAGE}`);
  const limitFlag = args.flags.get('limit');
  const limit = typeof limitFlag === 'string' ? Number(limitFlag) : 20;
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`--limit must be a positive whole number\n${USAGE}`);

  const config = loadConfig(process.env);
  const kb = openKnowledgeOrExit();
  const now = new Date();
  let window = windowEndingAt(now, sinceMs);
  let gaps: GapCluster[];
  let notHelpful: NotHelpfulArticle[];
  try {
    const db = await openDb({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir });
    try {
      gaps = (await findGaps(db, kb, window)).slice(0, limit);
      notHelpful = await notHelpfulArticles(db, window, kb.articles, limit);
    } finally {
      await db.close();
    }
  } catch (err) {
    if (!(err instanceof DataDirInUseError)) throw err;
    // The running server holds the embedded database: ask it instead.
    ({ gaps, notHelpful, window } = await fromServer(config, since, limit, err.message));
  }
  const stale = staleArticles(kb.articles, now);

  if (args.flags.has('json')) {
    process.stdout.write(`${JSON.stringify({ since, window: { since: window.since.toISOString(), until: window.until.toISOString() }, gaps, notHelpful, stale })}\n`);
    return;
  }

  console.log(`Knowledge gaps since ${since} (${window.since.toISOString().slice(0, 16)}Z to now)`);
  if (gaps.length === 0) console.log('  none: every question in this period was answered');
  for (const gap of gaps) {
    const nearest = gap.nearestArticle ? `${gap.nearestArticle} (score ${gap.nearestScore.toFixed(2)})` : 'none';
    console.log(`\n  ${String(gap.count).padStart(4)} × [${gap.terms.join(', ')}]   nearest article: ${nearest}`);
    for (const example of gap.examples) console.log(`         “${example}”`);
  }
  console.log(`\nArticles with the most "Not solved"`);
  if (notHelpful.length === 0) console.log('  none');
  for (const a of notHelpful) console.log(`  ${String(a.notSolved).padStart(4)} not solved, ${a.solved} solved, shown ${a.shown}  ${a.articleId}`);
  console.log(`\nStale articles (reviewed over a year ago or without an owner)`);
  if (stale.length === 0) console.log('  none');
  for (const s of stale) console.log(`  ${s.id.padEnd(40)} reviewed ${s.reviewed} (${s.daysSinceReview} days)  owner ${s.owner || '-'}  ${s.reasons.join(', ')}`);
});

/** Reads the report from the running server's admin API (GET /admin/api/gaps) when it holds the PGlite lock. */
async function fromServer(config: Config, since: string, limit: number, lockMessage: string): Promise<{ gaps: GapCluster[]; notHelpful: NotHelpfulArticle[]; window: { since: Date; until: Date } }> {
  if (!config.ADMIN_TOKEN) throw new Error(`${lockMessage}\nThe server is running: set ADMIN_TOKEN (and PUBLIC_BASE_URL or PORT) so kb:gaps can read through its admin API.`);
  const base = config.PUBLIC_BASE_URL ? config.publicBaseUrl : `http://127.0.0.1:${config.PORT}`;
  const url = `${base}/admin/api/gaps?since=${encodeURIComponent(since)}&limit=${limit}`;
  let res: Response;
  try {
    res = await fetch(url, { headers: { authorization: `Bearer ${config.ADMIN_TOKEN}` }, signal: AbortSignal.timeout(15_000) });
  } catch (err) {
    throw new Error(`${lockMessage}\nand the server at ${base} did not answer (${(err as Error).message}).`);
  }
  if (!res.ok) throw new Error(`${lockMessage}\nand the server at ${base} answered HTTP ${res.status} to ${url.replace(base, '')}.`);
  const body = (await res.json()) as { gaps: GapCluster[]; notHelpful: NotHelpfulArticle[]; window: { since: string; until: string } };
  return { gaps: body.gaps, notHelpful: body.notHelpful, window: { since: new Date(body.window.since), until: new Date(body.window.until) } };
}
