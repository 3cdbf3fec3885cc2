/**
 * A binary logistic model over named features (words, word pairs): the shape of the learned urgency check
 * (urgency-model.ts) and the learned clinical-advice check (clinical-check.ts). Fitted by `npm run kb:calibrate` and
 * stored in knowledge/policy/answer-calibration.yml as an intercept, a threshold and one "feature weight" line each.
 */

/** The fitted model: a weight per feature, an intercept, and the probability from which it says yes. */
export interface BinaryModel {
  bias: number;
  threshold: number;
  weights: Record<string, number>;
}

/**
 * Fitting: features seen in fewer examples than minCount are ignored; L2 penalty; `iterations` full-batch gradient
 * steps of size `step`; weights below `keep` are dropped from the file; `threshold` is stored with the model.
 */
export interface BinaryFit {
  minCount: number;
  l2: number;
  iterations: number;
  step: number;
  threshold: number;
  keep: number;
}

/** The model's probability for a message's features. */
export function binaryProbability(model: BinaryModel, features: Iterable<string>): number {
  let z = model.bias;
  for (const f of features) z += model.weights[f] ?? 0;
  return 1 / (1 + Math.exp(-z));
}

/**
 * Fits the model to labelled feature lists: full-batch gradient descent on the mean log-loss plus l2/2 × |w|² over
 * binary features. Deterministic (features in first-seen order); weights and intercept rounded to 4 decimals.
 */
export function fitBinaryModel(rows: string[][], labels: boolean[], tuning: BinaryFit): BinaryModel {
  const count = new Map<string, number>();
  for (const r of rows) for (const f of r) count.set(f, (count.get(f) ?? 0) + 1);
  const index = new Map<string, number>();
  for (const [f, n] of count) if (n >= tuning.minCount) index.set(f, index.size);
  const x = rows.map((r) => r.map((f) => index.get(f)).filter((i): i is number => i !== undefined));
  const y = labels.map((l) => (l ? 1 : 0));
  const n = Math.max(1, rows.length);
  const w = new Float64Array(index.size);
  let bias = 0;
  const grad = new Float64Array(index.size);
  for (let it = 0; it < tuning.iterations; it++) {
    grad.fill(0);
    let gradBias = 0;
    for (let i = 0; i < x.length; i++) {
      let z = bias;
      for (const j of x[i]) z += w[j];
      const err = 1 / (1 + Math.exp(-z)) - y[i];
      gradBias += err;
      for (const j of x[i]) grad[j] += err;
    }
    bias -= tuning.step * (gradBias / n);
    for (let j = 0; j < w.length; j++) w[j] -= tuning.step * (grad[j] / n + tuning.l2 * w[j]);
  }
  const weights: Record<string, number> = {};
  for (const [f, j] of index) if (Math.abs(w[j]) >= tuning.keep) weights[f] = Math.round(w[j] * 1e4) / 1e4;
  return { bias: Math.round(bias * 1e4) / 1e4, threshold: tuning.threshold, weights };
}

/** True when two models have the same intercept, threshold and weights (within the file's rounding). */
export function sameBinaryModel(a: BinaryModel | undefined, b: BinaryModel): boolean {
  if (!a || a.threshold !== b.threshold || Math.abs(a.bias - b.bias) > 2e-4) return false;
  const keys = new Set([...Object.keys(a.weights), ...Object.keys(b.weights)]);
  return [...keys].every((k) => Math.abs((a.weights[k] ?? 0) - (b.weights[k] ?? 0)) <= 2e-4);
}

/** The weights as the file keeps them: one "feature weight" line each, sorted by feature. */
export function binaryWeightsText(model: BinaryModel): string {
  const lines = Object.entries(model.weights).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([f, w]) => `${f} ${w}`);
  return `${lines.join('\n')}\n`;
}
