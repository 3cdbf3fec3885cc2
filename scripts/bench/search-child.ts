/**
 * One search measurement in a fresh process (clean heap, so memory figures are the knowledge base's):
 * the real knowledge base (--articles 0) or a synthetic one of N articles. Measures index build time,
 * serialized-index load, memory with the base loaded, decide() latency over the golden questions, and the
 * MiniSearch peer on the same articles; for the real base also accuracy of both engines.
 * Reports one {type:'result'} message over IPC (or prints JSON when run by hand). As in production, the index is
 * compacted after it is serialized (term-search.ts): memory is measured on the compact form.
 */
import path from 'node:path';
import lunr from 'lunr';
import { readEvalCases, runEval } from '../../bot/knowledge/eval.js';
import { buildKnowledgeBase, createKnowledgeBase } from '../../bot/knowledge/knowledge-base.js';
import { collectGarbage, tellParent } from './ipc.js';
import { compactLunrIndex } from '../../bot/knowledge/term-index.js';
import { MiniSearchPeer } from './minisearch-peer.js';
import { compareAccuracy, decideLatency, searchLatency, timeCases, timeOnce } from './search-bench.js';
import { memoryMb, round } from './stats.js';
import { syntheticArticles } from './synthetic-kb.js';

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

const articlesWanted = arg('articles', 0);
const rounds = arg('rounds', 3);
const questionLimit = arg('questions', Infinity);
const knowledgeDir = path.resolve(process.env.KNOWLEDGE_DIR || 'knowledge');
const allCases = readEvalCases(path.join(knowledgeDir, 'eval', 'golden.yml'));
const cases = allCases.slice(0, questionLimit);

collectGarbage();
const baseline = memoryMb(process.memoryUsage());
const real = buildKnowledgeBase(knowledgeDir);
const generated = articlesWanted > 0 ? timeOnce(() => syntheticArticles(real.articles, real.synonyms, { count: articlesWanted })) : { ms: 0, value: real.articles };
const built = timeOnce(() => createKnowledgeBase(generated.value, real.synonyms));
const kb = built.value;

// The serialized round trip (what a restart loads), in its own scope so neither copy stays alive afterwards.
const { serializedMb, serializedLoadMs } = (() => {
  const json = JSON.stringify(kb.index.toJSON());
  const loaded = timeOnce(() => lunr.Index.load(JSON.parse(json)));
  return { serializedMb: round(Buffer.byteLength(json) / 1048576, 1), serializedLoadMs: loaded.ms };
})();

// Production serves the compact form (knowledge-base.ts openKnowledgeBase): lunr's postings dropped after saving.
const compactMs = timeOnce(() => compactLunrIndex(kb.index)).ms;
collectGarbage();
const withKb = memoryMb(process.memoryUsage());

const decide = decideLatency(kb, cases, rounds);
const searchOnly = searchLatency(kb, cases, rounds);

const peerBuilt = timeOnce(() => new MiniSearchPeer(kb.articles));
const peer = peerBuilt.value;
const peerLatency = timeCases(cases, rounds, (c) => peer.decide(c.q, c.role));

const accuracy =
  articlesWanted === 0
    ? (() => {
        const { metrics } = runEval(kb, allCases);
        const compared = compareAccuracy(kb, peer, allCases);
        return {
          ...compared,
          ours: { ...compared.ours, fullPipelineAccuracy: metrics.accuracy, articleAccuracy: metrics.articleAccuracy, top3: metrics.top3 },
        };
      })()
    : undefined;

const result = {
  articles: kb.articles.length,
  terms: kb.idf.size,
  questions: cases.length,
  rounds,
  generateMs: generated.ms,
  buildMs: built.ms,
  serializedMb,
  serializedLoadMs,
  memory: { baselineRssMb: baseline.rssMb, rssMb: withKb.rssMb, heapUsedMb: withKb.heapUsedMb },
  compactMs,
  decide,
  searchOnly,
  minisearch: { buildMs: peerBuilt.ms, decide: peerLatency },
  accuracy,
};
if (process.send) tellParent({ type: 'result', result });
else process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
