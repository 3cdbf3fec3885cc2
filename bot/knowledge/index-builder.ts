import lunr from 'lunr';
import type { Article } from './article.js';
import { applySynonyms, expandCaseSensitive, type SynonymMap } from './synonyms.js';
import { buildLunrIndex, type BuilderSpec } from './lunr-builder.js';
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
  return buildLunrIndex(articles.map((article) => ({ ref: article.id, fields: articleFields(article, synonyms) })), indexSpec());
}

/** The indexed text of an article's fields, in FIELD_BOOSTS order. */
export function articleFields(article: Article, synonyms: SynonymMap): string[] {
  return [
    fieldText(article.title, synonyms),
    article.questions.map((q) => fieldText(q, synonyms)).join(' '),
    article.tags.map((t) => fieldText(t, synonyms)).join(' '),
    fieldText(stripMarkdown(article.body), synonyms),
  ];
}

/**
 * The index's settings: what `lunr(function () {...})` would set up. Long bodies should not be punished much
 * (b 0.6): our articles are short and similar in length. The stemmer is the same one, memoized.
 */
export function indexSpec(): BuilderSpec {
  const pipeline = new lunr.Pipeline();
  pipeline.add(lunr.trimmer, lunr.stopWordFilter, memoizedStemmer);
  const searchPipeline = new lunr.Pipeline();
  searchPipeline.add(lunr.stemmer);
  return { fields: Object.entries(FIELD_BOOSTS).map(([name, boost]) => ({ name, boost })), b: 0.6, pipeline, searchPipeline };
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
