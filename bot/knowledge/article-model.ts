import type { NormalizedQuery } from './normalize.js';
import type { SearchHit } from './search.js';
import { stem } from './tokenize.js';

/**
 * The learned article ranking: a multinomial logistic model (softmax regression) from the words of a message to the
 * article that answers it, fitted by `npm run kb:calibrate` on each article's own title, alternate questions and tags
 * and on every labelled question of knowledge/eval, and kept in knowledge/policy/answer-calibration.yml.
 *
 * Search (BM25 over the articles' text) weighs a word by how rare it is in the articles; the model weighs it by how
 * often clinicians who meant that article used it. "stat heparin drip order won't sign": "drip" is rare and sits in the
 * flowsheet article, but questions about orders that won't sign say "won't sign", whatever the drug. decide() keeps
 * search's candidates and re-ranks them by score × (p / best p among them)^sharpness; the model's own certainty is one
 * more signal of the answer calibration (answer-model.ts).
 */

/** The fitted model: the articles it knows, an intercept each, and per feature its non-negligible weights. */
export interface ArticleModel {
  articles: string[];
  bias: number[];
  /** Feature → [article index, weight] pairs. */
  weights: Map<string, [number, number][]>;
}

/**
 * Features: each searched word (stemmed; a phrase the synonyms know as one, "lock_out"), its synonym expansions sharing
 * `expansionShare` of its weight, and each pair of neighbouring words (`pairWeight`). Fitting: full-batch gradient
 * descent on the mean log-loss plus l2/2 × |W|²; features seen in fewer than `minCount` examples are ignored; weights
 * below `keep` are not written. `sharpness`: how strongly the model re-ranks search's candidates.
 */
export const ARTICLE_FIT = { expansionShare: 0.5, pairWeight: 0.5, minCount: 2, l2: 1e-4, iterations: 300, step: 1, keep: 0.1, sharpness: 1, floor: 0.1 };

/** The feature vector of a normalized message (unit length at most 1), with story factors when a clause was found. */
export function articleFeatures(query: NormalizedQuery, factors?: readonly number[], tuning = ARTICLE_FIT): Map<string, number> {
  const f = new Map<string, number>();
  const add = (key: string, value: number) => f.set(key, (f.get(key) ?? 0) + value);
  const words: string[] = [];
  query.groups.forEach((g, i) => {
    const w = factors?.[i] ?? 1;
    const word = g.original.map(stem).join('_');
    add(`o:${word}`, w);
    words.push(word);
    if (g.expanded) for (const t of g.terms) add(`e:${stem(t)}`, (w * tuning.expansionShare) / g.terms.length);
  });
  for (let i = 1; i < words.length; i++) add(`b:${words[i - 1]}|${words[i]}`, tuning.pairWeight);
  let norm = 0;
  for (const v of f.values()) norm += v * v;
  norm = Math.max(1, Math.sqrt(norm));
  for (const [k, v] of f) f.set(k, v / norm);
  return f;
}

/** P(article | message) for every article the model knows. */
export function articleProbabilities(model: ArticleModel, features: Map<string, number>): Map<string, number> {
  const z = Float64Array.from(model.bias);
  for (const [feature, value] of features) for (const [k, w] of model.weights.get(feature) ?? []) z[k] += w * value;
  const max = Math.max(...z);
  let sum = 0;
  for (let k = 0; k < z.length; k++) sum += z[k] = Math.exp(z[k] - max);
  return new Map(model.articles.map((id, k) => [id, z[k] / sum]));
}

/**
 * The class of the labelled questions no article answers (expected "no-match": EHR tasks the knowledge base does not
 * cover, everyday questions). Its probability says "this reads like a gap", however well one article's words match.
 */
export const NO_ARTICLE = '(no article)';

/** The model's view of a message's hits: each hit's probability, and the highest over all articles. */
export interface LearnedView {
  /** The hits re-ranked: score × (p / best p among the hits)^sharpness. */
  hits: SearchHit[];
  /** P of each hit, by id. */
  probability: Map<string, number>;
  /** The highest probability the model gives any article (whether search found it or not). */
  best: number;
  /** The probability that no article answers the message (NO_ARTICLE; 0 for a model fitted without gaps). */
  none: number;
}

/** Re-ranks search's hits by the model (hits the model does not know keep their score). */
export function learnedRanking(model: ArticleModel, features: Map<string, number>, hits: SearchHit[], tuning = ARTICLE_FIT): LearnedView {
  const all = articleProbabilities(model, features);
  const none = all.get(NO_ARTICLE) ?? 0;
  all.delete(NO_ARTICLE);
  const probability = new Map(hits.map((h) => [h.id, all.get(h.id) ?? 0]));
  const best = Math.max(0, ...all.values());
  const top = Math.max(0, ...probability.values());
  if (top <= 0) return { hits, probability, best, none };
  const reranked = hits
    .map((h) => (all.has(h.id) ? { ...h, score: h.score * Math.pow(Math.max(tuning.floor, (probability.get(h.id) ?? 0) / top), tuning.sharpness) } : h))
    .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
  return { hits: reranked, probability, best, none };
}

/** One labelled example for fitting: a message's features and its article. */
export interface ArticleExample {
  features: Map<string, number>;
  article: string;
}

/** Fits the model (deterministic: features and articles in first-seen order; weights rounded to 4 decimals). */
export function fitArticleModel(examples: ArticleExample[], tuning = ARTICLE_FIT): ArticleModel {
  const articles = [...new Set(examples.map((e) => e.article))];
  const K = articles.length;
  const articleIndex = new Map(articles.map((a, k) => [a, k]));
  const count = new Map<string, number>();
  for (const e of examples) for (const f of e.features.keys()) count.set(f, (count.get(f) ?? 0) + 1);
  const index = new Map<string, number>();
  for (const [f, n] of count) if (n >= tuning.minCount) index.set(f, index.size);
  const rows = examples.map((e) => {
    const cols: number[] = [];
    const vals: number[] = [];
    for (const [f, v] of e.features) {
      const j = index.get(f);
      if (j !== undefined) cols.push(j), vals.push(v);
    }
    return { cols, vals, y: articleIndex.get(e.article) ?? 0 };
  });
  const n = Math.max(1, rows.length);
  const W = new Float64Array(index.size * K);
  const G = new Float64Array(index.size * K);
  const bias = new Float64Array(K);
  const gradBias = new Float64Array(K);
  const p = new Float64Array(K);
  const step = tuning.step * K;
  for (let it = 0; it < tuning.iterations; it++) {
    G.fill(0);
    gradBias.fill(0);
    for (const { cols, vals, y } of rows) {
      p.set(bias);
      for (let c = 0; c < cols.length; c++) {
        const base = cols[c] * K;
        const v = vals[c];
        for (let k = 0; k < K; k++) p[k] += W[base + k] * v;
      }
      let max = -Infinity;
      for (let k = 0; k < K; k++) if (p[k] > max) max = p[k];
      let sum = 0;
      for (let k = 0; k < K; k++) sum += p[k] = Math.exp(p[k] - max);
      for (let k = 0; k < K; k++) p[k] = p[k] / sum - (k === y ? 1 : 0);
      for (let k = 0; k < K; k++) gradBias[k] += p[k];
      for (let c = 0; c < cols.length; c++) {
        const base = cols[c] * K;
        const v = vals[c];
        for (let k = 0; k < K; k++) G[base + k] += p[k] * v;
      }
    }
    for (let k = 0; k < K; k++) bias[k] -= tuning.step * (gradBias[k] / n);
    for (let j = 0; j < W.length; j++) W[j] -= step * (G[j] / n + tuning.l2 * W[j]);
  }
  const weights = new Map<string, [number, number][]>();
  for (const [f, j] of index) {
    const kept: [number, number][] = [];
    for (let k = 0; k < K; k++) if (Math.abs(W[j * K + k]) >= tuning.keep) kept.push([k, round4(W[j * K + k])]);
    if (kept.length > 0) weights.set(f, kept);
  }
  return { articles, bias: [...bias].map(round4), weights };
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

/** The weights as the calibration file keeps them: one line per feature, "feature k:w k:w ...", sorted. */
export function articleWeightsText(model: ArticleModel): string {
  const lines = [...model.weights.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([f, pairs]) => `${f} ${pairs.map(([k, w]) => `${k}:${w}`).join(' ')}`);
  return `${lines.join('\n')}\n`;
}

/**
 * The model as the policy loader builds it: the weights are parsed on first use (a policy is loaded far more often
 * than a message is ranked, e.g. by kb:lint and every knowledge reload).
 */
export function articleModelOf(articles: string[], bias: number[], weightsText: string): ArticleModel {
  let weights: Map<string, [number, number][]> | undefined;
  return {
    articles,
    bias,
    get weights() {
      weights ??= sharedWeights(weightsText, articles.length);
      return weights;
    },
  };
}

/** The last weights parsed, by text: a reload of the same file (or another test knowledge base) reuses them read-only. */
let lastParsed: { text: string; count: number; weights: Map<string, [number, number][]> } | undefined;

function sharedWeights(text: string, articleCount: number): Map<string, [number, number][]> {
  if (lastParsed?.text !== text || lastParsed.count !== articleCount) lastParsed = { text, count: articleCount, weights: parseArticleWeights(text, articleCount) };
  return lastParsed.weights;
}

/** Parses articleWeightsText; a malformed pair or a line without pairs is dropped. */
export function parseArticleWeights(text: string, articleCount: number): Map<string, [number, number][]> {
  const weights = new Map<string, [number, number][]>();
  for (const line of text.split('\n')) {
    const fields = line.trim().split(' ');
    const pairs: [number, number][] = [];
    for (let i = 1; i < fields.length; i++) {
      const colon = fields[i].indexOf(':');
      const k = colon > 0 ? Number(fields[i].slice(0, colon)) : NaN;
      const w = Number(fields[i].slice(colon + 1));
      if (Number.isInteger(k) && k >= 0 && k < articleCount && Number.isFinite(w)) pairs.push([k, w]);
    }
    if (fields[0] && pairs.length > 0) weights.set(fields[0], pairs);
  }
  return weights;
}
