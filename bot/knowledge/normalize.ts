import lunr from 'lunr';
import { clinicalWordClass } from './intents.js';
import { defaultPolicy, type Policy } from './policy.js';
import { applySynonyms, expandCaseSensitive, type SynonymMap, type TokenGroup } from './synonyms.js';
import { cleanText, tokenize } from './tokenize.js';

/** True for a word about an everyday, non-EHR topic (knowledge/policy/off-topic.yml). */
export function isOffTopicWord(token: string, policy: Policy = defaultPolicy()): boolean {
  return policy.offTopic.has(token);
}

function isFiller(token: string, policy: Policy): boolean {
  return policy.filler.has(token) || (lunr.stopWordFilter(token as unknown as lunr.Token) as unknown) === undefined;
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

/**
 * Normalizes raw user text: strips mentions and HTML, lower-cases, expands synonyms, drops filler (the policy's
 * filler words). `respell` (see spelling.ts) may replace unknown words by the knowledge base's own before synonyms apply.
 */
export function normalize(
  raw: string,
  synonyms: SynonymMap,
  maxTokens = 40,
  policy: Policy = defaultPolicy(),
  respell: (tokens: string[]) => string[] = (t) => t,
): NormalizedQuery {
  const text = cleanText(raw);
  const tokens = tokenize(text).slice(0, 200);
  const groups = applySynonyms(respell(tokenize(expandCaseSensitive(text, synonyms)).slice(0, 200)), synonyms)
    .map((g) => withWordClass(g, policy))
    .map((g) => (g.expanded ? { ...g, terms: g.terms.filter((t) => !isFiller(t, policy)) } : g))
    .filter((g) => g.terms.length > 0 && !(g.original.length === 1 && !g.expanded && isFiller(g.original[0], policy)));
  return { text, tokens, groups: dedupeGroups(groups).slice(0, maxTokens) };
}

/** A drug or test name the synonyms do not know searches as its class ("medication", "lab result"). */
function withWordClass(group: TokenGroup, policy: Policy): TokenGroup {
  if (group.expanded || group.original.length !== 1) return group;
  const wordClass = clinicalWordClass(group.original[0], policy);
  return wordClass ? { original: group.original, terms: [group.original[0], ...wordClass], expanded: true } : group;
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
