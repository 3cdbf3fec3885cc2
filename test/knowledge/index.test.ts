import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { decide } from '../../bot/knowledge/decide.js';
import { buildKnowledgeBase, openKnowledgeBase } from '../../bot/knowledge/knowledge-base.js';

const QUESTIONS = ['pyxis wont let me pull', 'citrix froze', 'how do i make a smartphrase', 'movie times tonight', 'talk to a human'];

describe('knowledge/knowledge-base: serialized index', () => {
  let dir: string;
  let knowledgeDir: string;
  let indexFile: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'elbow-index-'));
    knowledgeDir = path.join(dir, 'knowledge');
    fs.cpSync(path.resolve('knowledge/articles'), path.join(knowledgeDir, 'articles'), { recursive: true });
    fs.copyFileSync(path.resolve('knowledge/synonyms.yml'), path.join(knowledgeDir, 'synonyms.yml'));
    indexFile = path.join(dir, 'data', 'kb-index.json');
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Makes the index file look newer than every source file, as after a normal build. */
  function touchIndexLater(): void {
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(indexFile, later, later);
  }

  it('builds and writes the index the first time, then loads it serialized with the same decisions', () => {
    const first = openKnowledgeBase(knowledgeDir, indexFile);
    expect(first.source).to.equal('built');
    expect(fs.existsSync(indexFile)).to.equal(true);
    touchIndexLater();

    const second = openKnowledgeBase(knowledgeDir, indexFile);
    expect(second.source).to.equal('serialized');
    expect(second.kb.articles.length).to.equal(first.kb.articles.length);
    expect(second.kb.sourceHash).to.equal(first.kb.sourceHash);
    for (const q of QUESTIONS) {
      const built = decide(first.kb, q, { role: 'nurse' });
      const loaded = decide(second.kb, q, { role: 'nurse' });
      expect({ ...loaded, hits: loaded.hits.map((h) => h.id) }, q).to.deep.equal({ ...built, hits: built.hits.map((h) => h.id) });
    }
  });

  it('rebuilds a stale index when an article changes (newer file)', () => {
    openKnowledgeBase(knowledgeDir, indexFile);
    const article = path.join(knowledgeDir, 'articles', 'printer-not-printing.md');
    fs.writeFileSync(article, fs.readFileSync(article, 'utf8').replace('title: Documents won', 'title: Papers won'));
    const later = new Date(Date.now() + 120_000);
    fs.utimesSync(article, later, later);

    const reopened = openKnowledgeBase(knowledgeDir, indexFile);
    expect(reopened.source).to.equal('rebuilt-stale');
    expect(reopened.kb.byId.get('printer-not-printing')?.title).to.match(/^Papers won/);
  });

  it('rebuilds when the content differs even though the index file looks newer (hash check)', () => {
    openKnowledgeBase(knowledgeDir, indexFile);
    const synonyms = path.join(knowledgeDir, 'synonyms.yml');
    fs.appendFileSync(synonyms, '\nfrobnicator: [printer]\n');
    touchIndexLater();

    const reopened = openKnowledgeBase(knowledgeDir, indexFile);
    expect(reopened.source).to.equal('rebuilt-stale');
    expect(decide(reopened.kb, 'frobnicator wont work').hits[0]?.id).to.equal('printer-not-printing');
  });

  it('rebuilds a corrupt index file and replaces it with a good one', () => {
    openKnowledgeBase(knowledgeDir, indexFile);
    fs.writeFileSync(indexFile, '{"version": 3, "articles": [garbage');
    touchIndexLater();

    const reopened = openKnowledgeBase(knowledgeDir, indexFile);
    expect(reopened.source).to.equal('rebuilt-corrupt');
    expect(reopened.kb.articles.length).to.be.at.least(45);
    touchIndexLater();
    expect(openKnowledgeBase(knowledgeDir, indexFile).source).to.equal('serialized');
  });

  it('still serves from memory when the data directory cannot be written', () => {
    fs.mkdirSync(path.join(dir, 'data'));
    fs.writeFileSync(path.join(dir, 'data', 'blocked'), 'not a directory');
    const result = openKnowledgeBase(knowledgeDir, path.join(dir, 'data', 'blocked', 'kb-index.json'));
    expect(result.source).to.equal('built');
    expect(decide(result.kb, 'citrix froze').articleId).to.equal('virtual-desktop-frozen');
  });

  it('builds the same index from the same sources (stable hash)', () => {
    expect(buildKnowledgeBase(knowledgeDir).sourceHash).to.equal(buildKnowledgeBase(knowledgeDir).sourceHash);
  });
});
