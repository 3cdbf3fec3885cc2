/**
 * PROTOTYPE (proposed for bot/knowledge): the lunr term query Elbow runs, computed without lunr's per-query
 * allocations. Same results as `index.query(q => clauses.forEach(c => q.term(c.term, {usePipeline:false, boost})))`,
 * bit for bit: same scores (the same floating-point operations in the same order), same result order, same
 * matchData.metadata keys (term -> field -> {}).
 *
 * Why it is faster: lunr builds a MatchData, a FieldRef and a Set per matching (term, field, document), merges
 * MatchData per document, and computes each document-field score by walking the whole field vector. Here each
 * term's postings are turned once (lazily, per index) into typed arrays of (document, weight), and scores are
 * accumulated term by term into a Float64Array.
 */
import lunr from 'lunr';

/** One term of the query: an index term (already stemmed) and its boost. */
export interface TermClause {
  term: string;
  boost: number;
}

interface IndexInternals {
  invertedIndex: Record<string, Record<string, unknown> & { _index: number }>;
  fieldVectors: Record<string, { elements: number[] }>;
  fields: string[];
}

/** One field's postings of one term: document ordinals in lunr's posting order, and the field-vector weight. */
interface FieldPostings {
  docs: Int32Array;
  weights: Float64Array;
}

interface Prepared {
  fields: string[];
  docRefs: string[];
  ordinal: Map<string, number>;
  postings: Map<string, FieldPostings[]>;
}

const prepared = new WeakMap<lunr.Index, Prepared>();

function prepare(index: lunr.Index): Prepared {
  let p = prepared.get(index);
  if (!p) {
    const internals = index as unknown as IndexInternals;
    const docRefs: string[] = [];
    const ordinal = new Map<string, number>();
    for (const fieldRef of Object.keys(internals.fieldVectors)) {
      const docRef = fieldRef.slice(fieldRef.indexOf('/') + 1);
      if (!ordinal.has(docRef)) {
        ordinal.set(docRef, docRefs.length);
        docRefs.push(docRef);
      }
    }
    p = { fields: internals.fields, docRefs, ordinal, postings: new Map() };
    prepared.set(index, p);
  }
  return p;
}

/** The weight of term index `termIndex` in a field vector (lunr's elements: [index, value, index, value, ...]). */
function weightIn(elements: number[], termIndex: number): number {
  let lo = 0;
  let hi = elements.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const at = elements[mid * 2];
    if (at === termIndex) return elements[mid * 2 + 1];
    if (at < termIndex) lo = mid + 1;
    else hi = mid - 1;
  }
  return Number.NaN;
}

function postingsOf(index: lunr.Index, p: Prepared, term: string): FieldPostings[] {
  let list = p.postings.get(term);
  if (!list) {
    const internals = index as unknown as IndexInternals;
    const posting = internals.invertedIndex[term];
    list = p.fields.map((field) => {
      const refs = Object.keys(posting[field] as object);
      const docs = new Int32Array(refs.length);
      const weights = new Float64Array(refs.length);
      refs.forEach((ref, i) => {
        docs[i] = p.ordinal.get(ref)!;
        weights[i] = weightIn(internals.fieldVectors[`${field}/${ref}`].elements, posting._index);
      });
      return { docs, weights };
    });
    p.postings.set(term, list);
  }
  return list;
}

/**
 * Converts every term's postings to typed arrays now, then drops lunr's own postings and field vectors
 * (keeping each term's `_index`): what a compact index would hold. For the memory what-if; afterwards only
 * `termQuery` works on this index, lunr's own `query` and `toJSON` do not.
 */
export function compactInPlace(index: lunr.Index): void {
  const internals = index as unknown as IndexInternals;
  const p = prepare(index);
  for (const term of Object.keys(internals.invertedIndex)) postingsOf(index, p, term);
  for (const term of Object.keys(internals.invertedIndex)) {
    internals.invertedIndex[term] = { _index: internals.invertedIndex[term]._index } as IndexInternals['invertedIndex'][string];
  }
  internals.fieldVectors = {};
}

/** The term clauses a `index.query(fn)` callback asks for (Elbow's search uses only term + boost, no pipeline). */
export function clausesOf(fn: (this: lunr.Query, query: lunr.Query) => void): TermClause[] {
  const clauses: TermClause[] = [];
  const recorder = {
    term(term: string, options: { boost?: number; usePipeline?: boolean; wildcard?: number; editDistance?: number; presence?: number } = {}) {
      if (options.usePipeline !== false || options.wildcard || options.editDistance || options.presence) {
        throw new Error('search uses a query feature the fast query does not support');
      }
      clauses.push({ term, boost: options.boost ?? 1 });
      return recorder;
    },
  };
  fn.call(recorder as unknown as lunr.Query, recorder as unknown as lunr.Query);
  return clauses;
}

/** What-if: makes `index.query` run `termQuery` (same results, see check-fast-query.ts). */
export function useTermQuery(index: lunr.Index): void {
  index.query = (fn) => termQuery(index, clausesOf(fn));
}

/** Runs the term query; returns lunr-shaped results ({ref, score, matchData.metadata}), best first. */
export function termQuery(index: lunr.Index, clauses: TermClause[]): lunr.Index.Result[] {
  const internals = index as unknown as IndexInternals;
  const p = prepare(index);
  const fieldCount = p.fields.length;
  const docCount = p.docRefs.length;

  // The query vector (lunr gives every field the same one): term index -> summed boost, clause order.
  const queryWeight = new Map<number, number>();
  const terms: string[] = [];
  for (const { term, boost } of clauses) {
    const posting = internals.invertedIndex[term];
    if (!posting) continue;
    const at = posting._index;
    const before = queryWeight.get(at);
    queryWeight.set(at, before === undefined ? boost : before + boost);
    if (!terms.includes(term)) terms.push(term);
  }
  if (terms.length === 0) return [];
  const byIndex = [...terms].sort((a, b) => internals.invertedIndex[a]._index - internals.invertedIndex[b]._index);
  let sumOfSquares = 0;
  for (const t of byIndex) {
    const v = queryWeight.get(internals.invertedIndex[t]._index)!;
    sumOfSquares += v * v;
  }
  const magnitude = Math.sqrt(sumOfSquares);

  // Pass 1, in lunr's order (terms as first queried, fields in index order, postings in order): which
  // document fields match, in what order each document's fields were first seen, and the metadata.
  const fieldSeen = new Int32Array(docCount * fieldCount).fill(-1);
  const docOrder: number[] = [];
  const docFieldOrder: number[][] = [];
  const docSlot = new Int32Array(docCount).fill(-1);
  const metadata: Array<Record<string, Record<string, object>>> = [];
  for (const term of terms) {
    const lists = postingsOf(index, p, term);
    for (let f = 0; f < fieldCount; f++) {
      const { docs } = lists[f];
      const field = p.fields[f];
      for (let i = 0; i < docs.length; i++) {
        const d = docs[i];
        let slot = docSlot[d];
        if (slot < 0) {
          slot = docSlot[d] = docOrder.length;
          docOrder.push(d);
          docFieldOrder.push([]);
          metadata.push(Object.create(null));
        }
        if (fieldSeen[d * fieldCount + f] < 0) {
          fieldSeen[d * fieldCount + f] = 1;
          docFieldOrder[slot].push(f);
        }
        const byTerm = (metadata[slot][term] ??= Object.create(null));
        byTerm[field] = Object.create(null);
      }
    }
  }

  // Pass 2, terms in index order (the order lunr's dot product adds them): each document field's dot product.
  const dots = new Float64Array(docCount * fieldCount);
  for (const term of byIndex) {
    const q = queryWeight.get(internals.invertedIndex[term]._index)!;
    const lists = postingsOf(index, p, term);
    for (let f = 0; f < fieldCount; f++) {
      const { docs, weights } = lists[f];
      for (let i = 0; i < docs.length; i++) dots[docs[i] * fieldCount + f] += q * weights[i];
    }
  }

  // Documents in first-seen order; each one's field scores added in first-seen field order, as lunr does.
  const results: lunr.Index.Result[] = docOrder.map((d, slot) => {
    let score = 0;
    docFieldOrder[slot].forEach((f, k) => {
      const fieldScore = dots[d * fieldCount + f] / magnitude || 0;
      score = k === 0 ? fieldScore : score + fieldScore;
    });
    return { ref: p.docRefs[d], score, matchData: { metadata: metadata[slot] } as unknown as lunr.MatchData };
  });
  return results.sort((a, b) => b.score - a.score);
}
