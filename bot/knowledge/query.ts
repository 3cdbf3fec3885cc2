import type { KnowledgeBase } from './knowledge-base.js';
import { normalize, type NormalizedQuery } from './normalize.js';
import { respell } from './spelling.js';
import { storyFactors } from './story.js';

/** A message as search and the learned article ranking see it: one pipeline for decide() and for kb:calibrate. */
export interface ReadQuery {
  query: NormalizedQuery;
  /** The words searched after spelling correction, when a word was corrected. */
  corrected?: string[];
  /** Per-group weights of a long message (story.ts); undefined for short ones or without a clear focus. */
  groupFactors?: number[];
}

/** Normalizes a message against the knowledge base: spelling corrected, synonyms expanded, story weights found. */
export function readQuery(kb: KnowledgeBase, text: string): ReadQuery {
  let corrected: string[] | undefined;
  const query = normalize(text, kb.synonyms, 40, kb.policy, (tokens) => {
    const respelled = respell(kb, tokens);
    if (respelled.some((t, i) => t !== tokens[i])) corrected = respelled;
    return respelled;
  });
  const groupFactors = storyFactors(kb, text, query);
  return { query, ...(corrected ? { corrected } : {}), ...(groupFactors ? { groupFactors } : {}) };
}
