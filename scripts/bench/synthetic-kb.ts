/**
 * Synthetic knowledge bases for the benchmark: N articles generated from the real ones by varying
 * words, so the index has realistic term statistics (shared clinical words, synonym variants, a long
 * tail of rarer words) at 1,000 or 10,000 articles. Deterministic for a given seed.
 */
import type { Article } from '../../bot/knowledge/article.js';
import { parseBody } from '../../bot/knowledge/body.js';
import type { SynonymMap } from '../../bot/knowledge/synonyms.js';
import { seededRandom } from './stats.js';

/** Options for `syntheticArticles`. */
export interface SyntheticOptions {
  /** Total articles, the real ones included (they come first, unchanged, so golden questions still find them). */
  count: number;
  seed?: number;
  /** Share of words replaced in title, questions and tags (default 0.3). */
  shortFieldRate?: number;
  /** Share of words replaced in the body (default 0.15). */
  bodyRate?: number;
}

const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ra', 'tu', 'vi', 'so', 'de', 'ph', 'an', 'ex', 'or', 'ul', 'im', 'ber', 'cor', 'dal', 'fen', 'gra'];

/** The i-th pseudo word: a pronounceable made-up term (a product, unit or form name). */
function pseudoWord(i: number): string {
  let n = i + SYLLABLES.length;
  let word = '';
  while (n > 0) {
    word += SYLLABLES[n % SYLLABLES.length];
    n = Math.floor(n / SYLLABLES.length);
  }
  return word;
}

/** Builds the word sources: the real articles' words and, per article word, the user phrases the synonym list maps to it. */
function vocabularyOf(real: Article[], synonyms: SynonymMap): { words: string[]; userPhrases: Map<string, string[]> } {
  const words = new Set<string>();
  for (const a of real) {
    for (const text of [a.title, ...a.questions, ...a.tags, a.body]) {
      for (const w of text.toLowerCase().match(/[a-z]{3,}/g) ?? []) words.add(w);
    }
  }
  const userPhrases = new Map<string, string[]>();
  for (const rules of synonyms.byFirstToken.values()) {
    for (const rule of rules) {
      for (const ours of rule.expansion) {
        const list = userPhrases.get(ours) ?? [];
        list.push(rule.phrase.join(' '));
        userPhrases.set(ours, list);
      }
    }
  }
  return { words: [...words].sort(), userPhrases };
}

/** Generates `count` articles: the real ones, then variants of them with new ids and varied words. */
export function syntheticArticles(real: Article[], synonyms: SynonymMap, options: SyntheticOptions): Article[] {
  const random = seededRandom(options.seed ?? 42);
  const shortRate = options.shortFieldRate ?? 0.3;
  const bodyRate = options.bodyRate ?? 0.15;
  const { words, userPhrases } = vocabularyOf(real, synonyms);
  // The long tail grows with the knowledge base, as a real one's vocabulary does (products, units, forms).
  const pseudoPool = Math.max(1000, 3 * options.count);
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
  const replacement = (word: string): string => {
    const r = random();
    const phrases = userPhrases.get(word.toLowerCase());
    if (phrases && r < 0.5) return pick(phrases);
    if (r < 0.75) return pick(words);
    return pseudoWord(Math.floor(pseudoPool * random() ** 3));
  };
  const vary = (text: string, rate: number) =>
    text
      .split('\n')
      .map((line) => (/^\s*#/.test(line) ? line : line.replace(/[A-Za-z]{3,}/g, (w) => (random() < rate ? replacement(w) : w))))
      .join('\n');

  const articles = real.slice(0, options.count).map((a) => ({ ...a }));
  for (let i = articles.length; i < options.count; i++) {
    const base = real[i % real.length];
    const variant = Math.floor(i / real.length);
    const marker = pseudoWord(Math.floor(pseudoPool * random()));
    const id = `${base.id}-s${variant}`;
    const body = vary(base.body, bodyRate);
    const parsed = parseBody(body);
    articles.push({
      ...base,
      id,
      title: `${vary(base.title, shortRate)} in ${marker}`.slice(0, 120),
      questions: base.questions.map((q) => vary(q, shortRate)),
      tags: [...base.tags.map((t) => vary(t, shortRate)), marker],
      body,
      quickAnswer: parsed.quickAnswer || base.quickAnswer,
      steps: parsed.steps.length > 0 ? parsed.steps : base.steps,
      roleSections: parsed.roleSections,
      stillStuck: parsed.stillStuck,
      file: `synthetic/${id}.md`,
    });
  }
  return articles;
}
