import { focusWords } from './focus.js';
import type { KnowledgeBase } from './knowledge-base.js';
import type { NormalizedQuery } from './normalize.js';
import type { SearchHit } from './search.js';
import { respell } from './spelling.js';
import { tokenize } from './tokenize.js';

/** Tuning of long, story-style messages; checked by word-count bucket on every set (kb:eval --by-length). */
export const STORY_TUNING = {
  /** Messages of at least this many words are read as a story: the problem clause gets the weight. */
  storyWords: 15,
  /** Weight factor of a word found only in scene-setting clauses. */
  sceneFactor: 0.35,
  /** A story is answered with its top article when that scores at least this many times the runner-up... */
  storyLead: 1.6,
  /** ...and covers at least this share of the (focus-weighted) query. */
  storyCoverage: 0.28,
  /**
   * A story with a problem clause and that lead needs only this coverage: its scene words are already discounted, and
   * the problem clause is usually paraphrased ("it just spins", "they never got it"), so even the right article covers
   * little of it. Checked blind-8 → blind-7 (docs/quality.md, round q12h): 0.18 loses one answer, 0.1 adds a wrong one.
   */
  focusedCoverage: 0.15,
  /** A long message with no separate problem clause needs this wider lead (its scene words were not discounted). */
  unfocusedLead: 2,
  /** ...and at least this many informative (rare) query words in its title, questions or tags. */
  unfocusedInformative: 2,
  /**
   * A story whose top article has a title or alternate question at least this similar to it (0..1)...
   */
  phrasingSimilarity: 0.38,
  /** ...and that much more similar than the best phrasing of every other leading hit is answered with it. */
  phrasingLead: 0.08,
  /**
   * A focused story whose top article leads by this much and whose own phrasing is also the closest of the top three
   * is answered: two independent signals agree. Checked blind-8 → blind-7 / blind-5 (docs/quality.md, round q12h):
   * 1.1 to 1.2 give the same four answers, 1.0 answers wrongly.
   */
  agreeingLead: 1.15,
};

/**
 * True when a story's top hit is a clear first candidate: a long message always leaves scene words unmatched, so
 * its coverage stays low even for the right article; a wide score lead is the evidence instead of asking.
 */
export function clearStoryLead(hits: SearchHit[], focused = true): boolean {
  const [top, second] = hits;
  if (!top) return false;
  const leads = !second || top.score >= second.score * (focused ? STORY_TUNING.storyLead : STORY_TUNING.unfocusedLead);
  if (focused && leads && top.coverage >= STORY_TUNING.focusedCoverage) return true;
  if (top.coverage < STORY_TUNING.storyCoverage) return false;
  if (phrasingLeads(hits)) return true;
  if (focused && closestOfTopThree(hits) && (!second || top.score >= second.score * STORY_TUNING.agreeingLead)) return true;
  // Without a focus clause the lead alone could rest on one shared rare word ("report"): it needs two.
  if (!focused && top.informative.matched < STORY_TUNING.unfocusedInformative) return false;
  return leads;
}

/** True when a message is long enough to be read as a story. */
export function isStory(query: NormalizedQuery): boolean {
  return query.tokens.length >= STORY_TUNING.storyWords;
}

/**
 * Per-group weight factors for a long message (see focus.ts): 1 for words of the clauses that state the problem,
 * STORY_TUNING.sceneFactor for words only in scene-setting. Undefined for short messages or without a clear focus.
 */
export function storyFactors(kb: KnowledgeBase, text: string, query: NormalizedQuery): number[] | undefined {
  if (!isStory(query)) return undefined;
  const focus = focusWords(text, kb.policy);
  if (!focus) return undefined;
  // The groups hold respelled words: respell the focus words the same way.
  const words = new Set([...focus, ...respell(kb, [...focus])]);
  for (const w of [...words]) for (const t of tokenize(w)) words.add(t);
  return query.groups.map((g) => (g.original.some((t) => words.has(t)) ? 1 : STORY_TUNING.sceneFactor));
}

/**
 * The top article is also the one whose own phrasing (title or an alternate question) the message resembles most, by
 * a clear step (STORY_TUNING.phrasingLead over the other leading hits): scores of a long message are close because
 * scene words match everywhere, but the curated phrasings still tell which article the problem is about.
 */
export function phrasingLeads(hits: SearchHit[], minSimilarity = STORY_TUNING.phrasingSimilarity): boolean {
  const top = hits[0];
  return Boolean(top) && top.similarity >= minSimilarity && phrasingAheadBy(top, hits.slice(0, 3), STORY_TUNING.phrasingLead);
}

/**
 * True when `best`'s closest title or alternate question (its similarity) is at least `step` closer to the message
 * than that of every other hit in `hits`. One check for every "the curated phrasing tells" rule: stories (top three,
 * STORY_TUNING.phrasingLead), near word-for-word phrasings (DECISION_TUNING.phrasingMatchLead), ties (step 0).
 */
export function phrasingAheadBy(best: SearchHit, hits: SearchHit[], step: number): boolean {
  return hits.every((h) => h === best || best.similarity - h.similarity >= step);
}

/** The top hit's best title or alternate question is at least as close to the message as any other of the top three. */
function closestOfTopThree(hits: SearchHit[]): boolean {
  const top = hits[0];
  return Boolean(top) && phrasingAheadBy(top, hits.slice(0, 3), 0);
}
