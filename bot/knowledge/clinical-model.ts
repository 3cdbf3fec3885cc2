import type { Article } from './article.js';
import type { KnowledgeBase } from './knowledge-base.js';
import { requestsTask, statesFailure } from './focus.js';
import { namesTheEhr, prepare } from './intents.js';
import { ruleMatches, rulesOf, type Policy } from './policy.js';
import { stem, tokenize } from './tokenize.js';

/**
 * A small learned check for clinical-advice questions: a naive Bayes text classifier over stemmed words and word
 * pairs, with drug / lab / condition words also seen as their class (the vocabularies named in clinical-examples.yml).
 * Phrase rules decline the wordings they were written for; this generalises to wordings nobody wrote a rule for
 * ("can a pt with a codeine allergy get norco"). Its training data is the analysts' data in knowledge/ (see
 * trainingSet), never the evaluation sets; it is trained once per knowledge base (clinicalModelOf).
 */

/** One training sentence: its text, its class, and where it comes from (for kb:lint). */
export interface TrainingExample {
  text: string;
  label: Label;
  source: string;
}

/** The two classes: a request for clinical judgement, or an EHR question. */
export type Label = 'clinical' | 'ehr';

/** The trained model: per class, in how many examples each feature appears, and the totals. */
export interface ClinicalModel {
  counts: Record<Label, Map<string, number>>;
  totals: Record<Label, number>;
  /** Number of distinct features seen in training. */
  vocabulary: number;
}

/** Settings of the model and of its use in decide(); measured in docs/quality.md, "Tuning round q12k". */
export const MODEL_TUNING = {
  /** Additive (Laplace) smoothing of the feature counts: how much a feature one class never showed still counts. */
  smoothing: 0.25,
  /**
   * At most this many article titles and questions are learned from (an even spread over the articles): a few
   * thousand EHR sentences teach the model all they can, and a 10,000-article base must still load fast.
   */
  maxArticleSentences: 4000,
  /**
   * A message no rule declined is declined from this P(clinical) up (see soundsClinical). Picked on golden.yml and the
   * examples' leave-one-out accuracy; docs/quality.md "Tuning round q12k" shows how the training sets move with it.
   */
  declineAt: 0.9,
  /**
   * A rule's decline is overruled when the message states an EHR failure and P(clinical) is below this: "the troponin
   * of 0.4 isn't showing in results review" names a lab value, but the question is the screen. Far below the
   * lowest leave-one-out P of a clinical example that states a failure (0.27, docs/quality.md).
   */
  overruleBelow: 0.05,
};

/** Rule kinds of clinical.yml whose `match` examples are clinical questions, and whose `nomatch` ones are not. */
const CLINICAL_KINDS = new Set(['advice', 'framed']);

/**
 * The model's training sentences, all analysts' data: clinical = `match` examples of clinical.yml's advice and
 * framed rules plus the `clinical:` list; EHR = every article's title and questions, the advice and framed rules'
 * `nomatch` examples, the `ehr-task` rules' `match` examples, every other policy file's examples, plus the `ehr:` list.
 */
export function trainingSet(policy: Policy, articles: Article[]): TrainingExample[] {
  const out: TrainingExample[] = [];
  for (const rule of policy.rules.get('clinical') ?? []) {
    const source = `clinical.yml rule ${rule.id}`;
    if (CLINICAL_KINDS.has(rule.kind)) {
      for (const text of rule.examples.match) out.push({ text, label: 'clinical', source });
      for (const text of rule.examples.nomatch) out.push({ text, label: 'ehr', source });
    } else if (rule.kind === 'ehr-task') for (const text of rule.examples.match) out.push({ text, label: 'ehr', source });
  }
  // Every other policy example (small talk, asking for a person, urgency, story focus, off-topic words) is a message
  // that is not a clinical question.
  for (const [file, rules] of policy.rules) {
    if (file === 'clinical') continue;
    for (const rule of rules) for (const text of [...rule.examples.match, ...rule.examples.nomatch]) out.push({ text, label: 'ehr', source: `${file}.yml rule ${rule.id}` });
  }
  for (const [file, lists] of policy.listExamples) for (const text of [...lists.match, ...lists.nomatch]) out.push({ text, label: 'ehr', source: `${file}.yml` });
  const sentences = articles.flatMap((a) => [a.title, ...a.questions].map((text) => ({ text, label: 'ehr' as const, source: `article ${a.id}` })));
  const stride = Math.max(1, sentences.length / MODEL_TUNING.maxArticleSentences);
  for (let i = 0; i < sentences.length; i += stride) out.push(sentences[Math.floor(i)]);
  for (const label of ['clinical', 'ehr'] as const) {
    for (const e of policy.modelExamples[label]) out.push({ text: e.text, label, source: e.file });
  }
  return out;
}

/**
 * The features of a text: stems, stem pairs, and the same pairs with a vocabulary word replaced by its class
 * ("#drug", "#named_lab"); a number is "#num" (a value, whatever it is).
 */
export function featuresOf(text: string, policy: Policy): Set<string> {
  const words = tokenize(text);
  const stems = words.map((w) => (/^\d+$/.test(w) ? '#num' : stem(w)));
  const classed = [...stems];
  for (let i = 0; i < words.length; i++) {
    const pair = i + 1 < words.length ? classOf(`${words[i]} ${words[i + 1]}`, policy) : null;
    if (pair) classed[i] = classed[i + 1] = pair;
    else classed[i] = classOf(words[i], policy) ?? classed[i];
  }
  const features = new Set<string>();
  for (let i = 0; i < stems.length; i++) {
    features.add(stems[i]).add(classed[i]);
    if (i === 0) continue;
    features.add(`${stems[i - 1]} ${stems[i]}`);
    if (classed[i - 1] !== classed[i]) features.add(`${classed[i - 1]} ${classed[i]}`);
  }
  return features;
}

/**
 * Memo of word classes and of training sentences' features, kept while the class vocabularies stay the same: a hot
 * reload builds a new Policy object, and relearning ~1,400 unchanged sentences from scratch would cost ~100 ms.
 */
const memo = { signature: '', classes: new Map<string, string | null>(), features: new Map<string, Set<string>>() };
const signatures = new WeakMap<Policy, string>();

function memoFor(policy: Policy): typeof memo {
  let signature = signatures.get(policy);
  if (signature === undefined) signatures.set(policy, (signature = policy.classFeatures.map((c) => `${c.name}=${c.regex.source}`).join('\n')));
  if (memo.signature !== signature) Object.assign(memo, { signature, classes: new Map(), features: new Map() });
  return memo;
}

/** "#drug" when a word (or two words) is in the first class vocabulary that has it, else null; memoized. */
export function classOf(word: string, policy: Policy): string | null {
  const { classes } = memoFor(policy);
  let found = classes.get(word);
  if (found === undefined) {
    const hit = policy.classFeatures.find((c) => c.regex.test(word));
    found = hit ? `#${hit.name}` : null;
    if (classes.size < 100_000) classes.set(word, found);
  }
  return found;
}

/** featuresOf for a training sentence, memoized (see memo). */
function trainingFeatures(text: string, policy: Policy): Set<string> {
  const { features } = memoFor(policy);
  let found = features.get(text);
  if (!found) {
    found = featuresOf(text, policy);
    if (features.size < 20_000) features.set(text, found);
  }
  return found;
}

/** Trains the model on labelled sentences (each counted once per feature it contains). */
export function trainModel(examples: TrainingExample[], policy: Policy): ClinicalModel {
  const model: ClinicalModel = { counts: { clinical: new Map(), ehr: new Map() }, totals: { clinical: 0, ehr: 0 }, vocabulary: 0 };
  const seen = new Set<string>();
  for (const e of examples) {
    const counts = model.counts[e.label];
    for (const f of trainingFeatures(e.text, policy)) {
      counts.set(f, (counts.get(f) ?? 0) + 1);
      model.totals[e.label]++;
      seen.add(f);
    }
  }
  model.vocabulary = seen.size;
  return model;
}

/** The model trained on a knowledge base's articles and policy (see trainingSet). */
export function clinicalModelFor(policy: Policy, articles: Article[]): ClinicalModel {
  return trainModel(trainingSet(policy, articles), policy);
}

const models = new WeakMap<Pick<KnowledgeBase, 'policy' | 'articles'>, ClinicalModel>();

/**
 * The model of a knowledge base, trained on first use and kept with it (as spelling.ts keeps its speller): a base
 * built only to be saved (the hot-reload worker) never trains one. The bot's knowledge holder (watch.ts) asks for it
 * before it serves a base, at start-up and on each reload, so no clinician's turn pays for the training.
 */
export function clinicalModelOf(kb: Pick<KnowledgeBase, 'policy' | 'articles'>): ClinicalModel {
  let model = models.get(kb);
  if (!model) models.set(kb, (model = clinicalModelFor(kb.policy, kb.articles)));
  return model;
}

/**
 * P(clinical advice) of a text, 0..1, with equal priors (the classes' sizes say nothing about what users ask).
 * `without` leaves one training example out (its features and label), for leave-one-out checks.
 */
export function clinicalProbability(model: ClinicalModel, text: string, policy: Policy, without?: TrainingExample): number {
  const features = featuresOf(text, policy);
  const removed = without ? trainingFeatures(without.text, policy) : undefined;
  const a = MODEL_TUNING.smoothing;
  const denominator = (label: Label) => model.totals[label] - (without?.label === label ? removed!.size : 0) + a * model.vocabulary;
  const dc = denominator('clinical'), de = denominator('ehr');
  let logit = 0;
  for (const f of features) {
    let c = model.counts.clinical.get(f) ?? 0;
    let e = model.counts.ehr.get(f) ?? 0;
    if (removed?.has(f)) without!.label === 'clinical' ? c-- : e--;
    if (c === 0 && e === 0) continue;
    logit += Math.log((c + a) / dc) - Math.log((e + a) / de);
  }
  return 1 / (1 + Math.exp(-logit));
}

/**
 * True when the model finds a message clinical enough to decline although no phrase rule did: P(clinical) at least
 * MODEL_TUNING.declineAt, a drug, lab or condition named (an `item` rule of clinical.yml), no `ehr-task` rule matching,
 * no EHR failure stated (focus.yml `failure`: "the lasix order won't verify" is an EHR problem) and no how-to request
 * (focus.yml `task-request`: "how do i run a list of my patients on insulin" asks for a task, however clinical its words),
 * and nothing of the EHR named (an `ehr-named` rule: "the pharmacy has no prescription for her levetiracetam").
 */
export function soundsClinical(model: ClinicalModel, raw: string, policy: Policy, threshold = MODEL_TUNING.declineAt): boolean {
  const text = prepare(raw);
  const any = (kind: string) => rulesOf(policy, 'clinical', kind).some((r) => ruleMatches(r, text));
  return any('item') && !any('ehr-task') && !any('ehr-named') && !statesFailure(raw, policy) && !requestsTask(raw, policy) && clinicalProbability(model, raw, policy) >= threshold;
}

/**
 * True when a message some phrase rule declines is an EHR failure report by the model's reckoning: it states a
 * failure (focus.yml) about something of the EHR (an `ehr-named` rule; "the type and screen isn't back" is about the
 * patient) and P(clinical) is below MODEL_TUNING.overruleBelow. The decline is then not made.
 */
export function overrulesDecline(model: ClinicalModel, raw: string, policy: Policy): boolean {
  return statesFailure(raw, policy) && namesTheEhr(raw, policy) && clinicalProbability(model, raw, policy) < MODEL_TUNING.overruleBelow;
}

/**
 * kb:lint's floor for the leave-one-out accuracy of each list of clinical-examples.yml. A statistical model cannot
 * get every sentence right, so a single miss is reported, not failed; a list falling below its floor means examples
 * that contradict each other or a class the model no longer learns (docs/quality.md, "Tuning round q12k").
 */
export const MODEL_FLOOR: Record<Label, number> = { clinical: 0.85, ehr: 0.95 };

/** Leave-one-out result of one list of the analysts' example file: accuracy and the sentences it got wrong. */
export interface CrossCheck {
  label: Label;
  total: number;
  correct: number;
  accuracy: number;
  misses: { file: string; text: string; probability: number }[];
}

/**
 * Trains on everything, then labels each sentence of the `clinical:` and `ehr:` lists with a model that has not seen
 * it (its counts taken out), as the decision would (clinical from MODEL_TUNING.declineAt up).
 */
export function crossCheckExamples(policy: Policy, articles: Article[]): CrossCheck[] {
  const model = clinicalModelFor(policy, articles);
  return (['clinical', 'ehr'] as const).map((label) => {
    const misses: CrossCheck['misses'] = [];
    const list = policy.modelExamples[label];
    for (const e of list) {
      const probability = clinicalProbability(model, e.text, policy, { text: e.text, label, source: e.file });
      if ((probability >= MODEL_TUNING.declineAt) !== (label === 'clinical')) misses.push({ file: e.file, text: e.text, probability });
    }
    const correct = list.length - misses.length;
    return { label, total: list.length, correct, accuracy: list.length === 0 ? 1 : correct / list.length, misses };
  });
}
