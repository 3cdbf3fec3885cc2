import path from 'node:path';
import { expect } from 'chai';
import { buildKnowledgeBase, type KnowledgeBase } from '../../bot/knowledge/knowledge-base.js';
import { normalize } from '../../bot/knowledge/normalize.js';
import { search } from '../../bot/knowledge/search.js';
import { respell } from '../../bot/knowledge/spelling.js';
import { applySynonyms, buildSynonymMap } from '../../bot/knowledge/synonyms.js';

/** All search terms of a normalized query, flattened. */
function termsOf(kb: KnowledgeBase, text: string): string[] {
  return normalize(text, kb.synonyms).groups.flatMap((g) => g.terms);
}

function topHit(kb: KnowledgeBase, text: string): string | undefined {
  return search(kb, normalize(text, kb.synonyms))[0]?.id;
}

describe('knowledge/normalize', () => {
  let kb: KnowledgeBase;
  before(() => {
    kb = buildKnowledgeBase(path.resolve('knowledge'));
  });

  it('strips Teams <at> mentions so the bot name is not searched', () => {
    const q = normalize('<at>Elbow</at> printer not printing', kb.synonyms);
    expect(q.text).to.equal('printer not printing');
    expect(q.tokens).to.not.include('elbow');
  });

  it('strips HTML tags and decodes entities', () => {
    const q = normalize('<p>scanner <b>won&#39;t</b> read&nbsp;the&nbsp;band</p>', kb.synonyms);
    expect(q.text).to.equal("scanner won't read the band");
    expect(q.tokens).to.deep.equal(['scanner', 'wont', 'read', 'the', 'band']);
  });

  it('lower-cases and splits on punctuation, so lunr operators never reach the index', () => {
    const q = normalize('PRINTER:list^10 +Foo -bar~2 *', kb.synonyms);
    expect(q.tokens).to.deep.equal(['printer', 'list', '10', 'foo', 'bar', '2']);
    for (const term of q.groups.flatMap((g) => g.terms)) expect(term).to.match(/^[\p{L}\p{N}]+$/u);
  });

  it('drops filler words and keeps the topic words', () => {
    const q = normalize('hi can you please help me, my printer is not working again', kb.synonyms);
    expect(q.groups.map((g) => g.original.join(' '))).to.deep.equal(['printer']);
  });

  it('expands clinical abbreviations to the words the articles use', () => {
    expect(termsOf(kb, 'pt not on my list')).to.include('patient');
    expect(termsOf(kb, 'med not on the MAR')).to.include.members(['medication', 'administration', 'record']);
    expect(termsOf(kb, 'dc summary')).to.include('discharge');
  });

  it('maps vendor words to our neutral words (Pyxis, Omnicell, Citrix, Imprivata, In Basket, Haiku)', () => {
    expect(termsOf(kb, 'pyxis')).to.include.members(['dispensing', 'cabinet']);
    expect(termsOf(kb, 'omnicell')).to.include.members(['dispensing', 'cabinet']);
    expect(termsOf(kb, 'citrix froze')).to.include.members(['virtual', 'desktop', 'frozen']);
    expect(termsOf(kb, 'imprivata')).to.include.members(['badge', 'tap']);
    expect(termsOf(kb, 'in basket')).to.include('inbox');
    expect(termsOf(kb, 'haiku')).to.include.members(['mobile', 'app']);
  });

  it('matches a synonym written in the plural ("smartphrases")', () => {
    expect(termsOf(kb, 'my smartphrases are gone')).to.include.members(['dot', 'phrase']);
  });

  it('applies capitals-only acronyms only when typed in capitals (IT vs "it")', () => {
    expect(termsOf(kb, 'call IT')).to.include('desk');
    expect(termsOf(kb, 'how do i change it')).to.not.include('desk');
  });

  it('turns "sign in" into its own word so "sign" alone means signing orders', () => {
    expect(termsOf(kb, 'cant sign in')).to.deep.equal(['signin']);
    expect(termsOf(kb, 'cant sign the order')).to.include('sign');
  });

  it('searches an unknown drug name as a medication', () => {
    expect(termsOf(kb, 'ceftriaxone not on the mar')).to.include('medication');
  });

  it('tolerates typos through search (edit distance 1-2)', () => {
    expect(topHit(kb, 'pasword resset')).to.equal('password-reset');
    expect(topHit(kb, 'flowhseet row')).to.equal('flowsheet-row-missing');
    expect(topHit(kb, 'perscription didnt reach the pharmacy')).to.equal('eprescription-pharmacy-failed');
  });

  it('corrects a four-letter word only for two swapped neighbouring letters, and leaves short acronyms alone', () => {
    expect(respell(kb, ['scna', 'lsit', 'unti'])).to.deep.equal(['scan', 'list', 'unit']);
    // One letter off (not a swap) and four letters long: too often another acronym ("pacu" / "pacs").
    expect(respell(kb, ['pacz', 'lust'])).to.deep.equal(['pacz', 'lust']);
  });

  it('corrects a real word typed for an article word only where an article has that word beside the same neighbour', () => {
    // "wont sign" stands in an article's questions; "sing" is English but no article word.
    expect(respell(kb, ['order', 'wont', 'sing'])).to.deep.equal(['order', 'wont', 'sign']);
    // Without that neighbour the English word stays what it is.
    expect(respell(kb, ['we', 'sing', 'carols'])).to.deep.equal(['we', 'sing', 'carols']);
  });

  it('caps the number of groups so huge messages stay cheap', () => {
    const q = normalize(Array.from({ length: 300 }, (_, i) => `word${i}`).join(' '), kb.synonyms);
    expect(q.groups.length).to.equal(40);
  });
});

describe('knowledge/synonyms', () => {
  it('applies the longest phrase first and keeps the user words beside the expansion', () => {
    const map = buildSynonymMap({ med: ['medication'], 'med rec': ['medication reconciliation'] });
    const groups = applySynonyms(['med', 'rec', 'wont', 'complete'], map);
    expect(groups[0]).to.deep.equal({ original: ['med', 'rec'], terms: ['med', 'rec', 'medication', 'reconciliation'], expanded: true });
    expect(groups.slice(1).map((g) => g.original[0])).to.deep.equal(['wont', 'complete']);
  });

  it('replaces the phrase with "=" expansions and drops phrases mapped to an empty list', () => {
    const map = buildSynonymMap({ 'sign in': ['=signin'], 'right now': [] });
    const groups = applySynonyms(['sign', 'in', 'right', 'now'], map);
    expect(groups.map((g) => g.terms)).to.deep.equal([['signin'], []]);
  });
});
