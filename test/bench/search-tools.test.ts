import path from 'node:path';
import { expect } from 'chai';
import { readEvalCases } from '../../bot/knowledge/eval.js';
import { buildKnowledgeBase, createKnowledgeBase } from '../../bot/knowledge/knowledge-base.js';
import { checkKb } from '../../scripts/bench/check-fast-query.js';
import { percentile } from '../../scripts/bench/stats.js';
import { syntheticArticles } from '../../scripts/bench/synthetic-kb.js';

const knowledgeDir = path.resolve('knowledge');

describe('benchmark tools', () => {
  const real = buildKnowledgeBase(knowledgeDir);
  const cases = readEvalCases(path.join(knowledgeDir, 'eval', 'golden.yml'));

  it('synthetic knowledge bases keep the real articles first and give every variant a new id, deterministically', () => {
    const a = syntheticArticles(real.articles, real.synonyms, { count: 200, seed: 7 });
    const b = syntheticArticles(real.articles, real.synonyms, { count: 200, seed: 7 });
    expect(a).to.have.length(200);
    expect(new Set(a.map((x) => x.id)).size).to.equal(200);
    expect(a.slice(0, real.articles.length).map((x) => x.id)).to.deep.equal(real.articles.map((x) => x.id));
    expect(a.map((x) => x.title)).to.deep.equal(b.map((x) => x.title));
    const variant = a[real.articles.length];
    expect(variant.steps.length).to.be.greaterThan(0);
    expect(variant.title).to.not.equal(real.articles[0].title);
  });

  it('the fast term query returns what lunr returns for every golden-set search (real and synthetic bases)', () => {
    const synthetic = createKnowledgeBase(syntheticArticles(real.articles, real.synonyms, { count: 300 }), real.synonyms);
    for (const kb of [real, synthetic]) {
      const { queries, mismatches } = checkKb(kb, cases);
      expect(queries).to.be.greaterThan(cases.length / 2);
      expect(mismatches).to.deep.equal([]);
    }
  });

  it('percentile is nearest-rank', () => {
    const samples = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(samples, 50)).to.equal(50);
    expect(percentile(samples, 99)).to.equal(99);
    expect(percentile([3], 99)).to.equal(3);
    expect(Number.isNaN(percentile([], 50))).to.equal(true);
  });
});
