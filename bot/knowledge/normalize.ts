import lunr from 'lunr';
import { applySynonyms, type SynonymMap, type TokenGroup } from './synonyms.js';
import { cleanText, tokenize } from './tokenize.js';

/**
 * Words that carry no topic in a help question. Besides lunr's English stop words: chat filler,
 * negations and generic complaint words that appear in every kind of question.
 */
const FILLER = new Set([
  'hi', 'hello', 'hey', 'yo', 'please', 'pls', 'plz', 'thanks', 'thank', 'thx', 'ty', 'help', 'helps', 'need', 'needs', 'want',
  'im', 'ive', 'id', 'ill', 'cant', 'wont', 'dont', 'doesnt', 'didnt', 'isnt', 'arent', 'wasnt', 'havent', 'couldnt', 'shouldnt',
  'keep', 'keeps', 'kept', 'still', 'now', 'today', 'anyone', 'know', 'trying', 'tried', 'try', 'issue', 'issues', 'problem',
  'problems', 'getting', 'use', 'using', 'ok', 'okay', 'again', 'one', 'going', 'way', 'something', 'anything', 'thing', 'things',
  'really', 'guys', 'hmm', 'um', 'uh', 'ugh', 'morning', 'tonight', 'yesterday', 'right', 'ya', 'u', 'ur', 'r', 'pt', 'doing',
  'able', 'unable', 'there', 'here', 'happen', 'happened', 'happening', 'when', 'since', 'why', 'how', 'what', 'whats', 'where',
  'wheres', 'hows', 'which', 'who', 'does', 'do', 'did', 'is', 'are', 'was', 'be', 'been', 'am', 'the', 'a', 'an', 'my', 'me', 'i',
  'it', 'its', 'this', 'that', 'these', 'those', 'to', 'for', 'of', 'in', 'on', 'at', 'with', 'and', 'or', 'but', 'so', 'if',
  'just', 'also', 'got', 'get', 'gets', 'say', 'says', 'said', 'see', 'go', 'goes', 'went', 'come', 'make', 'made', 'ever',
  'via', 'from', 'into', 'onto', 'about', 'some', 'any', 'all', 'every', 'work', 'works', 'working', 'worked', 'anymore',
]);

function isFiller(token: string): boolean {
  return FILLER.has(token) || (lunr.stopWordFilter(token as unknown as lunr.Token) as unknown) === undefined;
}

/** A user question after normalization: the token groups search will look for. */
export interface NormalizedQuery {
  /** The text after mention/HTML stripping (for display and logging after redaction). */
  text: string;
  /** All tokens the user typed, lower-cased. */
  tokens: string[];
  /** Topic-bearing groups: a user token (or phrase) with its synonym expansions, filler removed. */
  groups: TokenGroup[];
}

/** Normalizes raw user text: strips mentions and HTML, lower-cases, expands synonyms, drops filler. */
export function normalize(raw: string, synonyms: SynonymMap, maxTokens = 40): NormalizedQuery {
  const text = cleanText(raw);
  const tokens = tokenize(text).slice(0, 200);
  const groups = applySynonyms(tokens, synonyms)
    .map((g) => (g.expanded ? { ...g, terms: g.terms.filter((t) => !isFiller(t)) } : g))
    .filter((g) => g.terms.length > 0 && !(g.original.length === 1 && !g.expanded && isFiller(g.original[0])));
  return { text, tokens, groups: dedupeGroups(groups).slice(0, maxTokens) };
}

function dedupeGroups(groups: TokenGroup[]): TokenGroup[] {
  const seen = new Set<string>();
  return groups.filter((g) => {
    const key = g.terms.join(' ');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
