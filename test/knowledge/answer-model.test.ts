import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import YAML from 'yaml';
import {
  ANSWER_FEATURES,
  calibratedOutcome,
  fitLogistic,
  MIN_ANSWER_LEAD,
  outcomeOfFeatures,
  probability,
  standardization,
  type AnswerCalibration,
} from '../../bot/knowledge/answer-model.js';
import { decide } from '../../bot/knowledge/decide.js';
import { readEvalCases } from '../../bot/knowledge/eval.js';
import { buildKnowledgeBase, createKnowledgeBase, type KnowledgeBase } from '../../bot/knowledge/knowledge-base.js';
import { KnowledgeError } from '../../bot/knowledge/load.js';
import { loadPolicy } from '../../bot/knowledge/policy.js';

/** A deterministic pseudo-random sequence (the tests must not flake). */
function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

describe('knowledge/answer-model: the answer calibration', () => {
  describe('fitLogistic', () => {
    const next = lcg(7);
    // The label follows the first column (with 10 % noise); the second column is noise.
    const rows = Array.from({ length: 400 }, () => [next(), next()]);
    const labels = rows.map(([a]) => ((a > 0.5) !== next() < 0.1 ? 1 : 0));
    const norm = standardization(rows);

    it('learns which feature carries the label, and gives it the weight', () => {
      const w = fitLogistic(rows, labels, norm);
      expect(w).to.have.length(3);
      expect(w[1]).to.be.above(1.5);
      expect(Math.abs(w[2])).to.be.below(0.5);
      const cal = { ...norm };
      const right = rows.filter((r, i) => (probability(cal, { weights: w }, r) >= 0.5 ? 1 : 0) === labels[i]).length;
      expect(right / rows.length).to.be.above(0.85);
    });

    it('is deterministic: the same rows give the same weights', () => {
      expect(fitLogistic(rows, labels, norm)).to.deep.equal(fitLogistic(rows, labels, norm));
    });

    it('standardizes a constant column with scale 1 rather than dividing by zero', () => {
      const s = standardization([[1, 3], [2, 3], [3, 3]]);
      expect(s.mean).to.deep.equal([2, 3]);
      expect(s.scale[1]).to.equal(1);
    });
  });

  describe('outcomeOfFeatures', () => {
    const width = ANSWER_FEATURES.length;
    const lead = ANSWER_FEATURES.indexOf('lead_over_second');
    const sure: AnswerCalibration = {
      features: [...ANSWER_FEATURES],
      mean: new Array(width).fill(0),
      scale: new Array(width).fill(1),
      top: { weights: [10, ...new Array(width).fill(0)], threshold: 0.55 },
      top3: { weights: [10, ...new Array(width).fill(0)], threshold: 0.5 },
    };
    const unsure: AnswerCalibration = { ...sure, top: { ...sure.top, weights: [-10, ...new Array(width).fill(0)] }, top3: { ...sure.top3, weights: [-10, ...new Array(width).fill(0)] } };
    const x = (leadOverSecond: number) => Object.assign(new Array(width).fill(0), { [lead]: leadOverSecond });

    it('answers when the model is sure and the first article leads by at least 10 %', () => {
      expect(outcomeOfFeatures(sure, x(MIN_ANSWER_LEAD + 0.01), 3)).to.equal('answer');
    });

    it('offers the first articles instead when two score within 10 % of each other, however sure the model is', () => {
      expect(outcomeOfFeatures(sure, x(MIN_ANSWER_LEAD / 2), 3)).to.equal('clarify');
    });

    it('says no match when neither model is sure, and never offers a single hit', () => {
      expect(outcomeOfFeatures(unsure, x(2), 3)).to.equal('no-match');
      expect(outcomeOfFeatures(sure, x(0), 1)).to.equal('no-match');
    });
  });

  describe('in decide(), on the real knowledge base', () => {
    let kb: KnowledgeBase;
    before(() => {
      kb = buildKnowledgeBase(path.resolve('knowledge'));
    });

    it('ships a calibration, and every golden question search decides gets the calibrated outcome', () => {
      const calibration = kb.policy.calibration;
      expect(calibration, 'knowledge/policy/answer-calibration.yml').to.not.equal(undefined);
      let decided = 0;
      for (const c of readEvalCases(path.resolve('knowledge/eval/golden.yml'))) {
        const d = decide(kb, c.q, { role: c.role });
        if (!d.signals) continue;
        decided++;
        expect(d.outcome, c.q).to.equal(calibratedOutcome(calibration!, d.signals));
      }
      expect(decided).to.be.above(200);
    });

    it('leaves to the rules what no score may overturn: urgency, clinical judgement, everyday words, smalltalk', () => {
      for (const q of [
        'the whole EHR is down and I have a patient coding',
        'is 40 of lasix enough or should we go to 80',
        'where is the parking garage for night shift',
        'thanks so much',
        'i want to talk to a person',
      ]) {
        const on = decide(kb, q, { role: 'nurse' });
        const off = decide(kb, q, { role: 'nurse', calibrate: false });
        expect(on.signals, q).to.equal(undefined);
        expect({ outcome: on.outcome, articleId: on.articleId, urgent: on.urgent }, q).to.deep.equal({ outcome: off.outcome, articleId: off.articleId, urgent: off.urgent });
      }
    });

    it('answers or offers the right article where the rules alone find no match', () => {
      // A result named by its test and "nowhere": the rules see one article at 0.3 coverage; the calibration answers.
      const missing = 'my discharge summary troponin from this morning is nowhere in results';
      expect(decide(kb, missing, { role: 'physician', calibrate: false }).outcome).to.equal('no-match');
      const answered = decide(kb, missing, { role: 'physician' });
      expect([answered.outcome, answered.articleId]).to.deep.equal(['answer', 'results-not-showing']);
      // A vendor's dictation product and an unknown word: the rules find nothing; with the learned ranking the
      // calibration is sure enough to answer the dictation article.
      const garbled = 'Dragon wrote gibberish all through my H and P today';
      expect(decide(kb, garbled, { role: 'physician', calibrate: false }).outcome).to.equal('no-match');
      const answeredDictation = decide(kb, garbled, { role: 'physician' });
      expect([answeredDictation.outcome, answeredDictation.articleId]).to.deep.equal(['answer', 'dictation-microphone']);
    });
  });

  describe('the calibration file', () => {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'elbow-calibration-'));
      fs.copyFileSync(path.resolve('knowledge/policy/off-topic.yml'), path.join(dir, 'off-topic.yml'));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('is read into the policy', () => {
      fs.copyFileSync(path.resolve('knowledge/policy/answer-calibration.yml'), path.join(dir, 'answer-calibration.yml'));
      const cal = loadPolicy(dir).calibration!;
      expect(cal.features).to.deep.equal([...ANSWER_FEATURES]);
      expect(cal.top.weights).to.have.length(ANSWER_FEATURES.length + 1);
    });

    it('is refused, naming the command that rewrites it, when its features are not the code\'s', () => {
      const data = YAML.parse(fs.readFileSync(path.resolve('knowledge/policy/answer-calibration.yml'), 'utf8'));
      data.calibration.features[0] = 'something_else';
      fs.writeFileSync(path.join(dir, 'answer-calibration.yml'), YAML.stringify(data));
      expect(() => loadPolicy(dir)).to.throw(KnowledgeError, /npm run kb:calibrate/);
    });

    it('is optional: without it there is no calibration and decide() keeps the rules', () => {
      expect(loadPolicy(dir).calibration).to.equal(undefined);
      const kb = buildKnowledgeBase(path.resolve('knowledge'));
      const { calibration, ...rest } = kb.policy;
      expect(calibration).to.not.equal(undefined);
      const without = createKnowledgeBase(kb.articles, kb.synonyms, '', new Date(), rest);
      let differs = 0;
      for (const c of readEvalCases(path.resolve('knowledge/eval/golden.yml'))) {
        const ruled = decide(kb, c.q, { role: c.role, calibrate: false });
        const plain = decide(without, c.q, { role: c.role });
        expect([plain.outcome, plain.articleId], c.q).to.deep.equal([ruled.outcome, ruled.articleId]);
        if (decide(kb, c.q, { role: c.role }).outcome !== ruled.outcome) differs++;
      }
      // ...and the calibration does change some decisions, so the comparison above is not vacuous.
      expect(differs).to.be.above(0);
    });
  });
});
