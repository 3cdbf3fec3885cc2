import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { ANSWER_FEATURES, answerFeatures, fitLogistic, outcomeOfFeatures, standardization, type AnswerCalibration, type CalibratedOutcome } from './answer-model.js';
import { decide } from './decide.js';
import { readEvalCases } from './eval.js';
import { sourceFiles, type KnowledgeBase } from './knowledge-base.js';
import { parsePolicyYaml } from './policy.js';
import { urgencyVetoed } from './intents.js';
import { fitUrgencyModel, soundsUrgent, URGENCY_FIT, type UrgencyModel } from './urgency-model.js';
import { binaryWeightsText, type BinaryModel } from './binary-model.js';
import { CLINICAL_FIT, fitClinicalCheck, policyClinicalExamples, soundsClinicalLearned } from './clinical-check.js';
import { ARTICLE_FIT, NO_ARTICLE, articleFeatures, articleWeightsText, type ArticleExample, type ArticleModel } from './article-model.js';
import { fitArticleModelsInParallel } from './article-fit-worker.js';
import { readQuery } from './query.js';

/**
 * Fitting the answer calibration (answer-model.ts) from the evaluation sets, and measuring it honestly: leave one
 * blind set out, fit on the rest, decide the left-out set. Used by `npm run kb:calibrate`.
 */

/**
 * The probabilities from which the calibration answers, and offers the first three. Chosen by leaving each blind set
 * out (kb:calibrate --folds, docs/quality.md round q12l): 0.5 answers 3 more right and 7 more wrong; 0.6 the reverse.
 */
export const CALIBRATION_TUNING = { answerThreshold: 0.55, offerThreshold: 0.5 };

/** One evaluation question that search decided: its features, what was right, and what the rules did. */
export interface CalibrationRow {
  set: string;
  expect: string;
  features: number[];
  /** The first hit is the expected article. */
  topRight: boolean;
  /** The expected article is among the first three hits. */
  top3Right: boolean;
  rule: CalibratedOutcome;
  /** The first three hits (ids): what an answer or an offer would be. */
  firstThree: string[];
}

/** The evaluation files of a knowledge directory: eval/golden.yml, then eval/training/*.yml, sorted. */
export function evalFiles(knowledgeDir: string): string[] {
  const dir = path.join(knowledgeDir, 'eval');
  const training = path.join(dir, 'training');
  const golden = path.join(dir, 'golden.yml');
  return [
    ...(fs.existsSync(golden) ? [golden] : []),
    ...(fs.existsSync(training) ? fs.readdirSync(training).filter((f) => f.endsWith('.yml')).sort().map((f) => path.join(training, f)) : []),
  ];
}

/** The calibration file inside a knowledge directory. */
export function calibrationFile(knowledgeDir: string): string {
  return path.join(knowledgeDir, 'policy', 'answer-calibration.yml');
}

/**
 * A hash of everything a fit depends on: the articles, synonyms and policy (not the calibration file itself), the
 * evaluation sets, and the features and settings of the code. Written into the file (`trained.inputs`): when it no
 * longer matches, the file is stale without refitting anything (kb:lint warns, `kb:calibrate -- --check` fails).
 */
export function calibrationInputsHash(knowledgeDir: string): string {
  const hash = crypto.createHash('sha256');
  hash.update(JSON.stringify({ features: ANSWER_FEATURES, tuning: CALIBRATION_TUNING, urgency: URGENCY_FIT, clinical: CLINICAL_FIT, article: ARTICLE_FIT, folds: ARTICLE_FOLDS })).update('\0');
  const own = path.resolve(calibrationFile(knowledgeDir));
  for (const file of [...sourceFiles(knowledgeDir), ...evalFiles(knowledgeDir)]) {
    if (path.resolve(file) === own) continue;
    hash.update(path.relative(knowledgeDir, file)).update('\0').update(fs.readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * The inputs hash a calibration file was fitted from, or undefined when it has none or is missing. After a policy load
 * of the same file (kb:lint) this reuses its parse instead of reading ~350 KB of YAML twice.
 */
export function savedInputsHash(knowledgeDir: string): string | undefined {
  const file = calibrationFile(knowledgeDir);
  if (!fs.existsSync(file)) return undefined;
  const inputs = (parsePolicyYaml(fs.readFileSync(file, 'utf8')) as { calibration?: { trained?: { inputs?: unknown } } } | null)?.calibration?.trained?.inputs;
  return typeof inputs === 'string' ? inputs : undefined;
}

/**
 * The learned article ranking is cross-fitted: the evaluation sets are dealt round-robin into this many folds, and the
 * calibration learns from each question as ranked by a model fitted without its fold (a model that has seen a question
 * is surer of it than of a new one). The model written to the file is fitted on everything.
 */
export const ARTICLE_FOLDS = 5;

/** The learned ranking's features of a message, as decide() computes them. */
export function messageFeatures(kb: KnowledgeBase, text: string, story = true): Map<string, number> {
  const { query, groupFactors } = readQuery(kb, text);
  return articleFeatures(query, story ? groupFactors : undefined);
}

/** An example for the article model, with the evaluation set it came from (none for the articles' own phrasings). */
export interface LabelledExample extends ArticleExample {
  set?: string;
}

/**
 * The article model's examples: every article's title, alternate questions and tags, every eval question about an
 * article, and every eval question no article answers (as NO_ARTICLE).
 */
export function articleExamples(kb: KnowledgeBase, files: string[]): LabelledExample[] {
  const examples: LabelledExample[] = [];
  for (const a of kb.articles) {
    for (const text of [a.title, ...a.questions, ...a.tags]) examples.push({ features: messageFeatures(kb, text, false), article: a.id });
  }
  for (const file of files) {
    const set = path.basename(file, '.yml');
    for (const c of readEvalCases(file)) {
      const article = kb.byId.has(c.expect) ? c.expect : c.expect === 'no-match' ? NO_ARTICLE : undefined;
      if (article) examples.push({ set, features: messageFeatures(kb, c.q), article });
    }
  }
  return examples;
}

/** The fold of each evaluation set (sets dealt round-robin in file order). */
export function articleFolds(files: string[]): Map<string, number> {
  return new Map(files.map((f, i) => [path.basename(f, '.yml'), i % ARTICLE_FOLDS]));
}

/**
 * The article model on every example, and one per fold fitted without that fold's sets (for evalRows); the fits run
 * side by side in worker threads (article-fit-worker.ts), one per CPU.
 */
export async function fitArticleModels(examples: LabelledExample[], files: string[]): Promise<{ model: ArticleModel; bySet: Map<string, ArticleModel> }> {
  const folds = articleFolds(files);
  const foldCount = Math.min(ARTICLE_FOLDS, files.length);
  const jobs = Array.from({ length: foldCount }, (_, fold) => examples.filter((e) => e.set === undefined || folds.get(e.set) !== fold));
  const fitted = await fitArticleModelsInParallel([examples, ...jobs]);
  const bySet = new Map<string, ArticleModel>();
  for (const [set, f] of folds) bySet.set(set, fitted[1 + f]);
  return { model: fitted[0], bySet };
}

/**
 * One pass over the evaluation sets with the learned parts switched off (they must not learn from themselves), each
 * question ranked by `articleModels` of its set (cross-fitted) or by none: the answer rows of the questions search
 * decided, and every question's urgency row.
 */
export function evalRows(kb: KnowledgeBase, files: string[], articleModels?: Map<string, ArticleModel>): { answers: CalibrationRow[]; urgency: UrgencyRow[]; clinical: ClinicalRow[] } {
  const answers: CalibrationRow[] = [];
  const urgency: UrgencyRow[] = [];
  const clinical: ClinicalRow[] = [];
  for (const file of files) {
    const set = path.basename(file, '.yml');
    const articleModel = articleModels?.get(set) ?? false;
    for (const c of readEvalCases(file)) {
      const d = decide(kb, c.q, { role: c.role, calibrate: false, learnedUrgency: false, learnedClinical: false, articleModel });
      urgency.push({ set, text: c.q, urgent: Boolean(c.urgent), rule: d.urgent, vetoed: urgencyVetoed(c.q, kb.policy), smalltalk: d.outcome === 'smalltalk' });
      clinical.push({ set, text: c.q, clinical: c.expect === 'decline', rule: d.outcome === 'decline', before: d.outcome === 'escalate' || d.outcome === 'smalltalk' });
      const signals = d.signals;
      if (!signals) continue;
      const firstThree = signals.hits.slice(0, 3).map((h) => h.id);
      answers.push({ set, expect: c.expect, features: answerFeatures(signals), topRight: firstThree[0] === c.expect, top3Right: firstThree.includes(c.expect), rule: signals.rule, firstThree });
    }
  }
  return { answers, urgency, clinical };
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

/** Fits the calibration to rows (weights rounded to 6 decimals, as written to the file). */
export function fitCalibration(rows: CalibrationRow[], trained?: Record<string, unknown>): AnswerCalibration & { trained?: Record<string, unknown> } {
  if (rows.length === 0) throw new Error('no evaluation question reached the search: nothing to calibrate on');
  const x = rows.map((r) => r.features);
  const norm = standardization(x);
  const top = fitLogistic(x, rows.map((r) => (r.topRight ? 1 : 0)), norm);
  const top3 = fitLogistic(x, rows.map((r) => (r.top3Right ? 1 : 0)), norm);
  return {
    features: [...ANSWER_FEATURES],
    mean: norm.mean.map(round),
    scale: norm.scale.map(round),
    top: { weights: top.map(round), threshold: CALIBRATION_TUNING.answerThreshold },
    top3: { weights: top3.map(round), threshold: CALIBRATION_TUNING.offerThreshold },
    ...(trained ? { trained } : {}),
  };
}

/** The outcome the calibration gives one row (the same rule as calibratedOutcome, on stored features). */
export function rowOutcome(cal: AnswerCalibration, row: CalibrationRow): CalibratedOutcome {
  return outcomeOfFeatures(cal, row.features, row.firstThree.length);
}

/** How a set of rows fares under one way of deciding. */
export interface FoldFigures {
  rows: number;
  correct: number;
  /** Article questions with the right article answered or offered. */
  inTop3: number;
  articleRows: number;
  confidentlyWrong: number;
}

const OUTCOMES = new Set(['decline', 'no-match', 'smalltalk', 'escalate']);

/** Figures of rows decided by `outcomeOf` (correct = the right article answered, or no-match when that was expected). */
export function figuresOf(rows: CalibrationRow[], outcomeOf: (r: CalibrationRow) => CalibratedOutcome): FoldFigures {
  const f: FoldFigures = { rows: rows.length, correct: 0, inTop3: 0, articleRows: 0, confidentlyWrong: 0 };
  for (const r of rows) {
    const o = outcomeOf(r);
    const article = !OUTCOMES.has(r.expect);
    if (o === 'answer' ? r.topRight : o === 'no-match' && r.expect === 'no-match') f.correct++;
    if (o === 'answer' && !r.topRight) f.confidentlyWrong++;
    if (article) {
      f.articleRows++;
      if (o === 'answer' ? r.topRight : o === 'clarify' && r.top3Right) f.inTop3++;
    }
  }
  return f;
}

/** Leave-one-set-out: for each held set, the rules' figures and the figures of a calibration fitted without it. */
export function leaveOneSetOut(rows: CalibrationRow[], heldSets: string[]): { set: string; rules: FoldFigures; calibrated: FoldFigures }[] {
  return heldSets.map((set) => {
    const held = rows.filter((r) => r.set === set);
    const cal = fitCalibration(rows.filter((r) => r.set !== set));
    return { set, rules: figuresOf(held, (r) => r.rule), calibrated: figuresOf(held, (r) => rowOutcome(cal, r)) };
  });
}

/** One evaluation question's urgency: its label, what the rules said, whether a rule vetoes urgency, small talk. */
export interface UrgencyRow {
  set: string;
  text: string;
  urgent: boolean;
  rule: boolean;
  vetoed: boolean;
  smalltalk: boolean;
}

/** The learned urgency check fitted to rows. */
export function fitUrgency(rows: UrgencyRow[]): UrgencyModel {
  return fitUrgencyModel(rows.map((r) => ({ text: r.text, urgent: r.urgent })));
}

/** How one way of flagging (urgent, or clinical advice to decline) does on held questions. */
export interface FlagFigures {
  /** Questions labelled so (urgent, or `decline`). */
  positives: number;
  /** ...of which flagged. */
  flagged: number;
  /** Other questions held out. */
  others: number;
  /** ...of which flagged. */
  falseFlags: number;
}

/** Per held set: the rules alone, a learned check alone (fitted without the set), and the rules or the check. */
export type CheckFolds = { set: string; rules: FlagFigures; model: FlagFigures; both: FlagFigures }[];

/** Leave-one-set-out for a learned check beside the rules (`rule` on each row); `fitWithout` fits it on the other sets. */
function checkLeaveOneSetOut<R extends { set: string; rule: boolean }>(rows: R[], heldSets: string[], positive: (r: R) => boolean, fitWithout: (train: R[]) => (r: R) => boolean): CheckFolds {
  return heldSets.map((set) => {
    const learned = fitWithout(rows.filter((r) => r.set !== set));
    const held = rows.filter((r) => r.set === set);
    const figures = (flag: (r: R) => boolean): FlagFigures => ({
      positives: held.filter(positive).length,
      flagged: held.filter((r) => positive(r) && flag(r)).length,
      others: held.filter((r) => !positive(r)).length,
      falseFlags: held.filter((r) => !positive(r) && flag(r)).length,
    });
    return { set, rules: figures((r) => r.rule), model: figures(learned), both: figures((r) => r.rule || learned(r)) };
  });
}

/** Leave-one-set-out for the learned urgency check: the model alone, and the rules or the model (as decide() flags). */
export function urgencyLeaveOneSetOut(rows: UrgencyRow[], heldSets: string[]): CheckFolds {
  return checkLeaveOneSetOut(rows, heldSets, (r) => r.urgent, (train) => {
    const model = fitUrgency(train);
    return (r) => !r.vetoed && !r.smalltalk && soundsUrgent(model, r.text);
  });
}

/**
 * One evaluation question for the learned clinical-advice check: its label, whether the rules (phrase rules and the
 * naive Bayes check) declined it, and whether escalation or small talk took it first.
 */
export interface ClinicalRow {
  set: string;
  text: string;
  clinical: boolean;
  rule: boolean;
  before: boolean;
}

/** The learned clinical-advice check fitted to rows and the analysts' policy examples. */
export function fitClinical(kb: KnowledgeBase, rows: ClinicalRow[]): BinaryModel {
  return fitClinicalCheck([...policyClinicalExamples(kb.policy, kb.articles), ...rows.map((r) => ({ text: r.text, clinical: r.clinical }))], kb.policy);
}

/**
 * Leave-one-set-out for the learned clinical check: the rules alone, the check alone (fitted without the set, with its
 * bars), and the rules or the check (as decide() declines). The policy examples are always learned from.
 */
export function clinicalLeaveOneSetOut(kb: KnowledgeBase, rows: ClinicalRow[], heldSets: string[]): CheckFolds {
  return checkLeaveOneSetOut(rows, heldSets, (r) => r.clinical, (train) => {
    const model = fitClinical(kb, train);
    return (r) => !r.before && soundsClinicalLearned(model, r.text, kb.policy);
  });
}

/** The calibration file's text: a comment saying what it is and how it was made, then the numbers. */
export function calibrationYaml(cal: AnswerCalibration & { trained?: Record<string, unknown> }, urgency?: UrgencyModel, article?: ArticleModel, clinical?: BinaryModel): string {
  const header = [
    '# The answer calibration: written by `npm run kb:calibrate`, do not edit by hand (CI checks it is current).',
    '# Two logistic models over what search saw of a message (bot/knowledge/answer-model.ts): the chance that the first',
    '# article is right (answer it) and that the right one is among the first three (offer them); below both, no match.',
    '# Fitted on knowledge/eval (golden and training sets). After editing articles, synonyms, policy or eval sets, run',
    '# `npm run kb:calibrate` and commit this file; `npm run kb:calibrate -- --folds` shows what it does on sets it has',
    '# not seen (leave one blind set out). To switch the calibration off, delete this file.',
    '# urgency_model: the learned urgency check (bot/knowledge/urgency-model.ts), a weight per word or word pair, fitted',
    '# on the sets\' `urgent: true` labels; a message is urgent when the urgency rules or this model say so.',
    '# clinical_model: the learned clinical-advice check (bot/knowledge/clinical-check.ts), a weight per stem, stem pair',
    '# ("a|b") or word class ("#drug"), fitted on the sets\' `decline` labels and the policy examples.',
    '# article_model: the learned article ranking (bot/knowledge/article-model.ts), fitted on the articles\' own phrasings',
    '# and the sets\' labelled questions; one line per word, "word k:weight", k the position of an article in `articles`.',
  ];
  const data = {
    calibration: cal,
    ...(urgency ? { urgency_model: { bias: urgency.bias, threshold: urgency.threshold, weights: binaryWeightsText(urgency) } } : {}),
    ...(clinical ? { clinical_model: { bias: clinical.bias, threshold: clinical.threshold, weights: binaryWeightsText(clinical) } } : {}),
    ...(article ? { article_model: { articles: article.articles, bias: article.bias, weights: articleWeightsText(article) } } : {}),
  };
  return `${header.join('\n')}\n${YAML.stringify(data, { lineWidth: 0, flowCollectionPadding: false })}`;
}

/** True when two calibrations have the same features, thresholds and numbers. */
export function sameCalibration(a: AnswerCalibration, b: AnswerCalibration): boolean {
  const same = (x: number[], y: number[]) => x.length === y.length && x.every((v, i) => Math.abs(v - y[i]) <= 2e-6);
  return (
    a.features.join() === b.features.join() &&
    same(a.mean, b.mean) &&
    same(a.scale, b.scale) &&
    same(a.top.weights, b.top.weights) &&
    same(a.top3.weights, b.top3.weights) &&
    a.top.threshold === b.top.threshold &&
    a.top3.threshold === b.top3.threshold
  );
}

/** True when two article models know the same articles with the same intercepts and weights. */
export function sameArticleModel(a: ArticleModel | undefined, b: ArticleModel): boolean {
  if (!a || a.articles.join() !== b.articles.join() || a.bias.some((v, k) => Math.abs(v - b.bias[k]) > 2e-4)) return false;
  const weight = (m: ArticleModel, f: string, k: number) => m.weights.get(f)?.find(([i]) => i === k)?.[1] ?? 0;
  const keys = new Set([...a.weights.keys(), ...b.weights.keys()]);
  return [...keys].every((f) => b.articles.every((_, k) => Math.abs(weight(a, f, k) - weight(b, f, k)) <= 2e-4));
}
