import path from 'node:path';
import { expect } from 'chai';
import { ANSWER_FEATURES } from '../../bot/knowledge/answer-model.js';
import { calibrationYaml, evalRows, evalFiles, figuresOf, fitCalibration, leaveOneSetOut, rowOutcome, sameCalibration, type CalibrationRow } from '../../bot/knowledge/calibrate.js';
import { buildKnowledgeBase } from '../../bot/knowledge/knowledge-base.js';
import YAML from 'yaml';

/** A synthetic row: the first feature says how sure search is; the first hit is right exactly when it is high. */
function row(set: string, sure: number, expect = 'article-a'): CalibrationRow {
  const features = new Array(ANSWER_FEATURES.length).fill(0);
  features[0] = sure;
  features[ANSWER_FEATURES.indexOf('lead_over_second')] = 1;
  const right = expect !== 'no-match' && sure > 0.5;
  return { set, expect, features, topRight: right, top3Right: right, rule: 'clarify', firstThree: ['article-a', 'article-b', 'article-c'] };
}

describe('knowledge/calibrate: fitting and measuring the answer calibration', () => {
  const sets = ['blind-1', 'blind-2', 'blind-3'];
  const rows = sets.flatMap((set, s) => Array.from({ length: 60 }, (_, i) => row(set, ((i * 7 + s) % 60) / 60, i % 6 === 0 ? 'no-match' : 'article-a')));

  it('counts correct, offered and confidently wrong the way kb:eval does', () => {
    const answerAll = figuresOf(rows, () => 'answer');
    const right = rows.filter((r) => r.topRight).length;
    expect(answerAll.correct).to.equal(right);
    expect(answerAll.confidentlyWrong).to.equal(rows.length - right);
    const nothing = figuresOf(rows, () => 'no-match');
    expect(nothing.correct).to.equal(rows.filter((r) => r.expect === 'no-match').length);
    expect(nothing.inTop3).to.equal(0);
    expect(nothing.articleRows).to.equal(rows.filter((r) => r.expect !== 'no-match').length);
  });

  it('leaves each set out in turn and beats a rule that only ever asks, on sets it did not see', () => {
    const folds = leaveOneSetOut(rows, sets);
    expect(folds.map((f) => f.set)).to.deep.equal(sets);
    for (const f of folds) {
      expect(f.rules.rows).to.equal(60);
      expect(f.calibrated.correct, f.set).to.be.above(f.rules.correct + 20);
      expect(f.calibrated.confidentlyWrong, f.set).to.be.below(6);
    }
  });

  it('answers sure rows and not unsure ones', () => {
    const cal = fitCalibration(rows);
    expect(rowOutcome(cal, row('x', 0.95))).to.equal('answer');
    expect(rowOutcome(cal, row('x', 0.05))).to.equal('no-match');
  });

  it('writes a file that reads back as the same calibration', () => {
    const cal = fitCalibration(rows, { questions: rows.length });
    const back = YAML.parse(calibrationYaml(cal)).calibration;
    expect(sameCalibration(back, cal)).to.equal(true);
    expect(sameCalibration({ ...back, top: { ...back.top, threshold: 0.9 } }, cal)).to.equal(false);
  });

  it('refuses to fit on nothing', () => {
    expect(() => fitCalibration([])).to.throw(/nothing to calibrate/);
  });

  it('reads the golden and training sets, and rows only for questions search decided, without the calibration', function () {
    this.timeout(30_000);
    const files = evalFiles(path.resolve('knowledge'));
    expect(path.basename(files[0])).to.equal('golden.yml');
    expect(files.length).to.be.above(2);
    const kb = buildKnowledgeBase(path.resolve('knowledge'));
    const golden = evalRows(kb, [files[0]]).answers;
    expect(golden.length).to.be.within(200, 471);
    for (const r of golden) expect(r.features).to.have.length(ANSWER_FEATURES.length);
    expect(golden.filter((r) => r.topRight).length / golden.length).to.be.above(0.9);
  });
});
