import type { SearchHit } from './search.js';

/**
 * The answer calibration: two logistic models over what search and the decision rules saw of one message, fitted on
 * the evaluation sets by `npm run kb:calibrate` and kept as analysts' data in knowledge/policy/answer-calibration.yml.
 * One estimates the chance that the first article is the right one (answer it), the other that the right one is
 * among the first three (offer them); below both, the message is a gap ("no match"). The hand-set thresholds of
 * decide.ts and story.ts each look at one or two signals; the calibration weighs all of them together, learned from
 * what the right answer was. It never decides a message the rules keep for themselves (see decide.ts).
 */

/** What the calibration sees of one message whose outcome search decides. */
export interface AnswerSignals {
  /** The ranked hits (at least one). */
  hits: SearchHit[];
  /** Words in the message. */
  words: number;
  /** The message states a failure ("won't print"). */
  failure: boolean;
  /** The message asks how to do a task ("how do I add..."). */
  taskRequest: boolean;
  /** A long message whose problem clause was found (scene words weighed less). */
  focused: boolean;
  /** What the hand-set rules decided. */
  rule: CalibratedOutcome;
  /** The learned article ranking's probabilities (article-model.ts): first and second hit, its best article, no article. */
  learned?: { top: number; second: number; best: number; none: number };
}

export type CalibratedOutcome = 'answer' | 'clarify' | 'no-match';

/** The features, in order: names as written in the calibration file. */
export const ANSWER_FEATURES = [
  'coverage',
  'similarity',
  'lead_over_second',
  'lead_over_third',
  'informative_matched',
  'informative_matched_weight',
  'informative_missed_weight',
  'unknown_words',
  'log_words',
  'states_failure',
  'asks_task',
  'similarity_lead',
  'second_coverage',
  'focused_story',
  'rule_answers',
  'rule_clarifies',
  'second_similarity',
  'second_informative_matched',
  'coverage_times_lead',
  'learned_top',
  'learned_lead',
  'learned_best',
  'learned_gap',
] as const;

/** The feature vector of one message (see ANSWER_FEATURES). */
export function answerFeatures(s: AnswerSignals): number[] {
  const [top, second, third] = s.hits;
  const lead = (other: SearchHit | undefined) => (other && other.score > 0 && top.score > 0 ? Math.min(Math.log(top.score / other.score), 3) : 3);
  return [
    top.coverage,
    top.similarity,
    lead(second),
    lead(third),
    top.informative.matched,
    top.informative.matchedWeight / 10,
    top.informative.missedWeight / 10,
    top.informative.unknown,
    Math.log(s.words + 1),
    s.failure ? 1 : 0,
    s.taskRequest ? 1 : 0,
    top.similarity - (second?.similarity ?? 0),
    second?.coverage ?? 0,
    s.focused ? 1 : 0,
    s.rule === 'answer' ? 1 : 0,
    s.rule === 'clarify' ? 1 : 0,
    second?.similarity ?? 0,
    second?.informative.matched ?? 0,
    top.coverage * lead(second),
    s.learned?.top ?? 0,
    s.learned ? Math.max(-3, Math.min(3, Math.log((s.learned.top + 1e-4) / (s.learned.second + 1e-4)))) : 0,
    s.learned?.best ?? 0,
    s.learned?.none ?? 0,
  ];
}

/** One fitted logistic model: standardized features, an intercept first, and the probability from which it says yes. */
export interface LogisticModel {
  weights: number[];
  threshold: number;
}

/** The calibration file's content. */
export interface AnswerCalibration {
  features: string[];
  mean: number[];
  scale: number[];
  /** P(the first article is right): answer from `threshold`. */
  top: LogisticModel;
  /** P(the right article is among the first three): offer them from `threshold`. */
  top3: LogisticModel;
}

/** The probability a model gives a feature vector. */
export function probability(cal: Pick<AnswerCalibration, 'mean' | 'scale'>, model: Pick<LogisticModel, 'weights'>, x: number[]): number {
  let z = model.weights[0] ?? 0;
  for (let i = 0; i < x.length; i++) z += (model.weights[i + 1] ?? 0) * ((x[i] - (cal.mean[i] ?? 0)) / (cal.scale[i] || 1));
  return 1 / (1 + Math.exp(-z));
}

/** The calibrated outcome of one message. */
export function calibratedOutcome(cal: AnswerCalibration, signals: AnswerSignals): CalibratedOutcome {
  return outcomeOfFeatures(cal, answerFeatures(signals), signals.hits.length);
}

/**
 * The calibrated outcome of a feature vector of a message with `hitCount` hits. Two articles that score within
 * MIN_ANSWER_LEAD of each other are offered, however sure the model is: "list" is both "my list is incomplete" and
 * "set up a list", and only the clinician can say which.
 */
export function outcomeOfFeatures(cal: AnswerCalibration, x: number[], hitCount: number): CalibratedOutcome {
  const leadOverSecond = x[ANSWER_FEATURES.indexOf('lead_over_second')];
  if (leadOverSecond >= MIN_ANSWER_LEAD && probability(cal, cal.top, x) >= cal.top.threshold) return 'answer';
  if (hitCount >= 2 && probability(cal, cal.top3, x) >= cal.top3.threshold) return 'clarify';
  return 'no-match';
}

/**
 * The least lead (log of the score ratio: 10 %) of the first article over the second for the calibration to answer.
 * Leaving each blind set out (docs/quality.md, round q12l): none 1448 right / 45 wrong answers, 5 % 1443 / 41,
 * 10 % 1438 / 39, 15 % 1434 / 35 — a wrong answer costs a nurse more than a choice of two.
 */
export const MIN_ANSWER_LEAD = Math.log(1.1);

/** Training options: L2 penalty (per question) and the Newton iterations' limit and convergence step. */
export const FIT_TUNING = { l2: 0.01, iterations: 50, tolerance: 1e-10 };

/** Standardization of a feature matrix: per-column mean and standard deviation (1 for a constant column). */
export function standardization(rows: number[][]): { mean: number[]; scale: number[] } {
  const n = rows.length;
  const width = rows[0]?.length ?? 0;
  const mean = Array.from({ length: width }, (_, j) => rows.reduce((s, r) => s + r[j], 0) / Math.max(1, n));
  const scale = mean.map((m, j) => Math.sqrt(rows.reduce((s, r) => s + (r[j] - m) ** 2, 0) / Math.max(1, n)) || 1);
  return { mean, scale };
}

/**
 * Fits a logistic model (intercept first) to standardized rows: the minimum of the mean log-loss plus
 * l2/2 × |weights|² (the intercept not penalized), by Newton's method (iteratively reweighted least squares).
 * Deterministic: the same rows give the same weights on every machine.
 */
export function fitLogistic(rows: number[][], labels: number[], norm: { mean: number[]; scale: number[] }, tuning = FIT_TUNING): number[] {
  const n = rows.length;
  const z = rows.map((r) => [1, ...r.map((v, j) => (v - norm.mean[j]) / norm.scale[j])]);
  const d = (rows[0]?.length ?? 0) + 1;
  const w = new Array<number>(d).fill(0);
  const penalty = tuning.l2 * Math.max(1, n);
  for (let it = 0; it < tuning.iterations; it++) {
    const grad = w.map((wj, j) => (j === 0 ? 0 : penalty * wj));
    const hess = Array.from({ length: d }, (_, j) => Array.from({ length: d }, (_, k) => (j === k && j > 0 ? penalty : 0)));
    for (let i = 0; i < n; i++) {
      const row = z[i];
      let s = 0;
      for (let j = 0; j < d; j++) s += w[j] * row[j];
      const p = 1 / (1 + Math.exp(-s));
      const err = p - labels[i];
      const v = Math.max(p * (1 - p), 1e-12);
      for (let j = 0; j < d; j++) {
        grad[j] += err * row[j];
        const hj = hess[j];
        for (let k = 0; k <= j; k++) hj[k] += v * row[j] * row[k];
      }
    }
    for (let j = 0; j < d; j++) for (let k = j + 1; k < d; k++) hess[j][k] = hess[k][j];
    const step = solve(hess, grad);
    let moved = 0;
    for (let j = 0; j < d; j++) {
      w[j] -= step[j];
      moved = Math.max(moved, Math.abs(step[j]));
    }
    if (moved < tuning.tolerance) break;
  }
  return w;
}

/** Solves A x = b by Gaussian elimination with partial pivoting (A is small, symmetric and positive definite). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) pivot = r;
    [m[c], m[pivot]] = [m[pivot], m[c]];
    const p = m[c][c] || 1e-12;
    for (let r = c + 1; r < n; r++) {
      const f = m[r][c] / p;
      if (f !== 0) for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r][n];
    for (let k = r + 1; k < n; k++) s -= m[r][k] * x[k];
    x[r] = s / (m[r][r] || 1e-12);
  }
  return x;
}
