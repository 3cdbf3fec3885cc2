/**
 * Elbow's own term search over a lunr index's data. Same results as
 * `index.query(q => clauses.forEach(c => q.term(c.term, {usePipeline:false, boost})))`, bit for bit: same scores
 * (the same floating-point operations in the same order), same order, same matched terms and fields — checked
 * against lunr on every golden-set search by test/bench/search-tools.test.ts and scripts/bench/check-fast-query.ts.
 *
 * Why: lunr allocates a MatchData, a FieldRef and a Set per matching (term, field, document) and walks whole field
 * vectors. Here each term's postings are typed arrays of (document, weight), compiled once per index
 * (`compileTermIndex`); scores accumulate into a Float64Array, and results come out lazily, best first (a heap),
 * with their matched terms built only for the documents a caller looks at. The compiled form is term-index.ts.
 */
import type lunr from 'lunr';
import { termIndexOf, type TermIndex } from './term-index.js';

/** One term of the query: an index term (already stemmed) and its boost. */
export interface TermClause {
  term: string;
  boost: number;
}

/** Matched terms of one document: term -> field -> {} (lunr's matchData.metadata shape). */
export type MatchedTerms = Record<string, Record<string, object>>;

/** One matching document, in score order. */
export interface TermMatch {
  ref: string;
  score: number;
  /** The query terms this document matched, and in which fields. */
  matched(): MatchedTerms;
}

const NO_METADATA: object = Object.freeze(Object.create(null));

/**
 * Runs the term query and returns a lazy iterator over the matching documents, best first (ties in lunr's
 * order). Stopping early skips the ordering and match details of the rest.
 */
export function termSearch(index: lunr.Index, clauses: TermClause[]): Iterator<TermMatch> & { count: number } {
  const ti = termIndexOf(index);
  const fieldCount = ti.fields.length;
  const docCount = ti.docRefs.length;
  const { queryWeight, terms, byIndex, magnitude } = queryVectorOf(ti, clauses);
  const termCount = terms.length;

  // Pass 1, in lunr's order (terms as first queried, fields in index order, postings in order): which documents
  // match (first-seen order), in what order each document's fields were first seen, and which term matched where.
  const docSlot = new Int32Array(docCount).fill(-1);
  const docOrder: number[] = [];
  const fieldOrder = new Uint8Array(docCount * fieldCount);
  const fieldsSeen = new Uint8Array(docCount);
  const docFields = new Uint32Array(docCount);
  const matchedFields = new Uint32Array(docCount * Math.max(1, termCount));
  terms.forEach((term, t) => {
    const lists = ti.terms.get(term)!.postings;
    for (let f = 0; f < fieldCount; f++) {
      const { docs } = lists[f]!;
      const bit = 1 << f;
      for (let i = 0; i < docs.length; i++) {
        const d = docs[i]!;
        if (docSlot[d]! < 0) {
          docSlot[d] = docOrder.length;
          docOrder.push(d);
        }
        if (!(docFields[d]! & bit)) {
          docFields[d] = docFields[d]! | bit;
          fieldOrder[d * fieldCount + fieldsSeen[d]!++] = f;
        }
        matchedFields[d * termCount + t] = matchedFields[d * termCount + t]! | bit;
      }
    }
  });

  // Pass 2, terms in index order (the order lunr's dot product adds them): each document field's dot product.
  const dots = new Float64Array(docCount * fieldCount);
  for (const term of byIndex) {
    const entry = ti.terms.get(term)!;
    const q = queryWeight.get(entry.at)!;
    for (let f = 0; f < fieldCount; f++) {
      const { docs, weights } = entry.postings[f]!;
      for (let i = 0; i < docs.length; i++) dots[docs[i]! * fieldCount + f]! += q * weights[i]!;
    }
  }

  // Each document's score: its field scores added in first-seen field order, as lunr does.
  const scores = new Float64Array(docOrder.length);
  docOrder.forEach((d, slot) => {
    let score = 0;
    for (let k = 0; k < fieldsSeen[d]!; k++) {
      const fieldScore = dots[d * fieldCount + fieldOrder[d * fieldCount + k]!]! / magnitude || 0;
      score = k === 0 ? fieldScore : score + fieldScore;
    }
    scores[slot] = score;
  });

  const heap = new SlotHeap(scores);
  const matchedOf = (d: number): MatchedTerms => matchedTermsOf(ti, terms, (t) => matchedFields[d * termCount + t]!);
  return {
    count: docOrder.length,
    next(): IteratorResult<TermMatch> {
      const slot = heap.pop();
      if (slot < 0) return { done: true, value: undefined };
      const d = docOrder[slot]!;
      return { done: false, value: { ref: ti.docRefs[d]!, score: scores[slot]!, matched: () => matchedOf(d) } };
    },
  };
}

/** The query vector (lunr gives every field the same one): term index -> summed boost, in clause order. */
interface QueryVector {
  queryWeight: Map<number, number>;
  /** The clauses' index terms, first-queried order (lunr's order of matching). */
  terms: string[];
  /** The same terms in index order (the order lunr's dot product adds them). */
  byIndex: string[];
  magnitude: number;
}

function queryVectorOf(ti: TermIndex, clauses: TermClause[]): QueryVector {
  const queryWeight = new Map<number, number>();
  const terms: string[] = [];
  for (const { term, boost } of clauses) {
    const entry = ti.terms.get(term);
    if (!entry) continue;
    const before = queryWeight.get(entry.at);
    queryWeight.set(entry.at, before === undefined ? boost : before + boost);
    if (!terms.includes(term)) terms.push(term);
  }
  const byIndex = [...terms].sort((a, b) => ti.terms.get(a)!.at - ti.terms.get(b)!.at);
  let sumOfSquares = 0;
  for (const t of byIndex) {
    const v = queryWeight.get(ti.terms.get(t)!.at)!;
    sumOfSquares += v * v;
  }
  return { queryWeight, terms, byIndex, magnitude: Math.sqrt(sumOfSquares) };
}

/** Matched terms of one document from its bit set of fields per query term (`bitsOf(t)`, t in `terms` order). */
function matchedTermsOf(ti: TermIndex, terms: string[], bitsOf: (t: number) => number): MatchedTerms {
  const metadata: MatchedTerms = Object.create(null);
  terms.forEach((term, t) => {
    const bits = bitsOf(t);
    if (bits === 0) return;
    const byField: Record<string, object> = Object.create(null);
    for (let f = 0; f < ti.fields.length; f++) if (bits & (1 << f)) byField[ti.fields[f]!] = NO_METADATA;
    metadata[term] = byField;
  });
  return metadata;
}

/**
 * The match of one document (`ref`) for the term query, exactly as `termSearch` would yield it (same score, same
 * matched terms), or undefined when it matches no clause. Scores that one document only: for a caller that needs one
 * article's hit, ranking every match of a 10,000-article base costs milliseconds.
 */
export function termMatchOf(index: lunr.Index, clauses: TermClause[], ref: string): TermMatch | undefined {
  const ti = termIndexOf(index);
  const d = ti.docRefs.indexOf(ref);
  if (d < 0) return undefined;
  const fieldCount = ti.fields.length;
  const { queryWeight, terms, byIndex, magnitude } = queryVectorOf(ti, clauses);
  // As termSearch's pass 1 for this document: fields in first-seen order, matched fields per term.
  const fieldOrder: number[] = [];
  const bits = terms.map((term) => {
    let termBits = 0;
    ti.terms.get(term)!.postings.forEach(({ docs }, f) => {
      if (!docs.includes(d)) return;
      termBits |= 1 << f;
      if (!fieldOrder.includes(f)) fieldOrder.push(f);
    });
    return termBits;
  });
  if (fieldOrder.length === 0) return undefined;
  // As pass 2: each field's dot product, terms in index order (a document appears at most once per posting list).
  const dots = new Float64Array(fieldCount);
  for (const term of byIndex) {
    const entry = ti.terms.get(term)!;
    const q = queryWeight.get(entry.at)!;
    entry.postings.forEach(({ docs, weights }, f) => {
      const i = docs.indexOf(d);
      if (i >= 0) dots[f]! += q * weights[i]!;
    });
  }
  let score = 0;
  fieldOrder.forEach((f, k) => {
    const fieldScore = dots[f]! / magnitude || 0;
    score = k === 0 ? fieldScore : score + fieldScore;
  });
  return { ref, score, matched: () => matchedTermsOf(ti, terms, (t) => bits[t]!) };
}

/** Every match, lunr-shaped ({ref, score, matchData.metadata}), best first: for the checks against lunr. */
export function termQuery(index: lunr.Index, clauses: TermClause[]): lunr.Index.Result[] {
  const results: lunr.Index.Result[] = [];
  const it = termSearch(index, clauses);
  for (let r = it.next(); !r.done; r = it.next()) {
    results.push({ ref: r.value.ref, score: r.value.score, matchData: { metadata: r.value.matched() } as unknown as lunr.MatchData });
  }
  return results;
}

/** A binary heap of slots, highest score first, then lowest slot (lunr's stable sort of first-seen order). */
class SlotHeap {
  readonly #heap: Int32Array;
  #size: number;

  constructor(private readonly scores: Float64Array) {
    this.#size = scores.length;
    this.#heap = new Int32Array(this.#size);
    for (let i = 0; i < this.#size; i++) this.#heap[i] = i;
    for (let i = (this.#size >> 1) - 1; i >= 0; i--) this.#down(i);
  }

  /** The best remaining slot, or -1. */
  pop(): number {
    if (this.#size === 0) return -1;
    const top = this.#heap[0]!;
    this.#heap[0] = this.#heap[--this.#size]!;
    this.#down(0);
    return top;
  }

  #before(a: number, b: number): boolean {
    const sa = this.scores[a]!;
    const sb = this.scores[b]!;
    return sa > sb || (sa === sb && a < b);
  }

  #down(i: number): void {
    const h = this.#heap;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.#size) return;
      const r = l + 1;
      const best = r < this.#size && this.#before(h[r]!, h[l]!) ? r : l;
      if (!this.#before(h[best]!, h[i]!)) return;
      [h[i], h[best]] = [h[best]!, h[i]!];
      i = best;
    }
  }
}
