import path from 'node:path';
import { expect } from 'chai';
import { readEvalCases } from '../../bot/knowledge/eval.js';
import { buildKnowledgeBase, createKnowledgeBase, type KnowledgeBase } from '../../bot/knowledge/knowledge-base.js';
import { normalize } from '../../bot/knowledge/normalize.js';
import { search, searchOne } from '../../bot/knowledge/search.js';
import { respell } from '../../bot/knowledge/spelling.js';
import { storyFactors } from '../../bot/knowledge/story.js';
import { compactLunrIndex } from '../../bot/knowledge/term-index.js';
import { syntheticArticles } from '../../scripts/bench/synthetic-kb.js';

describe('knowledge/search: searchOne scores one article exactly as a full search does', function () {
  this.timeout(120_000);
  const real = buildKnowledgeBase(path.resolve('knowledge'));
  const questions = ['golden.yml', 'training/blind-11.yml', 'training/blind-12.yml'].flatMap((f) => readEvalCases(path.resolve('knowledge/eval', f)));

  /** Every question as decide() searches it (respelled, story factors) against every hit of a search with no limit. */
  function check(kb: KnowledgeBase, articlesPerQuestion: number, questionStep = 1): number {
    let compared = 0;
    for (const c of questions.filter((_, i) => i % questionStep === 0)) {
      const query = normalize(c.q, kb.synonyms, 40, kb.policy, (t) => respell(kb, t));
      const groupFactors = storyFactors(kb, c.q, query);
      const all = search(kb, query, { role: c.role, limit: kb.articles.length, groupFactors });
      const byId = new Map(all.map((h) => [h.id, h]));
      // The leading hits, the last ones (lowest scores) and articles that match nothing.
      const ids = [...all.slice(0, articlesPerQuestion), ...all.slice(-3)].map((h) => h.id);
      ids.push(...kb.articles.filter((a) => !byId.has(a.id)).slice(0, 3).map((a) => a.id));
      for (const id of ids) {
        expect(searchOne(kb, query, id, { role: c.role, groupFactors }), `${c.q} / ${id}`).to.deep.equal(byId.get(id));
        compared++;
      }
    }
    return compared;
  }

  it('on the real articles: every article, every question of three sets (bit-identical scores)', () => {
    compactLunrIndex(real.index);
    expect(check(real, real.articles.length)).to.be.greaterThan(questions.length * 10);
  });

  it('on 1,000 synthetic articles: the first 20 hits, the last 3 and 3 unmatched articles of every fourth question', () => {
    const kb = createKnowledgeBase(syntheticArticles(real.articles, real.synonyms, { count: 1000 }), real.synonyms);
    compactLunrIndex(kb.index);
    expect(check(kb, 20, 4)).to.be.greaterThan((questions.length / 4) * 20);
  });

  it('gives nothing for an unknown article or a query with nothing to search', () => {
    const query = normalize('patient list incomplete', real.synonyms, 40, real.policy);
    expect(searchOne(real, query, 'no-such-article')).to.equal(undefined);
    expect(searchOne(real, normalize('the and of', real.synonyms, 40, real.policy), real.articles[0]!.id)).to.equal(undefined);
  });
});
