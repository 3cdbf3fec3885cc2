/**
 * The index part of the saved knowledge base (DATA_DIR/kb-index.json): what Elbow's term search reads
 * (term-search.ts), not lunr's JSON. lunr's JSON of a 10,000-article base is ~74 MB with one object per
 * (term, field, document); parsing it at start-up took ~400 MB of heap, the peak of a restart. Here each term
 * keeps its lunr term index and per field a posting count, and all postings are two base64 blocks (document
 * ordinals as Int32, field-vector weights as Float64, in the machine's byte order, recorded): two strings to
 * parse, decoded into two typed arrays that the loaded index's postings are views of. The same numbers, so the
 * same search results bit for bit. The loaded index is a compacted one (compactLunrIndex), like every served index.
 */
import os from 'node:os';
import lunr from 'lunr';
import { adoptTermIndex, termIndexOf, type FieldPostings } from './term-index.js';

/** The saved form of an index's term-search data. */
export interface CompactIndex {
  byteOrder: string;
  fields: string[];
  docRefs: string[];
  /** lunr's search pipeline (its JSON), kept on the loaded lunr.Index. */
  pipeline: string[];
  /** Terms in the compiled order, their lunr term indexes, and posting counts per term and field (term-major). */
  terms: string[];
  at: number[];
  lengths: number[];
  /** Base64 of all postings' document ordinals (Int32) and weights (Float64), term-major then field. */
  docs: string;
  weights: string;
}

/** The saved form of a built or compacted index (works on either: it reads the compiled postings). */
export function compactIndexOf(index: lunr.Index): CompactIndex {
  const ti = termIndexOf(index);
  const terms: string[] = [];
  const at: number[] = [];
  const lengths: number[] = [];
  let total = 0;
  for (const [term, entry] of ti.terms) {
    terms.push(term);
    at.push(entry.at);
    for (const { docs } of entry.postings) {
      lengths.push(docs.length);
      total += docs.length;
    }
  }
  const docs = new Int32Array(total);
  const weights = new Float64Array(total);
  let offset = 0;
  for (const { postings } of ti.terms.values()) {
    for (const p of postings) {
      docs.set(p.docs, offset);
      weights.set(p.weights, offset);
      offset += p.docs.length;
    }
  }
  return {
    byteOrder: os.endianness(),
    fields: [...ti.fields],
    docRefs: [...ti.docRefs],
    pipeline: (index as unknown as { pipeline: lunr.Pipeline }).pipeline.toJSON() as unknown as string[],
    terms,
    at,
    lengths,
    docs: Buffer.from(docs.buffer, docs.byteOffset, docs.byteLength).toString('base64'),
    weights: Buffer.from(weights.buffer, weights.byteOffset, weights.byteLength).toString('base64'),
  };
}

/** A served lunr.Index (search data only) from its saved form; throws on any inconsistency, so a bad file is rebuilt. */
export function indexFromCompact(data: CompactIndex): lunr.Index {
  const { fields, docRefs, terms, at, lengths } = data;
  const valid =
    data.byteOrder === os.endianness() &&
    [fields, docRefs, terms, at, lengths, data.pipeline].every(Array.isArray) &&
    at.length === terms.length &&
    lengths.length === terms.length * fields.length &&
    fields.length > 0 &&
    fields.length <= 31;
  if (!valid) throw new Error('kb-index: malformed index');
  const docs = decode(data.docs, Int32Array);
  const weights = decode(data.weights, Float64Array);
  let total = 0;
  for (const n of lengths) {
    if (!Number.isInteger(n) || n < 0) throw new Error('kb-index: bad posting count');
    total += n;
  }
  if (docs.length !== total || weights.length !== total) throw new Error('kb-index: postings do not match their counts');
  for (let i = 0; i < total; i++) {
    if (docs[i]! < 0 || docs[i]! >= docRefs.length || !Number.isFinite(weights[i]!)) throw new Error('kb-index: bad posting');
  }

  const map = new Map<string, { at: number; postings: FieldPostings[] }>();
  let offset = 0;
  let k = 0;
  terms.forEach((term, t) => {
    const postings = fields.map(() => {
      const n = lengths[k++]!;
      const p = { docs: docs.subarray(offset, offset + n), weights: weights.subarray(offset, offset + n) };
      offset += n;
      return p;
    });
    map.set(term, { at: at[t]!, postings });
  });
  if (map.size !== terms.length) throw new Error('kb-index: duplicate terms');

  const index = new lunr.Index({
    invertedIndex: Object.create(null),
    fieldVectors: {},
    tokenSet: (lunr.TokenSet as unknown as { fromArray(words: string[]): lunr.TokenSet }).fromArray([...terms].sort()),
    fields: [...fields],
    pipeline: lunr.Pipeline.load(data.pipeline),
  } as unknown as lunr.Index.Attributes);
  adoptTermIndex(index, { fields: [...fields], docRefs: [...docRefs], terms: map }, () => {});
  return index;
}

/** Base64 to a fresh (aligned) typed array. */
function decode<T extends Int32Array | Float64Array>(text: unknown, Type: { new (length: number): T; BYTES_PER_ELEMENT: number }): T {
  if (typeof text !== 'string') throw new Error('kb-index: postings missing');
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length % Type.BYTES_PER_ELEMENT !== 0) throw new Error('kb-index: truncated postings');
  const out = new Type(bytes.length / Type.BYTES_PER_ELEMENT);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}
