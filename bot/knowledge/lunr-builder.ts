/**
 * A faster lunr.Builder for Elbow's index: the same `lunr.Index` — byte-identical `JSON.stringify(index.toJSON())`,
 * checked against lunr.Builder by test/knowledge/lunr-builder.test.ts — built without lunr's per-token objects.
 *
 * Why: at 10,000 articles lunr's builder spends most of its time creating a Token and a metadata object per word,
 * turning Token and FieldRef objects into property keys, and collecting the garbage. Here the token pipeline runs
 * once per distinct raw word (memoized: the pipeline functions are pure functions of the word), counts and postings
 * live in arrays, and the term-search postings (term-index.ts) are filled in the same pass, so they need not be
 * compiled from lunr's objects afterwards. lunr's own posting objects are made only if something reads them
 * (lunr's query or toJSON; Elbow's saving uses `indexJson`), every posting sharing one frozen empty metadata object.
 *
 * Requirements (else it builds with lunr.Builder itself): unique document refs, no ref that is an array index
 * ("0", "17": JavaScript orders such keys first, so the postings' order would differ), empty metadata whitelist.
 */
import lunr from 'lunr';
import { adoptTermIndex, type FieldPostings } from './term-index.js';

/** One document: its ref and the text of each field, in field order. */
export interface BuilderDocument {
  ref: string;
  fields: string[];
}

/** The index's settings, as they would be given to lunr.Builder. */
export interface BuilderSpec {
  fields: { name: string; boost: number }[];
  /** lunr's b (field-length normalisation), already within 0..1. */
  b: number;
  /** The builder pipeline (trimmer, stop words, stemmer...): pure functions of each token's text. */
  pipeline: lunr.Pipeline;
  /** The search pipeline stored with the index. */
  searchPipeline: lunr.Pipeline;
}

const K1 = 1.2;
const SEPARATOR = /[\s-]/; // lunr.tokenizer.separator is /[\s\-]+/, applied one character at a time
const NO_METADATA: object = Object.freeze(Object.create(null));
const ARRAY_INDEX = /^(0|[1-9]\d*)$/;

/** One term while building: its lunr term index, document count (lunr.idf's) and compact postings per field. */
interface TermEntry {
  term: string;
  at: number;
  documents: number;
  idf: number;
  docs: number[][];
  weights: number[][];
  /** The document-field slot this term was last seen in, and its place in that slot's lists. */
  lastSlot: number;
  lastPlace: number;
}

/** Builds the lunr index of `docs`; identical to adding them to a lunr.Builder with `spec` and calling build(). */
export function buildLunrIndex(docs: BuilderDocument[], spec: BuilderSpec): lunr.Index {
  const refs = new Set(docs.map((d) => d.ref));
  if (refs.size !== docs.length || docs.some((d) => ARRAY_INDEX.test(d.ref))) return withLunrBuilder(docs, spec);

  const fieldNames = spec.fields.map((f) => f.name);
  const fieldCount = fieldNames.length;
  const entries: TermEntry[] = [];
  const byTerm = new Map<string, TermEntry>();
  const entryOf = (term: string): TermEntry => {
    let entry = byTerm.get(term);
    if (!entry) {
      entry = { term, at: entries.length, documents: 0, idf: NaN, docs: fieldNames.map(() => []), weights: fieldNames.map(() => []), lastSlot: -1, lastPlace: 0 };
      entries.push(entry);
      byTerm.set(term, entry);
    }
    return entry;
  };
  const termsOf = memoizedPipeline(spec.pipeline, entryOf);
  // Per document-field slot (document d, field f at d * fieldCount + f): its terms, their frequencies and length.
  const slotTerms: TermEntry[][] = [];
  const slotFrequencies: number[][] = [];
  const slotLengths: number[] = [];
  const lengthSums = new Array<number>(fieldCount).fill(0);

  docs.forEach((doc, d) => {
    for (let f = 0; f < fieldCount; f++) {
      const slot = slotTerms.length;
      const terms: TermEntry[] = [];
      const frequencies: number[] = [];
      let length = 0;
      for (const raw of rawTokens(doc.fields[f])) {
        for (const entry of termsOf(raw)) {
          length++;
          if (entry.lastSlot === slot) {
            frequencies[entry.lastPlace]!++;
            continue;
          }
          entry.lastSlot = slot;
          entry.lastPlace = terms.length;
          terms.push(entry);
          frequencies.push(1);
          entry.documents++;
          entry.docs[f]!.push(d);
        }
      }
      slotTerms.push(terms);
      slotFrequencies.push(frequencies);
      slotLengths.push(length);
      lengthSums[f] += length;
    }
  });

  // lunr's createFieldVectors, with the same floating-point operations in the same order.
  const averages = lengthSums.map((sum) => sum / docs.length);
  const vectors: number[][] = [];
  for (let slot = 0; slot < slotTerms.length; slot++) {
    const f = slot % fieldCount;
    const fieldLength = slotLengths[slot]!;
    const boost = spec.fields[f]!.boost || 1;
    const terms = slotTerms[slot]!;
    const frequencies = slotFrequencies[slot]!;
    const order = terms.map((_, i) => i).sort((a, b) => terms[a]!.at - terms[b]!.at);
    const elements = new Array<number>(terms.length * 2);
    order.forEach((i, k) => {
      const entry = terms[i]!;
      const tf = frequencies[i]!;
      if (Number.isNaN(entry.idf)) {
        const x = (docs.length - entry.documents + 0.5) / (entry.documents + 0.5);
        entry.idf = Math.log(1 + Math.abs(x));
      }
      let score = (entry.idf * ((K1 + 1) * tf)) / (K1 * (1 - spec.b + spec.b * (fieldLength / averages[f]!)) + tf);
      score *= boost;
      const weight = Math.round(score * 1000) / 1000;
      elements[2 * k] = entry.at;
      elements[2 * k + 1] = weight;
      entry.weights[f]!.push(weight); // documents arrive in order, so this is the weight of entry.docs[f]'s last match
    });
    vectors.push(elements);
  }
  return lazyIndex({ docs, spec, entries, vectors });
}

/** What a built index is made from: lunr's postings and field vectors are made from it only when asked for. */
interface Built {
  docs: BuilderDocument[];
  spec: BuilderSpec;
  entries: TermEntry[];
  /** Field vector elements per document-field slot. */
  vectors: number[][];
}

const built = new WeakMap<lunr.Index, Built>();

/**
 * The lunr.Index over built data. Its `invertedIndex` and `fieldVectors` are made on first read (lunr's query,
 * toJSON): Elbow searches the compact postings, and creating one property per (term, field, document) is most
 * of lunr's build time at 10,000 articles. `indexJson` writes the same JSON without them.
 */
function lazyIndex(data: Built): lunr.Index {
  const { docs, spec, entries, vectors } = data;
  const fieldNames = spec.fields.map((f) => f.name);
  // JavaScript's own key order (array-index-like terms first): the order of Object.keys(index.invertedIndex).
  const keyed: Record<string, TermEntry> = Object.create(null);
  for (const entry of entries) keyed[entry.term] = entry;
  const termOrder = Object.keys(keyed);
  const index = new lunr.Index({
    invertedIndex: undefined,
    fieldVectors: undefined,
    tokenSet: (lunr.TokenSet as unknown as { fromArray(words: string[]): lunr.TokenSet }).fromArray([...termOrder].sort()),
    fields: fieldNames,
    pipeline: spec.searchPipeline,
  } as unknown as lunr.Index.Attributes);
  madeOnRead(index, 'invertedIndex', () => {
    const inverted: Record<string, Record<string, unknown>> = Object.create(null);
    for (const entry of entries) {
      const posting: Record<string, unknown> = Object.create(null);
      posting._index = entry.at;
      entry.docs.forEach((list, f) => {
        const byRef: Record<string, object> = Object.create(null);
        for (const d of list) byRef[docs[d]!.ref] = NO_METADATA;
        posting[fieldNames[f]!] = byRef;
      });
      inverted[entry.term] = posting;
    }
    return inverted;
  });
  madeOnRead(index, 'fieldVectors', () => {
    const fieldVectors: Record<string, lunr.Vector> = {};
    vectors.forEach((elements, slot) => {
      fieldVectors[`${fieldNames[slot % fieldNames.length]}/${docs[Math.floor(slot / fieldNames.length)]!.ref}`] = new lunr.Vector(elements);
    });
    return fieldVectors;
  });
  const terms = new Map<string, { at: number; postings: FieldPostings[] }>();
  for (const term of termOrder) {
    const entry = keyed[term]!;
    terms.set(term, {
      at: entry.at,
      postings: entry.docs.map((list, f) => ({ docs: Int32Array.from(list), weights: Float64Array.from(entry.weights[f]!) })),
    });
  }
  built.set(index, data);
  adoptTermIndex(index, { fields: fieldNames, docRefs: docs.map((d) => d.ref), terms }, () => built.delete(index));
  return index;
}

/** Defines `key` as made by `make` on first read; a write replaces it (compactLunrIndex). */
function madeOnRead(target: object, key: string, make: () => unknown): void {
  const settle = (value: unknown) => Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  Object.defineProperty(target, key, {
    enumerable: true,
    configurable: true,
    get: () => {
      const value = make();
      settle(value);
      return value;
    },
    set: settle,
  });
}

/**
 * `JSON.stringify(index.toJSON())`, byte for byte; for an index built here it is written straight from the built
 * data, without making lunr's objects.
 */
export function indexJson(index: lunr.Index): string {
  const data = built.get(index);
  if (!data || index.toJSON !== lunr.Index.prototype.toJSON) return JSON.stringify(index.toJSON());
  const { docs, spec, entries, vectors } = data;
  const fieldNames = spec.fields.map((f) => f.name);
  const refs = docs.map((d) => JSON.stringify(d.ref));
  const fieldKeys = fieldNames.map((name) => `${JSON.stringify(name)}:{`);
  const parts: string[] = [`{"version":${JSON.stringify(lunr.version)},"fields":${JSON.stringify(fieldNames)},"fieldVectors":[`];
  vectors.forEach((elements, slot) => {
    const ref = docs[Math.floor(slot / fieldNames.length)]!.ref;
    parts.push(`${slot ? ',' : ''}[${JSON.stringify(`${fieldNames[slot % fieldNames.length]}/${ref}`)},${JSON.stringify(elements)}]`);
  });
  parts.push('],"invertedIndex":[');
  const sorted = [...entries].sort((a, b) => (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
  sorted.forEach((entry, i) => {
    parts.push(`${i ? ',' : ''}[${JSON.stringify(entry.term)},{"_index":${entry.at}`);
    entry.docs.forEach((list, f) => {
      parts.push(`,${fieldKeys[f]}${list.map((d) => `${refs[d]}:{}`).join(',')}}`);
    });
    parts.push('}]');
  });
  parts.push(`],"pipeline":${JSON.stringify(spec.searchPipeline.toJSON())}}`);
  return parts.join('');
}

/** lunr.tokenizer's slices of a field's text (lower-cased, split at whitespace and hyphens, empty ones dropped). */
function rawTokens(text: string | undefined): string[] {
  if (text == null) return [];
  return String(text).toLowerCase().split(SEPARATOR).filter((t) => t.length > 0);
}

/**
 * Runs the pipeline once per distinct raw token (lunr drops a token when a step returns nothing or '') and
 * returns the terms' entries, made on first sight: the order lunr numbers terms in.
 */
function memoizedPipeline(pipeline: lunr.Pipeline, entryOf: (term: string) => TermEntry): (raw: string) => TermEntry[] {
  const cache = new Map<string, TermEntry[]>();
  return (raw) => {
    let terms = cache.get(raw);
    if (!terms) {
      terms = pipeline.run([new lunr.Token(raw, {})]).map((token) => entryOf(String(token)));
      cache.set(raw, terms);
    }
    return terms;
  };
}

/** The reference path: lunr.Builder itself (duplicate or array-index refs). */
function withLunrBuilder(docs: BuilderDocument[], spec: BuilderSpec): lunr.Index {
  const builder = new lunr.Builder();
  builder.ref('ref');
  for (const { name, boost } of spec.fields) builder.field(name, { boost });
  builder.b(spec.b);
  builder.metadataWhitelist = [];
  builder.pipeline = spec.pipeline;
  builder.searchPipeline = spec.searchPipeline;
  for (const doc of docs) builder.add(Object.fromEntries([['ref', doc.ref], ...spec.fields.map((f, i) => [f.name, doc.fields[i]])]));
  return builder.build();
}
