import fs from 'node:fs';
import lunr from 'lunr';
import wordListPath from 'word-list';
import type { KnowledgeBase } from './knowledge-base.js';
import { tokenize } from './tokenize.js';

/**
 * Spelling correction against the knowledge base's own vocabulary (the words of its articles and synonyms), SymSpell
 * style: every dictionary word's single-letter deletions are indexed once per knowledge base, so a lookup costs a
 * few map reads. Only words the knowledge base does not know are corrected; real English words (the word-list
 * package), filler and off-topic words are left alone, and a correction must be within one edit (two for
 * long words), transpositions counting as one. The policy's vocabularies (drug and lab names) count as known words.
 */

/** Shortest word corrected: shorter ones are too often acronyms one letter from another ("pacu" / "pacs"). */
const MIN_LENGTH = 5;

/**
 * Shorter words, from this length, are corrected only for two neighbouring letters typed in the wrong order ("scna",
 * "odrer" is long enough anyway), and only to one knowledge-base word that is also plain English: an acronym one
 * letter from another stays what it is, while a thumb that hit two keys in the wrong order is the commonest phone typo.
 */
const MIN_TRANSPOSED_LENGTH = 4;

let english: Set<string> | undefined;

/** The English word list, read once (about 275,000 words). */
function englishWords(): Set<string> {
  english ??= new Set(fs.readFileSync(wordListPath, 'utf8').split('\n'));
  return english;
}
/** True for a word of the English word list (spelling correction leaves such words alone). */
export function isEnglishWord(word: string): boolean {
  return englishWords().has(word);
}

interface Speller {
  /** Known word -> how often it occurs (ties go to the commoner word). */
  counts: Map<string, number>;
  /** A word with one letter deleted -> the dictionary words it comes from. */
  deletes: Map<string, string[]>;
  /** Every pair of neighbouring words in the articles ("wont sign"), for real words typed in place of another. */
  pairs: Set<string>;
}

const spellers = new WeakMap<KnowledgeBase, Speller>();

function spellerOf(kb: KnowledgeBase): Speller {
  let speller = spellers.get(kb);
  if (speller) return speller;
  const counts = new Map<string, number>();
  const pairs = new Set<string>();
  const add = (text: string) => {
    for (const t of tokenize(text)) if (/^\p{L}+$/u.test(t)) counts.set(t, (counts.get(t) ?? 0) + 1);
  };
  const addPairs = (text: string) => {
    const tokens = tokenize(text);
    for (let i = 1; i < tokens.length; i++) pairs.add(`${tokens[i - 1]} ${tokens[i]}`);
  };
  for (const a of kb.articles) {
    [a.title, ...a.questions, ...a.tags, a.body].forEach(add);
    [a.title, ...a.questions].forEach(addPairs);
  }
  for (const rules of kb.synonyms.byFirstToken.values()) for (const r of rules) add([...r.phrase, ...r.expansion].join(' '));
  add([...kb.policy.vocabularyWords].join(' '));
  const deletes = new Map<string, string[]>();
  for (const word of counts.keys()) {
    if (word.length < 4) continue;
    for (const d of deletionsOf(word)) {
      const list = deletes.get(d);
      if (list) list.push(word);
      else deletes.set(d, [word]);
    }
  }
  speller = { counts, deletes, pairs };
  spellers.set(kb, speller);
  return speller;
}

function deletionsOf(word: string): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i < word.length; i++) out.add(word.slice(0, i) + word.slice(i + 1));
  return out;
}

/** Damerau-Levenshtein distance (optimal string alignment), stopping early past `max`. */
export function editDistance(a: string, b: string, max = 2): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) rows.push([i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) rows[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    let rowMin = Infinity;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, rows[i - 2][j - 2] + 1);
      rows[i][j] = v;
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return max + 1;
  }
  return rows[a.length][b.length];
}

/** The knowledge base's word closest to `word`, or undefined when it is known, too short or nothing is close. */
function correctionOf(speller: Speller, word: string): string | undefined {
  const max = word.length >= 8 ? 2 : 1;
  const candidates = new Set<string>();
  for (const probe of [word, ...deletionsOf(word)]) {
    if (speller.counts.has(probe) && probe !== word) candidates.add(probe);
    for (const w of speller.deletes.get(probe) ?? []) candidates.add(w);
  }
  let best: { word: string; distance: number; count: number } | undefined;
  for (const c of candidates) {
    const distance = editDistance(word, c, max);
    if (distance > max) continue;
    const count = speller.counts.get(c) ?? 0;
    if (!best || distance < best.distance || (distance === best.distance && count > best.count)) best = { word: c, distance, count };
  }
  return best?.word;
}

/** Every other word `word` becomes when two neighbouring letters are swapped ("scna" -> "csna", "snca", "scan"). */
function swapsOf(word: string): string[] {
  const swaps: string[] = [];
  for (let i = 0; i + 1 < word.length; i++) {
    const swapped = word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
    if (swapped !== word) swaps.push(swapped);
  }
  return swaps;
}

/** The one swap of `word` (swapsOf) that `accept` takes, when exactly one is. */
function onlySwap(word: string, accept: (swapped: string) => boolean): string | undefined {
  const found = new Set(swapsOf(word).filter(accept));
  return found.size === 1 ? [...found][0] : undefined;
}

/**
 * True for a word spelling correction may look at: a plain word of four letters or more that the knowledge base does
 * not know and that no vocabulary, filler, everyday or stop-word list holds. English words among them are changed only
 * on an article's evidence (realWordSwap), the rest by edit distance.
 */
function unknownWord(kb: KnowledgeBase, speller: Speller, word: string): boolean {
  return (
    word.length >= MIN_TRANSPOSED_LENGTH &&
    /^\p{L}+$/u.test(word) &&
    !speller.counts.has(word) &&
    !kb.policy.vocabularyWords.has(word) &&
    !kb.policy.filler.has(word) &&
    !kb.policy.offTopic.has(word) &&
    (lunr.stopWordFilter(word as unknown as lunr.Token) as unknown) !== undefined
  );
}

/**
 * A real English word the articles never use, typed for one they do by swapping two neighbouring letters ("the order
 * wont sing"): corrected only when the article word it becomes stands next to the same neighbour in an article's
 * title or questions ("wont sign"), so an English word is changed on the knowledge base's evidence, never on its own.
 */
function realWordSwap(speller: Speller, tokens: string[], i: number): string | undefined {
  return onlySwap(tokens[i], (swapped) =>
    speller.counts.has(swapped) &&
    ((i > 0 && speller.pairs.has(`${tokens[i - 1]} ${swapped}`)) || (i + 1 < tokens.length && speller.pairs.has(`${swapped} ${tokens[i + 1]}`))),
  );
}

/** Replaces each misspelled token by the knowledge base's closest word (tokens as from tokenize()). */
export function respell(kb: KnowledgeBase, tokens: string[]): string[] {
  const speller = spellerOf(kb);
  return tokens.map((t, i) => {
    if (!unknownWord(kb, speller, t)) return t;
    if (englishWords().has(t)) return realWordSwap(speller, tokens, i) ?? t;
    // Four letters: only two swapped neighbours, and only to a plain English word (not another acronym).
    const corrected = t.length < MIN_LENGTH ? onlySwap(t, (w) => speller.counts.has(w) && englishWords().has(w)) : correctionOf(speller, t);
    return corrected ?? t;
  });
}
