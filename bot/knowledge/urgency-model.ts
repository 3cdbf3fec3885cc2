import { binaryProbability, fitBinaryModel, type BinaryFit, type BinaryModel } from './binary-model.js';
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
export type UrgencyModel = BinaryModel;

/** Fitting: words or pairs seen in fewer questions than minCount are ignored; L2 penalty; gradient steps. */
export const URGENCY_FIT: BinaryFit = { minCount: 2, l2: 0.001, iterations: 300, step: 1, threshold: 0.5, keep: 0.01 };

/** The features of a message: its words (numbers as "#") and adjacent word pairs ("med_due"). */
export function urgencyFeatures(text: string): string[] {
  const words = tokenize(text).map((w) => (/^\d+$/.test(w) ? '#' : w));
  const features = new Set(words);
  for (let i = 1; i < words.length; i++) features.add(`${words[i - 1]}_${words[i]}`);
  return [...features];
}

/** The model's probability that a message describes care blocked or at risk now. */
export function urgencyProbability(model: UrgencyModel, text: string): number {
  return binaryProbability(model, urgencyFeatures(text));
}

/** True when the model flags the message (the rules' vetoes are the caller's). */
export function soundsUrgent(model: UrgencyModel, text: string): boolean {
  return urgencyProbability(model, text) >= model.threshold;
}

/** Fits the model to labelled messages (binary-model.ts). Weights below URGENCY_FIT.keep are dropped from the file. */
export function fitUrgencyModel(examples: { text: string; urgent: boolean }[], tuning = URGENCY_FIT): UrgencyModel {
  return fitBinaryModel(examples.map((e) => urgencyFeatures(e.text)), examples.map((e) => e.urgent), tuning);
}
