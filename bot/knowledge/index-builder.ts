import lunr from 'lunr';
import type { Article } from './article.js';
import { applySynonyms, expandCaseSensitive, type SynonymMap } from './synonyms.js';
import { stem, tokenize } from './tokenize.js';

/** Field boosts: a hit in a title or an alternate question says more than one in the body. */
export const FIELD_BOOSTS = { title: 4, questions: 3, tags: 2.5, body: 1 } as const;
export type FieldName = keyof typeof FIELD_BOOSTS;

/** Turns text into the space-joined, synonym-expanded tokens that lunr indexes. */
export function fieldText(text: string, synonyms: SynonymMap): string {
  return applySynonyms(tokenize(expandCaseSensitive(text, synonyms)), synonyms)
    .flatMap((g) => g.terms)
    .join(' ');
}

/** Builds the lunr index over title, questions, tags and body (steps and role sections included). */
export function buildIndex(articles: Article[], synonyms: SynonymMap): lunr.Index {
  const index = lunr(function () {
    this.ref('id');
    for (const [name, boost] of Object.entries(FIELD_BOOSTS)) this.field(name, { boost });
    // Long bodies should not be punished much: our articles are short and similar in length.
    this.b(0.6);
    this.metadataWhitelist = [];
    // The same stemmer, memoized: an index of many articles stems the same words over and over.
    this.pipeline.after(lunr.stemmer, memoizedStemmer);
    this.pipeline.remove(lunr.stemmer);
    for (const article of articles) {
      this.add({
        id: article.id,
        title: fieldText(article.title, synonyms),
        questions: article.questions.map((q) => fieldText(q, synonyms)).join(' '),
        tags: article.tags.map((t) => fieldText(t, synonyms)).join(' '),
        body: fieldText(stripMarkdown(article.body), synonyms),
      });
    }
  });
  return shareEmptyMetadata(index);
}

const memoizedStemmer = Object.assign((token: lunr.Token) => token.update((word) => stem(word)), { label: 'stemmer' });

const NO_METADATA = Object.freeze(Object.create(null));

/**
 * Points every posting's metadata at one shared empty object. With an empty metadataWhitelist lunr stores
 * nothing there, yet keeps one object per term, field and article: over half the index's memory at 10,000
 * articles. Search results and toJSON() are unchanged. Call it on an index loaded from JSON too.
 */
export function shareEmptyMetadata(index: lunr.Index): lunr.Index {
  const inverted = (index as unknown as { invertedIndex: Record<string, Record<string, Record<string, object> | number>> }).invertedIndex;
  for (const posting of Object.values(inverted)) {
    for (const [field, docs] of Object.entries(posting)) {
      if (field === '_index' || typeof docs !== 'object') continue;
      for (const ref in docs) if (isEmpty(docs[ref])) docs[ref] = NO_METADATA;
    }
  }
  return index;
}

function isEmpty(metadata: object): boolean {
  for (const _ in metadata) return false;
  return true;
}

/** Strips markdown syntax and the "still stuck" boilerplate so the body field holds the how-to words. */
function stripMarkdown(markdown: string): string {
  return markdown
    .replace(/^##\s*still stuck\?[\s\S]*?(?=^##\s|\s*$(?![\s\S]))/im, ' ')
    .replace(/[#*_`>[\]()]/g, ' ');
}
