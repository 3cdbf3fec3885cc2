import lunr from 'lunr';
import type { Article } from './article.js';
import { applySynonyms, expandCaseSensitive, type SynonymMap } from './synonyms.js';
import { tokenize } from './tokenize.js';

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
  return lunr(function () {
    this.ref('id');
    for (const [name, boost] of Object.entries(FIELD_BOOSTS)) this.field(name, { boost });
    // Long bodies should not be punished much: our articles are short and similar in length.
    this.b(0.6);
    this.metadataWhitelist = [];
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
}

/** Strips markdown syntax and the "still stuck" boilerplate so the body field holds the how-to words. */
function stripMarkdown(markdown: string): string {
  return markdown
    .replace(/^##\s*still stuck\?[\s\S]*?(?=^##\s|\s*$(?![\s\S]))/im, ' ')
    .replace(/[#*_`>[\]()]/g, ' ');
}
