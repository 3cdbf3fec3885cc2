import type { Article } from './article.js';
import { binaryProbability, fitBinaryModel, type BinaryFit, type BinaryModel } from './binary-model.js';
import { featuresOf, trainingSet } from './clinical-model.js';
import { requestsTask, statesFailure } from './focus.js';
import { asksAboutPatientCare, isEhrTaskWording, namesTheEhr } from './intents.js';
import { isOffTopicWord } from './normalize.js';
import type { Policy } from './policy.js';
import { tokenize } from './tokenize.js';

/**
 * The learned clinical-advice check: a logistic model over the clinical classifier's features (stems, stem pairs, drug /
 * lab / condition words as their class), fitted by `npm run kb:calibrate` on every evaluation question (declined or
 * not) plus the analysts' policy examples, and kept in knowledge/policy/answer-calibration.yml. The phrase rules and the
 * naive Bayes check (clinical-model.ts, analysts' examples only, and only where a known drug, lab or condition is named)
 * catch the wordings and words they were written for; on sets nobody had tuned on they let a tenth of clinical
 * questions through ("how fast should I run this unit of blood": no listed drug). This model learns what every
 * labelled clinical question looked like; measured by leaving each set out (`kb:calibrate -- --folds`).
 */

/** Fitting (binary-model.ts), and the probability from which decide() declines. docs/quality.md, round q12p. */
export const CLINICAL_FIT: BinaryFit = { minCount: 2, l2: 0.0003, iterations: 300, step: 1, threshold: 0.5, keep: 0.01 };

/**
 * The lower probability from which the check declines a message that search could not answer either (no match, or a
 * choice of articles), is not urgent and names no everyday off-topic word. A new writer's clinical questions that no rule
 * foresaw mostly end as "no match", with P between the model's prior (~0.12) and its threshold; EHR questions that end
 * there rarely reach 0.3 (3 of ~1,000 leaving each set out: an uncovered A1c report, twice, and a flu-shot clinic's hours).
 * docs/quality.md, "After blind-41 and blind-42".
 */
export const CLINICAL_UNANSWERED_THRESHOLD = 0.3;

/**
 * From this probability an everyday off-topic word no longer bars the check: one word with a second meaning ("raise
 * the ICP", "a flight nurse", "back to soccer practice") is weaker evidence than a check this sure. Over the training
 * sets no question that was not clinical and named an off-topic word reached 0.6; on blind-73..80 two clinical ones
 * did (0.75, 0.83). docs/quality.md, "blind-73..80 round".
 */
export const CLINICAL_OFF_TOPIC_OVERRIDE = 0.7;

/**
 * Below the check's own threshold, a message must also give it this many features it has weights for: keyboard mash
 * ("qwerty zzz 123") sits near the prior on one number feature, and a no-match says more than a decline.
 */
export const CLINICAL_UNANSWERED_MIN_FEATURES = 3;

/** The model's features of a text: clinical-model.ts's, word pairs joined by "|" (the file keeps "feature weight" lines). */
export function clinicalCheckFeatures(text: string, policy: Policy): string[] {
  return [...featuresOf(text, policy)].map((f) => f.replace(/ /g, '|'));
}

/** P(the message asks for clinical judgement), 0..1. */
export function clinicalCheckProbability(model: BinaryModel, text: string, policy: Policy): number {
  return binaryProbability(model, clinicalCheckFeatures(text, policy));
}

/**
 * What the check may not decline, whatever the words: a message that states an EHR failure (focus.yml `failure`:
 * "the heparin order won't verify"), asks how to do a task (`task-request`), or matches an `ehr-task` rule of
 * clinical.yml ("BCMA gives a mismatch on the metoprolol"): EHR questions that happen to name a drug. Nor one that
 * names an everyday off-topic word (off-topic.yml: "an easy crockpot dinner after a 12"); the rules still read those.
 * With `sure` (the check at its own threshold), a failure or a how-to bars only when the message also names something
 * of the EHR (clinical.yml `ehr-named`): "really anxious and not sleeping" or "how should I position her after a hip
 * replacement" states no EHR problem. Leaving each set out, that declines 13 more of 874 clinical questions for 2 more
 * of 6,142 others; below the threshold (declinesUnanswered) every failure and how-to still bars. `probability`: the
 * check's own, from CLINICAL_OFF_TOPIC_OVERRIDE up an off-topic word no longer bars.
 */
export function clinicalCheckBarred(raw: string, policy: Policy, sure = false, probability = 0): boolean {
  if (isEhrTaskWording(raw, policy)) return true;
  if (probability < CLINICAL_OFF_TOPIC_OVERRIDE && tokenize(raw).some((w) => isOffTopicWord(w, policy))) return true;
  return (statesFailure(raw, policy) || requestsTask(raw, policy)) && (!sure || namesTheEhr(raw, policy));
}

/** True when the learned check declines a message no rule declined (see clinicalCheckBarred). */
export function soundsClinicalLearned(model: BinaryModel, raw: string, policy: Policy): boolean {
  const probability = clinicalCheckProbability(model, raw, policy);
  return probability >= model.threshold && !clinicalCheckBarred(raw, policy, true, probability);
}

/**
 * True when a message search left unanswered, and not barred (clinicalCheckBarred), is declined: the check finds it
 * likely clinical (see CLINICAL_UNANSWERED_THRESHOLD; `model` undefined when the check is off) or an `unanswered` rule of
 * clinical.yml reads a question about a patient that names nothing of the EHR (intents.ts, asksAboutPatientCare). The
 * caller knows the outcome and the urgency. `respelled`: the words after spelling correction, whose EHR-task wording
 * bars it too.
 */
export function declinesUnanswered(model: BinaryModel | undefined, raw: string, policy: Policy, respelled?: string): boolean {
  if (respelled !== undefined && isEhrTaskWording(respelled, policy)) return false;
  const features = model === undefined ? [] : clinicalCheckFeatures(raw, policy);
  const weighed = model === undefined ? 0 : features.filter((f) => model.weights[f] !== undefined).length;
  const learned = model !== undefined && weighed >= CLINICAL_UNANSWERED_MIN_FEATURES && binaryProbability(model, features) >= CLINICAL_UNANSWERED_THRESHOLD;
  const likely = learned || asksAboutPatientCare(raw, policy);
  return likely && !clinicalCheckBarred(raw, policy);
}

/** One labelled message for the fit. */
export interface ClinicalCheckExample {
  text: string;
  clinical: boolean;
}

/**
 * The analysts' share of the training data: clinical-model.ts's training set without the article sentences (which
 * would swamp it). The evaluation questions are added by the caller (calibrate.ts).
 */
export function policyClinicalExamples(policy: Policy, articles: Article[]): ClinicalCheckExample[] {
  return trainingSet(policy, articles)
    .filter((e) => !e.source.startsWith('article '))
    .map((e) => ({ text: e.text, clinical: e.label === 'clinical' }));
}

/** Fits the check to labelled messages. */
export function fitClinicalCheck(examples: ClinicalCheckExample[], policy: Policy, tuning = CLINICAL_FIT): BinaryModel {
  return fitBinaryModel(examples.map((e) => clinicalCheckFeatures(e.text, policy)), examples.map((e) => e.clinical), tuning);
}
