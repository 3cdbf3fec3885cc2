import lunr from 'lunr';

const MENTION = /<at\b[^>]*>[\s\S]*?<\/at>/gi;
const TAG = /<\/?[a-z][^>]*>/gi;
const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&nbsp;': ' ' };

/** Removes Teams `<at>` mentions, HTML tags and common entities; collapses whitespace. */
export function cleanText(text: string): string {
  return String(text ?? '')
    .replace(MENTION, ' ')
    .replace(TAG, ' ')
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (m) => ENTITIES[m] ?? ' ')
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Lower-cases and splits text into word tokens. Apostrophes are dropped ("can't" -> "cant"),
 * every other non-letter/digit is a separator, so lunr operators (: ^ ~ + - *) never survive.
 */
export function tokenize(text: string): string[] {
  return cleanText(text)
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/['\u2018\u2019`]/g, '')
    // A letter typed three times or more is emphasis, not spelling ("pleeease", "sooo").
    .replace(/(\p{L})\1{2,}/gu, '$1')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 0 && t.length <= 40);
}

const stemCache = new Map<string, string>();

/** The lunr (Porter) stem of a lower-cased word, as stored in the index; memoized. */
export function stem(word: string): string {
  let s = stemCache.get(word);
  if (s === undefined) {
    s = lunr.stemmer(new lunr.Token(word, {})).toString();
    if (stemCache.size > 200_000) stemCache.clear();
    stemCache.set(word, s);
  }
  return s;
}
