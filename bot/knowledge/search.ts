import lunr from 'lunr';
import type { AskerRole } from './article.js';
import type { KnowledgeBase } from './knowledge-base.js';
import { fieldText } from './index-builder.js';
import { isOffTopicWord, type NormalizedQuery } from './normalize.js';
import { ScoreFloor } from './score-floor.js';
import { termMatchOf, termSearch, type TermClause, type TermMatch } from './term-search.js';
import { isEnglishWord } from './spelling.js';
import { stem } from './tokenize.js';

/** One ranked article for a query. */
export interface SearchHit {
  id: string;
  /** Ranking score: lunr's BM25 score, weighted by coverage and role. */
  score: number;
  /**
   * Share (0..1) of the query's topic words, weighted by rarity, that this article matches. A word matched
   * only in the body, or only through a typo correction, counts for less than one in the title, questions or tags.
   */
  coverage: number;
  /** How closely (0..1) the query matches the article's most similar title or alternate question. */
  similarity: number;
  /**
   * How the match rests on the query's informative words (idf at least SEARCH_TUNING.informativeIdf, or unknown
   * to the knowledge base): how many this article has in its title, questions or tags, and the summed weight of
   * those it lacks entirely. "code status" -> the app's activation code: one informative word matched, one missed.
   * `unknown` counts the query's words no article has at all (not even as a near spelling): "referral", "pager".
   */
  informative: { matched: number; matchedWeight: number; missedWeight: number; unknown: number };
}

/** Options for `search`. */
export interface SearchOptions {
  /** The asker's role: articles written for it rank a little higher. */
  role?: AskerRole;
  /** Maximum hits returned (default 5). */
  limit?: number;
  /** A weight factor per query group (same order as query.groups): scene-setting words of a long story count less. */
  groupFactors?: number[];
}

/** Tuning knobs of the ranking; defaults checked on the golden and hold-out sets. */
export const SEARCH_TUNING = {
  /** Weight of a query word the knowledge base has never seen (unknown words mean off-topic). */
  unknownWordWeight: 3.2,
  /** Weight of an unknown token with digits (unit names like 5n, times like 0200): says little either way. */
  unknownCodeWeight: 0.3,
  /** Weight of a word about an everyday non-EHR topic ("lunch", "parking"): strong evidence of off-topic. */
  offTopicWeight: 4.5,
  /** Boost of a typo-corrected term relative to an exact one, in the lunr query. */
  fuzzyBoost: 0.6,
  /** Coverage credit of a word matched only through a typo correction. */
  fuzzyCredit: 0.7,
  /** Coverage credit of a word found only in an article's body (not title, questions or tags). */
  bodyCredit: 0.55,
  /** Score factor for articles not written for the asker's role. */
  otherRoleFactor: 0.85,
  /** Maximum fuzzy alternatives per word. */
  maxFuzzyAlternatives: 3,
  /** How much coverage shapes the score: score * (1 - w + w * coverage). */
  coverageWeight: 0.6,
  /** Score boost for the article whose title or one alternate question is most like the query: * (1 + b * similarity). */
  questionBoost: 1,
  /** A query word at least this rare (idf) is informative: an answer should not rest on one while missing another. */
  informativeIdf: 2.0,
  /** How many leading hits the phrasing boost re-ranks. */
  rerankDepth: 12,
};

interface ResolvedTerm {
  term: string;
  fuzzy: boolean;
}

interface GroupTerms {
  weight: number;
  terms: ResolvedTerm[];
  /** Boost factor of the group's terms in the lunr query (below 1 for scene-setting words). */
  boost: number;
  /** A task verb or everyday EHR word (policy taskWords): searched, but never what the question is about. */
  task: boolean;
  /** No article has the word itself: nothing, or only near spellings of an English word ("referral" ~ "refer"). */
  unknown?: boolean;
}

const KEY_FIELDS = ['title', 'questions', 'tags'];

/** lunr builds typo-tolerant token sets with TokenSet.fromFuzzyString (missing from @types/lunr). */
const fuzzySet = (lunr.TokenSet as unknown as { fromFuzzyString(word: string, distance: number): lunr.TokenSet }).fromFuzzyString;

function fuzzyAlternatives(kb: KnowledgeBase, word: string): string[] {
  if (word.length < 5 || !/^\p{L}+$/u.test(word)) return [];
  const memo = cacheOf(kb).fuzzy;
  let alternatives = memo.get(word);
  if (!alternatives) {
    alternatives = lookUpFuzzy(kb, word);
    if (memo.size > 10_000) memo.clear();
    memo.set(word, alternatives);
  }
  return alternatives;
}

function lookUpFuzzy(kb: KnowledgeBase, word: string): string[] {
  const distance = word.length >= 9 ? 2 : 1;
  const found = new Set<string>();
  for (const form of new Set([word, stem(word)])) {
    for (const alt of kb.vocabulary.intersect(fuzzySet(form, distance)).toArray()) found.add(alt);
  }
  // Prefer the rarer (more specific) alternatives: a typo of a topic word matters more than one of a common word.
  return [...found]
    .filter((alt) => alt.length >= 3)
    .sort((a, b) => (kb.idf.get(b) ?? 0) - (kb.idf.get(a) ?? 0) || a.localeCompare(b))
    .slice(0, SEARCH_TUNING.maxFuzzyAlternatives);
}

/** Maps each query group to the index terms it can match (exact stems, else typo-tolerant ones). */
function resolveGroups(kb: KnowledgeBase, query: NormalizedQuery, factors: number[] = []): GroupTerms[] {
  return query.groups.map((group, i) => {
    const resolved = resolveGroup(kb, group);
    const factor = factors[i] ?? 1;
    const task = !group.expanded && group.original.every((t) => kb.policy.taskWords.has(t));
    return { ...resolved, weight: resolved.weight * factor, boost: factor, task };
  });
}

function resolveGroup(kb: KnowledgeBase, group: NormalizedQuery['groups'][number]): Omit<GroupTerms, 'boost' | 'task'> {
  if (!group.expanded && group.original.length === 1 && isOffTopicWord(group.original[0], kb.policy)) {
    return { weight: SEARCH_TUNING.offTopicWeight, terms: [] };
  }
  const exact = [...new Set(group.terms.map(stem).filter((s) => kb.idf.has(s)))];
  if (exact.length > 0) {
    return { weight: Math.max(...exact.map((t) => kb.idf.get(t) ?? 0)), terms: exact.map((term) => ({ term, fuzzy: false })) };
  }
  const fuzzy = group.expanded ? [] : fuzzyAlternatives(kb, group.original.join(''));
  if (fuzzy.length > 0) {
    const unknown = group.original.length === 1 && isEnglishWord(group.original[0]);
    return { weight: Math.max(...fuzzy.map((t) => kb.idf.get(t) ?? 0)), terms: fuzzy.map((term) => ({ term, fuzzy: true })), unknown };
  }
  const weight = group.original.some((t) => /\d/.test(t)) ? SEARCH_TUNING.unknownCodeWeight : SEARCH_TUNING.unknownWordWeight;
  return { weight, terms: [], unknown: true };
}

/** One title or alternate question of an article, as index terms with their summed idf. */
interface Phrasing {
  terms: Set<string>;
  weight: number;
}

/** Per knowledge base: each article's phrasings, and typo alternatives already looked up. */
interface SearchCache {
  phrasings: Map<string, Phrasing[]>;
  fuzzy: Map<string, string[]>;
}

const caches = new WeakMap<KnowledgeBase, SearchCache>();

function cacheOf(kb: KnowledgeBase): SearchCache {
  let cache = caches.get(kb);
  if (!cache) {
    const phrasings = new Map<string, Phrasing[]>();
    for (const article of kb.articles) {
      const sets = [article.title, ...article.questions]
        .map((text) => new Set(fieldText(text, kb.synonyms).split(' ').map(stem).filter((t) => kb.idf.has(t))))
        .filter((terms) => terms.size > 0);
      phrasings.set(
        article.id,
        sets.map((terms) => ({ terms, weight: [...terms].reduce((sum, t) => sum + (kb.idf.get(t) ?? 0), 0) })),
      );
    }
    cache = { phrasings, fuzzy: new Map() };
    caches.set(kb, cache);
  }
  return cache;
}

/**
 * How closely (0..1) the query matches the article's single most similar phrasing (title or alternate question):
 * the geometric mean of the share of the query the phrasing covers and the share of the phrasing the query covers.
 */
function phrasingSimilarity(kb: KnowledgeBase, groups: GroupTerms[], totalWeight: number, phrasings: Phrasing[]): number {
  let best = 0;
  for (const phrasing of phrasings) {
    let queryCovered = 0;
    let phrasingCovered = 0;
    const counted = new Set<string>();
    for (const group of groups) {
      let credit = 0;
      for (const { term, fuzzy } of group.terms) {
        if (!phrasing.terms.has(term)) continue;
        if (!counted.has(term)) {
          counted.add(term);
          phrasingCovered += kb.idf.get(term) ?? 0;
        }
        credit = Math.max(credit, fuzzy ? SEARCH_TUNING.fuzzyCredit : 1);
      }
      queryCovered += group.weight * credit;
    }
    if (counted.size === 0 || phrasing.weight <= 0) continue;
    best = Math.max(best, Math.sqrt((queryCovered / totalWeight) * (phrasingCovered / phrasing.weight)));
  }
  return best;
}

type MatchMetadata = Record<string, Record<string, unknown>>;

/** Credit (0..1) of one query group in one article, from where and how its words matched. */
function groupCredit(group: GroupTerms, metadata: MatchMetadata): number {
  let best = 0;
  for (const { term, fuzzy } of group.terms) {
    const fields = metadata[term];
    if (!fields) continue;
    const where = KEY_FIELDS.some((f) => f in fields) ? 1 : SEARCH_TUNING.bodyCredit;
    best = Math.max(best, where * (fuzzy ? SEARCH_TUNING.fuzzyCredit : 1));
  }
  return best;
}

function informativeMatch(groups: GroupTerms[], metadata: MatchMetadata): SearchHit['informative'] {
  const out = { matched: 0, matchedWeight: 0, missedWeight: 0, unknown: 0 };
  for (const g of groups) {
    // Scene-setting words of a story (boost below 1) and everyday words are judged elsewhere.
    // Task verbs ("put", "place") say what to do, not what about.
    if (g.boost < 1 || g.task || g.weight < SEARCH_TUNING.informativeIdf || g.weight === SEARCH_TUNING.offTopicWeight) continue;
    const credit = groupCredit(g, metadata);
    if (credit >= SEARCH_TUNING.fuzzyCredit) {
      out.matched++;
      out.matchedWeight += g.weight;
    } else if (credit === 0) out.missedWeight += g.weight;
    // Matched only by a near spelling of another word, or not at all: the article does not know the thing asked about.
    if (g.unknown && credit < 1) out.unknown++;
  }
  return out;
}

function byScore(a: SearchHit, b: SearchHit): number {
  return b.score - a.score || a.id.localeCompare(b.id);
}

/** The term query `search` runs for a normalized query (for the checks against lunr's own query). */
export function searchClauses(kb: KnowledgeBase, query: NormalizedQuery): TermClause[] {
  return clausesFor(resolveGroups(kb, query).filter((g) => g.terms.length > 0));
}

function clausesFor(searchable: GroupTerms[]): TermClause[] {
  const clauses: TermClause[] = [];
  for (const group of searchable) {
    const share = group.boost / Math.sqrt(group.terms.length);
    for (const { term, fuzzy } of group.terms) clauses.push({ term, boost: share * (fuzzy ? SEARCH_TUNING.fuzzyBoost : 1) });
  }
  return clauses;
}

/** A query's groups resolved for search: what every hit of it is scored against. */
interface Prepared {
  groups: GroupTerms[];
  searchable: GroupTerms[];
  totalWeight: number;
  clauses: TermClause[];
}

function prepareQuery(kb: KnowledgeBase, query: NormalizedQuery, options: SearchOptions): Prepared | undefined {
  const groups = resolveGroups(kb, query, options.groupFactors);
  const searchable = groups.filter((g) => g.terms.length > 0);
  if (searchable.length === 0) return undefined;
  const totalWeight = groups.reduce((sum, g) => sum + g.weight, 0) || 1;
  return { groups, searchable, totalWeight, clauses: clausesFor(searchable) };
}

/** One term match as a hit before the phrasing boost: its score weighted by coverage and role. */
function hitOf(kb: KnowledgeBase, { groups, totalWeight }: Prepared, options: SearchOptions, result: TermMatch): SearchHit {
  const w = SEARCH_TUNING.coverageWeight;
  const metadata = result.matched();
  const covered = groups.reduce((sum, g) => sum + g.weight * groupCredit(g, metadata), 0);
  const coverage = covered / totalWeight;
  const article = kb.byId.get(result.ref);
  const roleFactor =
    options.role && options.role !== 'other' && article && !article.roles.includes(options.role) && !article.roles.includes('everyone')
      ? SEARCH_TUNING.otherRoleFactor
      : 1;
  const score = result.score * (1 - w + w * coverage) * roleFactor;
  return { id: result.ref, score, coverage, similarity: 0, informative: informativeMatch(groups, metadata) };
}

/** A hit with the phrasing boost applied. */
function withPhrasing(kb: KnowledgeBase, { searchable, totalWeight }: Prepared, hit: SearchHit): SearchHit {
  const similarity = phrasingSimilarity(kb, searchable, totalWeight, cacheOf(kb).phrasings.get(hit.id) ?? []);
  return { ...hit, score: hit.score * (1 + SEARCH_TUNING.questionBoost * similarity), similarity };
}

/** Ranks articles for a normalized query. Never throws on user text: queries use lunr's term API. */
export function search(kb: KnowledgeBase, query: NormalizedQuery, options: SearchOptions = {}): SearchHit[] {
  const limit = options.limit ?? 5;
  const prepared = prepareQuery(kb, query, options);
  if (!prepared) return [];
  const depth = Math.max(limit, SEARCH_TUNING.rerankDepth);
  // Coverage and role factors are ≤ 1, so once raw scores fall below the depth-th adjusted score, stop (same results).
  const floor = new ScoreFloor(depth);
  const hits: SearchHit[] = [];
  const matches = termSearch(kb.index, prepared.clauses);
  for (let next = matches.next(); !next.done; next = matches.next()) {
    if (floor.excludes(next.value.score)) break;
    const hit = hitOf(kb, prepared, options, next.value);
    floor.add(hit.score);
    hits.push(hit);
  }
  // The phrasing boost at most doubles a score: re-ranking the leading hits is enough and keeps search cheap.
  hits.sort(byScore);
  return hits
    .slice(0, depth)
    .map((hit) => withPhrasing(kb, prepared, hit))
    .sort(byScore)
    .slice(0, limit);
}

/**
 * The hit of article `id` as `search` with no limit would give it (every match re-ranked), or undefined when the
 * article matches nothing. Scores that one article only: ranking every article of a large base to find one is slow.
 */
export function searchOne(kb: KnowledgeBase, query: NormalizedQuery, id: string, options: Omit<SearchOptions, 'limit'> = {}): SearchHit | undefined {
  const prepared = prepareQuery(kb, query, options);
  const match = prepared && termMatchOf(kb.index, prepared.clauses, id);
  return match && withPhrasing(kb, prepared, hitOf(kb, prepared, options, match));
}
