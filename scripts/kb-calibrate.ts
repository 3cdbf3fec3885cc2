/**
 * npm run kb:calibrate -- [--check [--quick]] [--folds] : fits the learned article ranking (bot/knowledge/article-model.ts),
 * the answer calibration (answer-model.ts), the learned urgency check (urgency-model.ts) and the learned clinical-advice
 * check (clinical-check.ts) on knowledge/eval, the articles and the policy examples, and writes
 * knowledge/policy/answer-calibration.yml.
 *   --check  writes nothing; exits 1 when the file is missing, was fitted from other inputs (its `trained.inputs` hash),
 *            or differs from a fresh fit. With --quick only the first two (no refit: what `npm test` runs; the full
 *            check runs in `npm run test:slow`).
 *   --folds  writes nothing; leaves each blind set of knowledge/eval/training out in turn, fits on the rest and
 *            prints the rules' figures and the calibration's on the set it did not see.
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildKnowledgeBase, type KnowledgeBase } from '../bot/knowledge/knowledge-base.js';
import { KnowledgeError } from '../bot/knowledge/load.js';
import { loadPolicy } from '../bot/knowledge/policy.js';
import {
  calibrationFile,
  calibrationInputsHash,
  calibrationYaml,
  evalFiles,
  evalRows,
  articleExamples,
  fitArticleModels,
  fitCalibration,
  fitUrgency,
  leaveOneSetOut,
  sameArticleModel,
  sameCalibration,
  savedInputsHash,
  urgencyLeaveOneSetOut,
  clinicalLeaveOneSetOut,
  fitClinical,
  type CheckFolds,
  type FlagFigures,
  type FoldFigures,
} from '../bot/knowledge/calibrate.js';
import { sameBinaryModel } from '../bot/knowledge/binary-model.js';
import { knowledgePaths, parseArgs, runMain } from './cli.js';

const pct = (a: number, b: number) => (b === 0 ? '-' : `${((a / b) * 100).toFixed(1)} %`);

runMain(async () => {
  const args = parseArgs(process.argv.slice(2));
  const { knowledgeDir } = knowledgePaths();
  const file = calibrationFile(knowledgeDir);
  const shown = path.relative(process.cwd(), file);
  const inputs = calibrationInputsHash(knowledgeDir);
  if (args.flags.has('check')) {
    if (!fs.existsSync(file)) fail(`${shown} is missing: run npm run kb:calibrate`);
    if (savedInputsHash(knowledgeDir) !== inputs) fail(`${shown} is stale (the knowledge or the eval sets changed since it was fitted): run npm run kb:calibrate and commit it`);
    if (args.flags.has('quick')) {
      console.log(`answer calibration is current (inputs ${inputs})`);
      return;
    }
  }
  const files = evalFiles(knowledgeDir);
  const kb = knowledgeWithoutBrokenFile(knowledgeDir, file, args.flags.has('check'));
  const { model: articleModel, bySet } = await fitArticleModels(articleExamples(kb, files), files);
  const { answers: rows, urgency, clinical } = evalRows(kb, files, bySet);

  if (args.flags.has('folds')) {
    const held = [...new Set(rows.map((r) => r.set))].filter((s) => /^blind-\d+$/.test(s));
    const line = (name: string, f: FoldFigures) =>
      `${name.padEnd(12)} ${String(f.rows).padStart(5)} ${String(f.correct).padStart(8)} ${pct(f.inTop3, f.articleRows).padStart(8)} ${String(f.confidentlyWrong).padStart(6)}`;
    console.log(`${'set'.padEnd(12)} ${'rows'.padStart(5)} ${'correct'.padStart(8)} ${'top 3'.padStart(8)} ${'wrong'.padStart(6)}   (rules, then calibrated without the set)`);
    const total = { rules: zero(), calibrated: zero() };
    for (const fold of leaveOneSetOut(rows, held)) {
      console.log(line(fold.set, fold.rules));
      console.log(line('  calibrated', fold.calibrated));
      addInto(total.rules, fold.rules);
      addInto(total.calibrated, fold.calibrated);
    }
    console.log(line('all: rules', total.rules));
    console.log(line('  calibrated', total.calibrated));
    checkReport('urgency, each blind set left out', 'urgent questions', urgencyLeaveOneSetOut(urgency, held), 'urgent recall', 'false alarms');
    checkReport('clinical advice, each blind set left out', 'clinical questions', clinicalLeaveOneSetOut(kb, clinical, held), 'declined', 'other questions declined');
    return;
  }

  const trained = { questions: rows.length, sets: files.map((f) => path.basename(f, '.yml')), inputs };
  const fitted = fitCalibration(rows, trained);
  const urgencyModel = fitUrgency(urgency);
  const clinicalCheck = fitClinical(kb, clinical);
  if (args.flags.has('check')) {
    const saved = loadPolicy(path.dirname(file));
    if (!saved.calibration || !sameCalibration(saved.calibration, fitted) || !sameBinaryModel(saved.urgencyModel, urgencyModel) || !sameBinaryModel(saved.clinicalCheck, clinicalCheck) || !sameArticleModel(saved.articleModel, articleModel)) fail(`${shown} differs from a fresh fit of the same inputs (edited by hand?): run npm run kb:calibrate and commit it`);
    console.log(`answer calibration is current (${rows.length} questions)`);
    return;
  }
  fs.writeFileSync(file, calibrationYaml(fitted, urgencyModel, articleModel, clinicalCheck));
  console.log(`wrote ${shown} (${rows.length} questions decided by search, from ${files.length} set${files.length === 1 ? '' : 's'})`);
});

function zero(): FoldFigures {
  return { rows: 0, correct: 0, inTop3: 0, articleRows: 0, confidentlyWrong: 0 };
}

/** Prints a learned check's leave-one-set-out figures summed over the held sets: rules, check alone, either. */
function checkReport(title: string, noun: string, folds: CheckFolds, caught: string, wrong: string): void {
  const none = (): FlagFigures => ({ positives: 0, flagged: 0, others: 0, falseFlags: 0 });
  const sum = { rules: none(), model: none(), both: none() };
  for (const fold of folds) for (const k of ['rules', 'model', 'both'] as const) addInto(sum[k], fold[k]);
  const show = (name: string, f: FlagFigures) => `${name.padEnd(32)} ${caught} ${pct(f.flagged, f.positives).padStart(8)}  ${wrong} ${f.falseFlags}`;
  console.log(`\n${title} (${sum.rules.positives} ${noun}, ${sum.rules.others} others):`);
  console.log(show('rules (tuned on every set)', sum.rules));
  console.log(show('learned check alone', sum.model));
  console.log(show('rules or learned check', sum.both));
}

/** Adds every count of `f` into `into` (fold figures summed over the held sets). */
function addInto<T extends FoldFigures | FlagFigures>(into: T, f: T): void {
  const sums = into as unknown as Record<string, number>;
  for (const [k, v] of Object.entries(f)) sums[k] += v as number;
}

/**
 * The knowledge base to fit on. A calibration file the policy loader refuses (an older format, a bad hand edit) is
 * exactly what this command rewrites: it is set aside (deleted) rather than blocking its own repair; --check fails.
 */
function knowledgeWithoutBrokenFile(knowledgeDir: string, file: string, checking: boolean): KnowledgeBase {
  try {
    return buildKnowledgeBase(knowledgeDir);
  } catch (err) {
    const own = path.resolve(file);
    if (!(err instanceof KnowledgeError) || !err.problems.every((p) => path.resolve(p.file) === own)) throw err;
    if (checking) fail(`${path.relative(process.cwd(), file)} cannot be read (${err.problems.map((p) => `${p.field}: ${p.message}`).join('; ')}): run npm run kb:calibrate`);
    process.stderr.write(`${path.relative(process.cwd(), file)} could not be read; fitting a new one\n`);
    fs.rmSync(file);
    return buildKnowledgeBase(knowledgeDir);
  }
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

