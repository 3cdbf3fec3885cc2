import path from 'node:path';
import { expect } from 'chai';
import lunr from 'lunr';
import type { Article } from '../../bot/knowledge/article.js';
import { FIELD_BOOSTS, articleFields, buildIndex } from '../../bot/knowledge/index-builder.js';
import { SERIALIZED_VERSION, buildKnowledgeBase, createKnowledgeBase, knowledgeBaseFromSerialized, serializeKnowledgeBase } from '../../bot/knowledge/knowledge-base.js';
import { indexJson } from '../../bot/knowledge/lunr-builder.js';
import type { SynonymMap } from '../../bot/knowledge/synonyms.js';
import { stem } from '../../bot/knowledge/tokenize.js';
import { compactLunrIndex } from '../../bot/knowledge/term-index.js';
import { termQuery } from '../../bot/knowledge/term-search.js';
import { syntheticArticles } from '../../scripts/bench/synthetic-kb.js';

/** The index as lunr.Builder makes it: what index-builder.ts did before it had its own builder. */
function lunrBuilt(articles: Article[], synonyms: SynonymMap): lunr.Index {
  return lunr(function () {
    this.ref('id');
    for (const [name, boost] of Object.entries(FIELD_BOOSTS)) this.field(name, { boost });
    this.b(0.6);
    this.metadataWhitelist = [];
    const stemmer = Object.assign((token: lunr.Token) => token.update((word) => stem(word)), { label: 'stemmer' });
    this.pipeline.after(lunr.stemmer, stemmer);
    this.pipeline.remove(lunr.stemmer);
    const names = Object.keys(FIELD_BOOSTS);
    for (const article of articles) {
      const fields = articleFields(article, synonyms);
      this.add({ id: article.id, ...Object.fromEntries(names.map((n, i) => [n, fields[i]])) });
    }
  });
}

describe('knowledge/lunr-builder: the same index as lunr.Builder', function () {
  this.timeout(120_000);
  const real = buildKnowledgeBase(path.resolve('knowledge'));
  const sets: [string, Article[]][] = [
    ['the 54 real articles', real.articles],
    ['1,000 synthetic articles', syntheticArticles(real.articles, real.synonyms, { count: 1000 })],
  ];

  for (const [name, articles] of sets) {
    it(`${name}: byte-identical serialized index, and the same term search results as lunr's own index`, () => {
      const reference = JSON.stringify(lunrBuilt(articles, real.synonyms).toJSON());
      const ours = buildIndex(articles, real.synonyms);
      expect(indexJson(ours) === reference, 'indexJson').to.equal(true);
      expect(JSON.stringify(ours.toJSON()) === reference, 'toJSON').to.equal(true);
      expect(indexJson(ours) === reference, 'indexJson after lunr objects were made').to.equal(true);

      const kb = createKnowledgeBase(articles, real.synonyms);
      const loaded = knowledgeBaseFromSerialized({ version: SERIALIZED_VERSION, sourceHash: '', builtAt: new Date(0).toISOString(), articles, index: JSON.parse(reference) }, real.synonyms);
      expect([...kb.idf].sort()).to.deep.equal([...loaded.idf].sort());
      const terms = [...kb.idf.keys()];
      for (let i = 0; i < 200; i++) {
        const clauses = [7919, 104729, 31].map((p, k) => ({ term: terms[(i * p) % terms.length]!, boost: k + 1 }));
        expect(termQuery(kb.index, clauses)).to.deep.equal(termQuery(loaded.index, clauses));
      }
    });
  }

  it('falls back to lunr.Builder for document refs JavaScript would reorder ("17"), with the same result', () => {
    const articles = real.articles.slice(0, 5).map((a, i) => ({ ...a, id: i === 2 ? '17' : a.id }));
    expect(indexJson(buildIndex(articles, real.synonyms))).to.equal(JSON.stringify(lunrBuilt(articles, real.synonyms).toJSON()));
  });

  it('serializes the same lunr JSON as lunr.Builder and refuses to serialize a compacted index', () => {
    // (The saved file holds term-search postings since SERIALIZED_VERSION 5: test/knowledge/index-file.test.ts.)
    const kb = createKnowledgeBase(real.articles, real.synonyms, 'hash', new Date(0));
    const expected = JSON.stringify({ version: SERIALIZED_VERSION, sourceHash: 'hash', builtAt: new Date(0).toISOString(), articles: real.articles, index: lunrBuilt(real.articles, real.synonyms).toJSON() });
    expect(JSON.stringify(serializeKnowledgeBase(kb)) === expected).to.equal(true);
    compactLunrIndex(kb.index);
    expect(() => indexJson(kb.index)).to.throw(/compacted/);
  });
});
