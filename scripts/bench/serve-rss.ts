/**
 * RSS of a serving process with a synthetic N-article base (default 10,000), built two ways:
 * `--mode in-process` builds in this thread (what search-child.ts measures), `--mode worker` builds in a worker
 * thread and only loads the serialized form here, as the server does since openKnowledgeBaseOffThread.
 * Run with --expose-gc: `node --expose-gc --import tsx scripts/bench/serve-rss.ts --mode worker --articles 10000`.
 */
import path from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import {
  buildKnowledgeBase,
  createKnowledgeBase,
  knowledgeBaseFromSerialized,
  serializeKnowledgeBase,
  type SerializedKnowledgeBase,
} from '../../bot/knowledge/knowledge-base.js';
import { compactLunrIndex } from '../../bot/knowledge/term-index.js';
import { syntheticArticles } from './synthetic-kb.js';

const knowledgeDir = path.resolve(process.env.KNOWLEDGE_DIR || 'knowledge');
const rssMb = () => Math.round(process.memoryUsage().rss / 1048576);
const gc = () => (globalThis as { gc?: () => void }).gc?.();

/** Builds the synthetic base and returns its serialized form (what index-worker.ts posts). */
function buildSerialized(count: number): { data: SerializedKnowledgeBase; buildMs: number } {
  const real = buildKnowledgeBase(knowledgeDir);
  const articles = syntheticArticles(real.articles, real.synonyms, { count });
  const t0 = performance.now();
  const kb = createKnowledgeBase(articles, real.synonyms);
  const buildMs = Math.round(performance.now() - t0);
  return { data: serializeKnowledgeBase(kb), buildMs };
}

if (!isMainThread) {
  parentPort!.postMessage(buildSerialized((workerData as { count: number }).count));
} else {
  const arg = (name: string, fallback: string) => (process.argv.includes(`--${name}`) ? process.argv[process.argv.indexOf(`--${name}`) + 1]! : fallback);
  const count = Number(arg('articles', '10000'));
  const mode = arg('mode', 'worker');
  gc();
  const baseline = rssMb();
  let kb;
  let buildMs: number;
  if (mode === 'in-process') {
    const real = buildKnowledgeBase(knowledgeDir);
    const t0 = performance.now();
    kb = createKnowledgeBase(syntheticArticles(real.articles, real.synonyms, { count }), real.synonyms);
    buildMs = Math.round(performance.now() - t0);
    compactLunrIndex(kb.index);
  } else {
    const worker = new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); })`, { eval: true, workerData: { count } });
    let reply: { data?: SerializedKnowledgeBase; buildMs: number } = await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    buildMs = reply.buildMs;
    const real = buildKnowledgeBase(knowledgeDir);
    kb = knowledgeBaseFromSerialized(reply.data!, real.synonyms, real.policy);
    reply = { buildMs }; // the posted copy is garbage once loaded, as in the server
  }
  gc();
  await new Promise((resolve) => setTimeout(resolve, 200));
  gc();
  console.log(JSON.stringify({ mode, articles: kb.articles.length, buildMs, baselineRssMb: baseline, rssMb: rssMb(), heapUsedMb: Math.round(process.memoryUsage().heapUsed / 1048576) }));
}
