import lunr from 'lunr';
import { clinicalWordClass } from './intents.js';
import { applySynonyms, expandCaseSensitive, type SynonymMap, type TokenGroup } from './synonyms.js';
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
  'really', 'guys', 'hmm', 'um', 'uh', 'ugh', 'morning', 'tonight', 'right', 'ya', 'u', 'ur', 'r', 'pt', 'doing',
  'able', 'unable', 'there', 'here', 'happen', 'happened', 'happening', 'when', 'since', 'why', 'how', 'what', 'whats', 'where',
  'wheres', 'hows', 'which', 'who', 'does', 'do', 'did', 'is', 'are', 'was', 'be', 'been', 'am', 'the', 'a', 'an', 'my', 'me', 'i',
  'it', 'its', 'this', 'that', 'these', 'those', 'to', 'for', 'of', 'in', 'on', 'at', 'with', 'and', 'or', 'but', 'so', 'if',
  'just', 'also', 'got', 'get', 'gets', 'say', 'says', 'said', 'see', 'go', 'goes', 'went', 'come', 'make', 'made', 'ever',
  'via', 'from', 'into', 'onto', 'about', 'some', 'any', 'all', 'every', 'work', 'works', 'working', 'worked', 'anymore',
  'ago', 'already', 'yet', 'soon', 'lately', 'recently', 'suddenly', 'literally', 'totally', 'super', 'sooo', 'soo', 'very',
  'oops', 'lol', 'omg', 'idk', 'btw', 'fyi', 'asap', 'stat', 'urgent', 'urgently', 'quickly',
  'hr', 'hrs', 'min', 'mins', 'minute', 'minutes', 'sec', 'secs', 'second', 'seconds', 'day', 'days', 'wk', 'wks',
  'week', 'weeks', 'month', 'months', 'every', 'few', 'couple', 'bunch', 'lot', 'lots', 'times', 'weekend', 'weekends',
  'tomorrow', 'bleeding', 'crashing', 'screaming', 'seizing', 'coding',
]);

/**
 * Everyday topics outside EHR help (food, weather, sport, money, travel, shopping, pets, HR pay and leave).
 * Such a word makes a query off-topic even when its other words ("hours", "times", "menu") occur in articles.
 */
const OFF_TOPIC = new Set([
  'lunch', 'dinner', 'breakfast', 'food', 'cafeteria', 'cafe', 'coffee', 'pizza', 'recipe', 'restaurant', 'restaurants',
  'snack', 'snacks', 'vending', 'weather', 'snow', 'snowing', 'rain', 'raining', 'forecast', 'sunny', 'game', 'games',
  'football', 'baseball', 'basketball', 'soccer', 'hockey', 'playoffs', 'bowl', 'movie', 'movies', 'netflix', 'tv',
  'music', 'song', 'concert', 'tickets', 'taxes', 'tax', 'stock', 'stocks', 'lottery', 'bank', 'loan', 'mortgage',
  'bitcoin', 'crypto', 'flight', 'flights', 'hotel', 'airport', 'uber', 'taxi', 'parking', 'park', 'garage', 'car',
  'cars', 'traffic', 'dog', 'dogs', 'cat', 'cats', 'pet', 'pets', 'shopping', 'gift', 'amazon', 'pto', 'payroll',
  'paycheck', 'paystub', 'deposit', '401k', 'benefits', 'raise', 'salary', 'joke', 'jokes', 'birthday', 'wedding',
  'capital', 'everest', 'president', 'election', 'horoscope', 'dating', 'scrubs', 'gym', 'workout', 'conference', 'buy',
]);

/** True for a word about an everyday, non-EHR topic (see OFF_TOPIC). */
export function isOffTopicWord(token: string): boolean {
  return OFF_TOPIC.has(token);
}

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
  const groups = applySynonyms(tokenize(expandCaseSensitive(text, synonyms)).slice(0, 200), synonyms)
    .map(withWordClass)
    .map((g) => (g.expanded ? { ...g, terms: g.terms.filter((t) => !isFiller(t)) } : g))
    .filter((g) => g.terms.length > 0 && !(g.original.length === 1 && !g.expanded && isFiller(g.original[0])));
  return { text, tokens, groups: dedupeGroups(groups).slice(0, maxTokens) };
}

/** A drug or test name the synonyms do not know searches as its class ("medication", "lab result"). */
function withWordClass(group: TokenGroup): TokenGroup {
  if (group.expanded || group.original.length !== 1) return group;
  const wordClass = clinicalWordClass(group.original[0]);
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
