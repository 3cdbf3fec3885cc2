/**
 * Checks Elbow's term search (bot/knowledge/term-search.ts) against lunr's own query on the search of each of the
 * golden questions, on the real knowledge base and on a synthetic one: same refs, same order, bit-identical
 * scores, same matched terms and fields. Also times both. Usage: tsx scripts/bench/check-fast-query.ts [ARTICLES]
 */
import path from 'node:path';
import lunr from 'lunr';
import { readEvalCases } from '../../bot/knowledge/eval.js';
import { buildKnowledgeBase, createKnowledgeBase, type KnowledgeBase } from '../../bot/knowledge/knowledge-base.js';
import { normalize } from '../../bot/knowledge/normalize.js';
import { searchClauses } from '../../bot/knowledge/search.js';
import { termQuery } from '../../bot/knowledge/term-search.js';
import { summarize } from './stats.js';
import { syntheticArticles } from './synthetic-kb.js';

type QueryFn = (this: lunr.Query, query: lunr.Query) => void;

function metadataShape(m: object): string {
  const md = m as Record<string, Record<string, unknown>>;
  return Object.keys(md).sort().map((t) => `${t}:${Object.keys(md[t]).sort().join(',')}`).join(' ');
}

/**
 * For each question, the term query search() runs (normalize + searchClauses), answered by lunr's own query and by
 * Elbow's term search (termQuery); returns the mismatches and both timings.
 */
export function checkKb(kb: KnowledgeBase, questions: Array<{ q: string }>): { queries: number; mismatches: string[]; lunrMs: number[]; fastMs: number[] } {
  const mismatches: string[] = [];
  const lunrMs: number[] = [];
  const fastMs: number[] = [];
  let queries = 0;
  for (const c of questions) {
    const clauses = searchClauses(kb, normalize(c.q, kb.synonyms));
    if (clauses.length === 0) continue;
    const fn: QueryFn = (q) => {
      for (const { term, boost } of clauses) q.term(term, { usePipeline: false, boost });
    };
    let t = performance.now();
    const expected = lunr.Index.prototype.query.call(kb.index, fn);
    lunrMs.push(performance.now() - t);
    t = performance.now();
    const actual = termQuery(kb.index, clauses);
    fastMs.push(performance.now() - t);
    queries++;
    if (expected.length !== actual.length) mismatches.push(`${c.q}: length ${expected.length} vs ${actual.length}`);
    for (let i = 0; i < Math.min(expected.length, actual.length); i++) {
      const e = expected[i]!;
      const a = actual[i]!;
      if (e.ref !== a.ref || !Object.is(e.score, a.score) || metadataShape(e.matchData.metadata) !== metadataShape(a.matchData.metadata)) {
        mismatches.push(`${c.q} #${i}: ${e.ref} ${e.score} [${metadataShape(e.matchData.metadata)}] vs ${a.ref} ${a.score} [${metadataShape(a.matchData.metadata)}]`);
        break;
      }
    }
  }
  return { queries, mismatches, lunrMs, fastMs };
}

if (process.argv[1]?.endsWith('check-fast-query.ts')) {
  const articles = Number(process.argv[2] ?? 0);
  const knowledgeDir = path.resolve(process.env.KNOWLEDGE_DIR || 'knowledge');
  const cases = readEvalCases(path.join(knowledgeDir, 'eval', 'golden.yml'));
  const real = buildKnowledgeBase(knowledgeDir);
  const kb = articles > 0 ? createKnowledgeBase(syntheticArticles(real.articles, real.synonyms, { count: articles }), real.synonyms) : real;
  // Also the serialized round trip: an index loaded from JSON must give the same results.
  const reloaded = { ...kb, index: lunr.Index.load(JSON.parse(JSON.stringify(kb.index))) };
  for (const [name, base] of [['built', kb], ['loaded', reloaded]] as const) {
    const r = checkKb(base, cases);
    console.log(`${name} ${kb.articles.length} articles: ${r.queries} queries, ${r.mismatches.length} mismatches`);
    for (const m of r.mismatches.slice(0, 5)) console.log(`  ${m}`);
    console.log('  lunr query ms', summarize(r.lunrMs), '\n  fast query ms', summarize(r.fastMs));
  }
}
