import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type lunr from 'lunr';
import type { Article } from '../../bot/knowledge/article.js';
import {
  SERIALIZED_VERSION,
  buildKnowledgeBase,
  createKnowledgeBase,
  knowledgeBaseFromSaved,
  knowledgeBaseFromSerialized,
  saveKnowledgeBase,
  serializeKnowledgeBase,
  type SavedKnowledgeBase,
} from '../../bot/knowledge/knowledge-base.js';
import { compactIndexOf, indexFromCompact } from '../../bot/knowledge/index-file.js';
import { compactLunrIndex } from '../../bot/knowledge/term-index.js';
import { termQuery } from '../../bot/knowledge/term-search.js';
import { syntheticArticles } from '../../scripts/bench/synthetic-kb.js';

const words = (set: lunr.TokenSet) => (set as unknown as { toArray(): string[] }).toArray();

describe('knowledge/index-file: the saved index (term-search postings)', function () {
  this.timeout(120_000);
  const real = buildKnowledgeBase(path.resolve('knowledge'));
  const sets: [string, Article[]][] = [
    ['the 54 real articles', real.articles],
    ['1,000 synthetic articles', syntheticArticles(real.articles, real.synonyms, { count: 1000 })],
  ];
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'elbow-index-file-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const [name, articles] of sets) {
    it(`${name}: the saved file loads to the same idf, vocabulary and term search results as the built and lunr-loaded index`, () => {
      const kb = createKnowledgeBase(articles, real.synonyms, 'hash', new Date(0));
      // lunr's own JSON round trip, what the file held before (SERIALIZED_VERSION 4).
      const viaLunr = knowledgeBaseFromSerialized(JSON.parse(JSON.stringify(serializeKnowledgeBase(kb))), real.synonyms);
      const file = path.join(dir, 'kb-index.json');
      saveKnowledgeBase(kb, file);
      const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as SavedKnowledgeBase;
      expect(saved.version).to.equal(SERIALIZED_VERSION);
      const loaded = knowledgeBaseFromSaved(saved, real.synonyms);
      expect(loaded.articles).to.deep.equal(kb.articles);
      expect(loaded.sourceHash).to.equal('hash');
      for (const other of [kb, viaLunr]) {
        expect([...loaded.idf].sort()).to.deep.equal([...other.idf].sort());
        expect(words(loaded.vocabulary)).to.deep.equal(words(other.vocabulary));
      }
      const terms = [...kb.idf.keys()];
      for (let i = 0; i < 200; i++) {
        const clauses = [7919, 104729, 31].map((p, k) => ({ term: terms[(i * p) % terms.length]!, boost: k + 1 }));
        const expected = termQuery(viaLunr.index, clauses);
        expect(termQuery(loaded.index, clauses)).to.deep.equal(expected);
        expect(termQuery(kb.index, clauses)).to.deep.equal(expected);
      }
    });
  }

  it('saves a compacted index the same as before compacting; lunr query and toJSON refuse the loaded index', () => {
    const kb = createKnowledgeBase(real.articles, real.synonyms);
    const before = JSON.stringify(compactIndexOf(kb.index));
    compactLunrIndex(kb.index);
    expect(JSON.stringify(compactIndexOf(kb.index)) === before).to.equal(true);
    const saved = { version: SERIALIZED_VERSION, sourceHash: '', builtAt: new Date(0).toISOString(), articles: real.articles, index: JSON.parse(before) };
    const loaded = knowledgeBaseFromSaved(saved, real.synonyms).index;
    expect(() => loaded.toJSON()).to.throw(/compacted/);
    expect(() => loaded.search('pyxis')).to.throw(/compacted/);
  });

  it('refuses an inconsistent file rather than serving from it', () => {
    const good = compactIndexOf(createKnowledgeBase(real.articles.slice(0, 5), real.synonyms).index);
    const docs = Buffer.from(good.docs, 'base64');
    const outOfRange = Buffer.from(docs);
    outOfRange.writeInt32LE(good.docRefs.length, 0);
    const broken: Array<[string, object]> = [
      ['truncated postings', { docs: good.docs.slice(0, good.docs.length - 8) }],
      ['a document ordinal out of range', { docs: outOfRange.toString('base64') }],
      ['counts that do not add up', { lengths: good.lengths.map((n, i) => (i === 0 ? n + 1 : n)) }],
      ['a missing term list', { terms: undefined }],
      ['another byte order', { byteOrder: os.endianness() === 'LE' ? 'BE' : 'LE' }],
      ['an unknown pipeline function', { pipeline: ['no-such-function'] }],
    ];
    expect(() => indexFromCompact(structuredClone(good))).not.to.throw();
    for (const [what, change] of broken) {
      expect(() => indexFromCompact({ ...structuredClone(good), ...change }), what).to.throw();
    }
  });
});
