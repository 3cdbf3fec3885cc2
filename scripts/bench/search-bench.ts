/** Search-side measurements: decide() latency, index build time, and accuracy of ours vs the MiniSearch peer. */
import { decide } from '../../bot/knowledge/decide.js';
import type { EvalCase } from '../../bot/knowledge/eval.js';
import type { KnowledgeBase } from '../../bot/knowledge/knowledge-base.js';
import { normalize } from '../../bot/knowledge/normalize.js';
import { search } from '../../bot/knowledge/search.js';
import type { MiniSearchPeer } from './minisearch-peer.js';
import { round, summarize } from './stats.js';

/** Latency (ms) of `fn` over every case, after one untimed warm-up pass; `rounds` timed passes. */
export function timeCases(cases: EvalCase[], rounds: number, fn: (c: EvalCase) => unknown): ReturnType<typeof summarize> {
  for (const c of cases) fn(c);
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const c of cases) {
      const t = performance.now();
      fn(c);
      samples.push(performance.now() - t);
    }
  }
  return summarize(samples);
}

/** decide() latency over the cases on a knowledge base. */
export function decideLatency(kb: KnowledgeBase, cases: EvalCase[], rounds: number) {
  return timeCases(cases, rounds, (c) => decide(kb, c.q, { role: c.role }));
}

/** normalize + search only (no intent checks), to split decide()'s cost. */
export function searchLatency(kb: KnowledgeBase, cases: EvalCase[], rounds: number) {
  return timeCases(cases, rounds, (c) => search(kb, normalize(c.q, kb.synonyms), { role: c.role, limit: 5 }));
}

/** Milliseconds a function takes once (index builds). */
export function timeOnce<T>(fn: () => T): { ms: number; value: T } {
  const t = performance.now();
  const value = fn();
  return { ms: round(performance.now() - t, 1), value };
}

/** Article-question accuracy of both engines on the same cases, apples to apples. */
export interface EngineAccuracy {
  articleQuestions: number;
  /** Share of article questions whose top-ranked hit is the expected article (ranking quality alone). */
  top1: number;
  /** Share answered with the expected article after each engine's own answer/clarify decision. */
  answered: number;
  /** Share answered with a wrong article. */
  wrongAnswer: number;
}

const NON_ARTICLE = new Set(['decline', 'no-match', 'smalltalk', 'escalate']);

/**
 * Top-1 and answered accuracy on the article questions of the cases: ours, MiniSearch on the raw question,
 * and MiniSearch on our normalized query (synonyms expanded, filler dropped), to separate engine from normalization.
 */
export function compareAccuracy(kb: KnowledgeBase, peer: MiniSearchPeer, cases: EvalCase[]): { ours: EngineAccuracy; minisearch: EngineAccuracy; minisearchOnNormalizedQueries: EngineAccuracy } {
  const articleCases = cases.filter((c) => !NON_ARTICLE.has(c.expect));
  const tally = () => ({ top1: 0, answered: 0, wrong: 0 });
  const ours = tally();
  const raw = tally();
  const normalized = tally();
  const count = (t: ReturnType<typeof tally>, expect: string, top: string | null | undefined, answer: string | null | undefined) => {
    if (top === expect) t.top1++;
    if (answer) answer === expect ? t.answered++ : t.wrong++;
  };
  for (const c of articleCases) {
    const query = normalize(c.q, kb.synonyms);
    const d = decide(kb, c.q, { role: c.role });
    count(ours, c.expect, search(kb, query, { role: c.role, limit: 5 })[0]?.id, d.outcome === 'answer' ? d.articleId : null);
    const p = peer.decide(c.q, c.role);
    count(raw, c.expect, p.top, p.articleId);
    const n = peer.decide(query.groups.flatMap((g) => g.terms).join(' '), c.role);
    count(normalized, c.expect, n.top, n.articleId);
  }
  const total = articleCases.length || 1;
  const shape = (t: ReturnType<typeof tally>): EngineAccuracy => ({
    articleQuestions: articleCases.length,
    top1: round(t.top1 / total, 4),
    answered: round(t.answered / total, 4),
    wrongAnswer: round(t.wrong / total, 4),
  });
  return { ours: shape(ours), minisearch: shape(raw), minisearchOnNormalizedQueries: shape(normalized) };
}
