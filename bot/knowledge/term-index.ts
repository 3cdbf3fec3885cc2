/**
 * The compiled form of a lunr index that Elbow's term search reads (term-search.ts): per term, its lunr term index
 * and, per field, its postings as typed arrays of (document ordinal, field-vector weight). Made once per index
 * (`compileTermIndex`, or adopted from the builder or the saved file), after which lunr's own postings and field
 * vectors can be dropped (`compactLunrIndex`) to save memory.
 */
import type lunr from 'lunr';

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
    throw new Error('this index was compacted for search (term-index.ts): save it before compactLunrIndex');
  };
  Object.assign(index, { query: refuse, toJSON: refuse });
}

/** The compiled postings of an index (compiled on first use): what search reads and the index file stores. */
export function termIndexOf(index: lunr.Index): TermIndex {
  compileTermIndex(index);
  return compiled.get(index)!;
}
