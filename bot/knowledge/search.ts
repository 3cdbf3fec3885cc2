import lunr from 'lunr';
import type { AskerRole } from './article.js';
import type { KnowledgeBase } from './knowledge-base.js';
import type { NormalizedQuery } from './normalize.js';

/** One ranked article for a query. */
export interface SearchHit {
  id: string;
  /** Ranking score: lunr's BM25 score, weighted by coverage and role. */
  score: number;
  /** Share (0..1) of the query's topic words, weighted by rarity, that this article matches. */
  coverage: number;
}

/** Options for `search`. */
export interface SearchOptions {
  /** The asker's role: articles written for it rank a little higher. */
  role?: AskerRole;
  /** Maximum hits returned (default 5). */
  limit?: number;
}

/** Tuning knobs of the ranking; defaults calibrated on the golden set. */
export const SEARCH_TUNING = {
  /** Weight of a query word the knowledge base has never seen (unknown words mean off-topic). */
  unknownWordWeight: 2.2,
  /** Boost of a typo-corrected term relative to an exact one. */
  fuzzyBoost: 0.6,
  /** Score factor for articles not written for the asker's role. */
  otherRoleFactor: 0.85,
  /** Maximum fuzzy alternatives per word. */
  maxFuzzyAlternatives: 4,
};

interface GroupTerms {
  weight: number;
  terms: { term: string; fuzzy: boolean }[];
}

const stemCache = new Map<string, string>();
function stem(word: string): string {
  let s = stemCache.get(word);
  if (s === undefined) {
    s = lunr.stemmer(new lunr.Token(word, {})).toString();
    if (stemCache.size > 50_000) stemCache.clear();
    stemCache.set(word, s);
  }
  return s;
}

/** Maps each query group to the index terms it can match (exact stems, else typo-tolerant ones). */
function resolveGroups(kb: KnowledgeBase, query: NormalizedQuery): GroupTerms[] {
  return query.groups.map((group) => {
    const terms: GroupTerms['terms'] = [];
    for (const word of group.terms) {
      const s = stem(word);
      if (kb.idf.has(s)) {
        terms.push({ term: s, fuzzy: false });
      } else if (word.length >= 5 && /^\p{L}+$/u.test(word)) {
        const distance = word.length >= 9 ? 2 : 1;
        const alternatives = kb.vocabulary
          .intersect(lunr.TokenSet.fromFuzzyString(s, distance))
          .toArray()
          .sort((a, b) => (kb.idf.get(a) ?? 0) - (kb.idf.get(b) ?? 0))
          .slice(0, SEARCH_TUNING.maxFuzzyAlternatives);
        for (const alt of alternatives) terms.push({ term: alt, fuzzy: true });
      }
    }
    const unique = [...new Map(terms.map((t) => [t.term, t])).values()];
    const weight = unique.length === 0 ? SEARCH_TUNING.unknownWordWeight : Math.max(...unique.map((t) => kb.idf.get(t.term) ?? 0));
    return { weight, terms: unique };
  });
}

/** Ranks articles for a normalized query. Never throws on user text: queries use lunr's term API. */
export function search(kb: KnowledgeBase, query: NormalizedQuery, options: SearchOptions = {}): SearchHit[] {
  const limit = options.limit ?? 5;
  const groups = resolveGroups(kb, query);
  const searchable = groups.filter((g) => g.terms.length > 0);
  if (searchable.length === 0) return [];
  const totalWeight = groups.reduce((sum, g) => sum + g.weight, 0) || 1;

  const results = kb.index.query((q) => {
    for (const group of searchable) {
      const share = 1 / Math.sqrt(group.terms.length);
      for (const { term, fuzzy } of group.terms) {
        q.term(term, { usePipeline: false, boost: share * (fuzzy ? SEARCH_TUNING.fuzzyBoost : 1) });
      }
    }
  });

  const hits: SearchHit[] = results.map((result) => {
    const matched = new Set(Object.keys(result.matchData.metadata));
    const covered = groups.reduce((sum, g) => sum + (g.terms.some((t) => matched.has(t.term)) ? g.weight : 0), 0);
    const coverage = covered / totalWeight;
    const article = kb.byId.get(result.ref);
    const roleFactor =
      options.role && options.role !== 'other' && article && !article.roles.includes(options.role) && !article.roles.includes('everyone')
        ? SEARCH_TUNING.otherRoleFactor
        : 1;
    return { id: result.ref, score: result.score * (0.4 + 0.6 * coverage) * roleFactor, coverage };
  });
  hits.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
  return hits.slice(0, limit);
}
