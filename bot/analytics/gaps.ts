import { stem } from '../knowledge/tokenize.js';
import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import { normalize } from '../knowledge/normalize.js';
import { search } from '../knowledge/search.js';
import type { Sql } from '../store/db.js';
import type { ReportWindow } from './window.js';

/**
 * Knowledge gaps: questions Elbow could not answer (no-match) or was unsure about (clarify), grouped
 * into clusters of paraphrases so an author sees "12 people asked how to order a wheelchair".
 *
 * Each question becomes a weighted bag of stems built with the same normalization as search
 * (synonyms expanded, filler dropped). A stem's weight is its rarity in the knowledge base: words
 * the articles never use weigh most, because they are exactly what is missing. Clusters are formed by
 * centroid agglomerative clustering on cosine similarity, merging the closest pair until no pair
 * reaches the threshold.
 */

/** One unanswered question as stored (already redacted). */
export interface GapQuestion {
  question: string;
  at?: Date;
}

/** A group of similar unanswered questions. */
export interface GapCluster {
  /** How many questions fell in this cluster. */
  count: number;
  /** Up to `maxExamples` distinct questions, most frequent and most typical first. */
  examples: string[];
  /** The words that define the cluster, strongest first. */
  terms: string[];
  /** The closest existing article (search top hit), or null when nothing matches at all. */
  nearestArticle: string | null;
  nearestTitle: string | null;
  /** The search score of that article for the cluster's main example (0 when none). */
  nearestScore: number;
  /** Most recent question in the cluster, when times are known. */
  lastSeen: string | null;
}

/** Clustering knobs; defaults tuned on paraphrase sets. */
export interface ClusterOptions {
  /** Minimum cosine similarity between cluster centroids to merge them (default 0.3). */
  threshold?: number;
  /** Examples per cluster (default 3). */
  maxExamples?: number;
  /** Distinct questions clustered pairwise; rarer ones join the nearest cluster (default 400). */
  maxDistinct?: number;
}

type Vector = Map<string, number>;

/** Weight of a stem: its inverse document frequency, the maximum for words no article uses. */
function weightOf(kb: KnowledgeBase, s: string): number {
  const idf = kb.idf.get(s) ?? Math.log(1 + (kb.articles.length + 0.5) / 0.5);
  // Bare numbers (room 12, error 5) rarely name a topic.
  return /^\d+$/.test(s) ? Math.min(idf, 0.5) : idf;
}

/** Redaction placeholders ([NAME], [MRN], …) say nothing about the topic. */
const PLACEHOLDER = /\[[A-Z]{2,12}\]/g;

interface Features {
  vector: Vector;
  /** A readable word for each stem (the first the user typed). */
  words: Map<string, string>;
}

/**
 * The weighted stems of one question. Two adjacent words that together form a known word ("wheel chair"
 * when someone else wrote "wheelchair") count as that word.
 */
function featuresOf(text: string, kb: KnowledgeBase, knownStems: Set<string>): Features {
  const query = normalize(text.replace(PLACEHOLDER, ' '), kb.synonyms);
  const groups = query.groups.map((g) => ({ ...g, terms: [...g.terms] }));
  for (let i = 0; i + 1 < groups.length; i++) {
    const [a, b] = [groups[i], groups[i + 1]];
    if (a.expanded || b.expanded) continue;
    const joined = a.terms[0] + b.terms[0];
    if (knownStems.has(stem(joined))) {
      groups.splice(i, 2, { original: [...a.original, ...b.original], terms: [joined], expanded: false });
    }
  }
  const vector: Vector = new Map();
  const words = new Map<string, string>();
  for (const group of groups) {
    const stems = [...new Set(group.terms.map(stem))];
    const share = 1 / Math.sqrt(stems.length);
    for (const [k, s] of stems.entries()) {
      vector.set(s, Math.max(vector.get(s) ?? 0, weightOf(kb, s) * share));
      if (!words.has(s)) words.set(s, group.terms[k] ?? s);
    }
  }
  return { vector, words };
}

function norm(v: Vector): number {
  let sum = 0;
  for (const w of v.values()) sum += w * w;
  return Math.sqrt(sum);
}

function cosine(a: Vector, b: Vector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [k, w] of small) {
    const other = large.get(k);
    if (other !== undefined) dot += w * other;
  }
  if (dot === 0) return 0;
  return dot / (norm(a) * norm(b));
}

function addScaled(target: Vector, source: Vector, scale: number): void {
  for (const [k, w] of source) target.set(k, (target.get(k) ?? 0) + w * scale);
}

function unit(v: Vector): Vector {
  const n = norm(v) || 1;
  return new Map([...v].map(([k, w]) => [k, w / n]));
}

/** One distinct question (by its stems) with how often and when it was asked. */
interface Item {
  key: string;
  unit: Vector;
  count: number;
  texts: Map<string, number>;
  words: Map<string, string>;
  lastSeen: number | null;
}

interface Cluster {
  items: Item[];
  sum: Vector;
}

function collectItems(questions: GapQuestion[], kb: KnowledgeBase): Item[] {
  const knownStems = new Set(kb.idf.keys());
  for (const q of questions) for (const g of normalize(String(q.question ?? '').replace(PLACEHOLDER, ' '), kb.synonyms).groups) for (const t of g.terms) knownStems.add(stem(t));
  const items = new Map<string, Item>();
  for (const q of questions) {
    const text = String(q.question ?? '').replace(/\s+/g, ' ').trim();
    if (!text) continue;
    const { vector, words } = featuresOf(text, kb, knownStems);
    if (vector.size === 0) continue;
    const key = [...vector.keys()].sort().join(' ');
    const at = q.at instanceof Date ? q.at.getTime() : null;
    const item = items.get(key) ?? { key, unit: unit(vector), count: 0, texts: new Map(), words, lastSeen: null };
    item.count++;
    item.texts.set(text, (item.texts.get(text) ?? 0) + 1);
    if (at !== null && (item.lastSeen === null || at > item.lastSeen)) item.lastSeen = at;
    items.set(key, item);
  }
  return [...items.values()].sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

/** Centroid agglomerative clustering: merges the most similar pair until none reaches the threshold. */
function agglomerate(items: Item[], threshold: number): Cluster[] {
  const clusters: Array<Cluster | null> = items.map((item) => {
    const sum: Vector = new Map();
    addScaled(sum, item.unit, item.count);
    return { items: [item], sum };
  });
  const n = clusters.length;
  const sim: Float64Array[] = clusters.map(() => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) sim[i][j] = sim[j][i] = cosine((clusters[i] as Cluster).sum, (clusters[j] as Cluster).sum);
  }
  for (;;) {
    let best = threshold;
    let bi = -1;
    let bj = -1;
    for (let i = 0; i < n; i++) {
      if (!clusters[i]) continue;
      for (let j = i + 1; j < n; j++) {
        if (clusters[j] && sim[i][j] >= best && (bi < 0 || sim[i][j] > best)) {
          best = sim[i][j];
          bi = i;
          bj = j;
        }
      }
    }
    if (bi < 0) break;
    const into = clusters[bi] as Cluster;
    const from = clusters[bj] as Cluster;
    into.items.push(...from.items);
    addScaled(into.sum, from.sum, 1);
    clusters[bj] = null;
    for (let k = 0; k < n; k++) {
      if (k !== bi && clusters[k]) sim[bi][k] = sim[k][bi] = cosine(into.sum, (clusters[k] as Cluster).sum);
    }
  }
  return clusters.filter((c): c is Cluster => c !== null);
}

/** Adds each remaining item to its most similar cluster, or makes it a cluster of its own. */
function attachRest(clusters: Cluster[], rest: Item[], threshold: number): void {
  for (const item of rest) {
    let best: Cluster | null = null;
    let bestSim = threshold;
    for (const c of clusters) {
      const s = cosine(item.unit, c.sum);
      if (s >= bestSim) {
        best = c;
        bestSim = s;
      }
    }
    if (best) {
      best.items.push(item);
      addScaled(best.sum, item.unit, item.count);
    } else {
      const sum: Vector = new Map();
      addScaled(sum, item.unit, item.count);
      clusters.push({ items: [item], sum });
    }
  }
}

function describe(cluster: Cluster, kb: KnowledgeBase, maxExamples: number): GapCluster {
  const count = cluster.items.reduce((s, i) => s + i.count, 0);
  const ranked = [...cluster.items].sort((a, b) => b.count - a.count || cosine(b.unit, cluster.sum) - cosine(a.unit, cluster.sum) || a.key.localeCompare(b.key));
  const examples: string[] = [];
  for (const item of ranked) {
    const texts = [...item.texts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    for (const [text] of texts) if (examples.length < maxExamples && !examples.includes(text)) examples.push(text);
  }
  const words = new Map<string, string>();
  for (const item of ranked) for (const [s, w] of item.words) if (!words.has(s)) words.set(s, w);
  const terms = [...cluster.sum]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 4)
    .map(([s]) => words.get(s) ?? s);
  const hit = examples.length > 0 ? search(kb, normalize(examples[0], kb.synonyms), { limit: 1 })[0] : undefined;
  const seen = cluster.items.map((i) => i.lastSeen).filter((t): t is number => t !== null);
  return {
    count,
    examples,
    terms,
    nearestArticle: hit?.id ?? null,
    nearestTitle: hit ? (kb.byId.get(hit.id)?.title ?? null) : null,
    nearestScore: hit ? Math.round(hit.score * 1000) / 1000 : 0,
    lastSeen: seen.length > 0 ? new Date(Math.max(...seen)).toISOString() : null,
  };
}

/** Groups unanswered questions into clusters of paraphrases, biggest first. Pure and deterministic. */
export function clusterQuestions(questions: GapQuestion[], kb: KnowledgeBase, options: ClusterOptions = {}): GapCluster[] {
  const threshold = options.threshold ?? 0.3;
  const items = collectItems(questions, kb);
  const head = items.slice(0, options.maxDistinct ?? 400);
  const clusters = agglomerate(head, threshold);
  attachRest(clusters, items.slice(head.length), threshold);
  return clusters
    .map((c) => describe(c, kb, options.maxExamples ?? 3))
    .sort((a, b) => b.count - a.count || a.examples[0].localeCompare(b.examples[0]));
}

/** Most recent unanswered questions read for the gap report. */
const MAX_GAP_QUESTIONS = 5000;

/** Reads the window's no-match and clarify questions and clusters them. */
export async function findGaps(db: Sql, kb: KnowledgeBase, window: ReportWindow, options: ClusterOptions = {}): Promise<GapCluster[]> {
  const rows = await db.query<{ question: string; at: Date | string }>(
    `SELECT question_redacted AS question, at FROM turns
      WHERE at >= $1 AND at < $2 AND outcome IN ('no-match', 'clarify') AND question_redacted <> ''
      ORDER BY at DESC LIMIT $3`,
    [window.since.toISOString(), window.until.toISOString(), MAX_GAP_QUESTIONS],
  );
  return clusterQuestions(rows.map((r) => ({ question: r.question, at: new Date(r.at) })), kb, options);
}
