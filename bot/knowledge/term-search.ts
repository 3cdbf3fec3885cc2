/**
 * Elbow's own term search over a lunr index's data. Same results as
 * `index.query(q => clauses.forEach(c => q.term(c.term, {usePipeline:false, boost})))`, bit for bit: same scores
 * (the same floating-point operations in the same order), same order, same matched terms and fields — checked
 * against lunr on every golden-set search by test/bench/search-tools.test.ts and scripts/bench/check-fast-query.ts.
 *
 * Why: lunr allocates a MatchData, a FieldRef and a Set per matching (term, field, document) and walks whole field
 * vectors. Here each term's postings are typed arrays of (document, weight), compiled once per index
 * (`compileTermIndex`); scores accumulate into a Float64Array, and results come out lazily, best first (a heap),
 * with their matched terms built only for the documents a caller looks at. After compiling, lunr's own postings
 * can be dropped (`compactLunrIndex`) to save memory.
 */
import type lunr from 'lunr';

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

interface LunrInternals {
  invertedIndex: Record<string, Record<string, unknown> & { _index: number }>;
  fieldVectors: Record<string, { elements: number[] }>;
  fields: string[];
}

/** One field's postings of one term: document ordinals in lunr's posting order, and the field-vector weight. */
export interface FieldPostings {
  docs: Int32Array;
  weights: Float64Array;
}

/** What the search reads: fields, documents, and per term its lunr term index and postings per field. */
export interface TermIndex {
  fields: string[];
  docRefs: string[];
  terms: Map<string, { at: number; postings: FieldPostings[] }>;
}

const compiled = new WeakMap<lunr.Index, TermIndex>();
const NO_METADATA: object = Object.freeze(Object.create(null));

/** The weight of term index `termIndex` in a field vector (lunr's elements: [index, value, index, value, ...]). */
function weightIn(elements: number[], termIndex: number): number {
  let lo = 0;
  let hi = elements.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const at = elements[mid * 2]!;
    if (at === termIndex) return elements[mid * 2 + 1]!;
    if (at < termIndex) lo = mid + 1;
    else hi = mid - 1;
  }
  return Number.NaN;
}

/** Compiles (once per index) every term's postings into typed arrays; call before `compactLunrIndex`. */
export function compileTermIndex(index: lunr.Index): void {
  if (compiled.has(index)) return;
  const lunrData = index as unknown as LunrInternals;
  const docRefs: string[] = [];
  const ordinal = new Map<string, number>();
  for (const fieldRef of Object.keys(lunrData.fieldVectors)) {
    const docRef = fieldRef.slice(fieldRef.indexOf('/') + 1);
    if (!ordinal.has(docRef)) {
      ordinal.set(docRef, docRefs.length);
      docRefs.push(docRef);
    }
  }
  const terms = new Map<string, { at: number; postings: FieldPostings[] }>();
  for (const [term, posting] of Object.entries(lunrData.invertedIndex)) {
    const postings = lunrData.fields.map((field) => {
      const refs = Object.keys(posting[field] as object);
      const docs = new Int32Array(refs.length);
      const weights = new Float64Array(refs.length);
      refs.forEach((ref, i) => {
        docs[i] = ordinal.get(ref)!;
        weights[i] = weightIn(lunrData.fieldVectors[`${field}/${ref}`]!.elements, posting._index);
      });
      return { docs, weights };
    });
    terms.set(term, { at: posting._index, postings });
  }
  compiled.set(index, { fields: [...lunrData.fields], docRefs, terms });
}

const onCompact = new WeakMap<lunr.Index, () => void>();

/**
 * Registers postings built together with the index (lunr-builder.ts), exactly what compileTermIndex would make,
 * and what to release when the index is compacted (the builder's data, kept until then for saving).
 */
export function adoptTermIndex(index: lunr.Index, termIndex: TermIndex, release: () => void): void {
  compiled.set(index, termIndex);
  onCompact.set(index, release);
}

/**
 * Per term (in the index's term order): how many documents have it in a field other than `field`, and how many
 * only in `field`. Reads the compiled postings, so it works on compacted indexes too.
 */
export function forEachTermSpread(index: lunr.Index, field: string, each: (term: string, elsewhere: number, only: number) => void): void {
  const ti = termIndexOf(index);
  const target = ti.fields.indexOf(field);
  const mark = new Int32Array(ti.docRefs.length).fill(-1);
  let stamp = 0;
  for (const [term, { postings }] of ti.terms) {
    stamp++;
    let elsewhere = 0;
    postings.forEach(({ docs }, f) => {
      if (f === target) return;
      for (let i = 0; i < docs.length; i++) {
        if (mark[docs[i]!] !== stamp) {
          mark[docs[i]!] = stamp;
          elsewhere++;
        }
      }
    });
    let only = 0;
    const own = postings[target]?.docs ?? new Int32Array(0);
    for (let i = 0; i < own.length; i++) if (mark[own[i]!] !== stamp) only++;
    each(term, elsewhere, only);
  }
}

/**
 * Drops lunr's per-document postings and field vectors (most of an index's memory), keeping each term's entry
 * for the vocabulary. Afterwards only `termSearch` answers on this index: lunr's `query` and `toJSON` do not,
 * so save the index before compacting it.
 */
export function compactLunrIndex(index: lunr.Index): void {
  const lunrData = index as unknown as LunrInternals;
  // From the compiled terms (same keys, same order), so that an index whose postings are made on first read
  // (lunr-builder.ts) never makes them.
  const compact: LunrInternals['invertedIndex'] = Object.create(null);
  for (const [term, { at }] of termIndexOf(index).terms) compact[term] = { _index: at } as LunrInternals['invertedIndex'][string];
  lunrData.invertedIndex = compact;
  lunrData.fieldVectors = {};
  onCompact.get(index)?.();
  onCompact.delete(index);
  const refuse = () => {
    throw new Error('this index was compacted for search (term-search.ts): save it before compactLunrIndex');
  };
  Object.assign(index, { query: refuse, toJSON: refuse });
}

/** The compiled postings of an index (compiled on first use): what search reads and the index file stores. */
export function termIndexOf(index: lunr.Index): TermIndex {
  compileTermIndex(index);
  return compiled.get(index)!;
}

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
