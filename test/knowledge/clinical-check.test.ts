import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { expect } from 'chai';
import { decide } from '../../bot/knowledge/decide.js';
import { buildKnowledgeBase, type KnowledgeBase } from '../../bot/knowledge/knowledge-base.js';
import { asksAboutPatientCare } from '../../bot/knowledge/intents.js';
import { CLINICAL_OFF_TOPIC_OVERRIDE, CLINICAL_UNANSWERED_THRESHOLD, clinicalCheckBarred, clinicalCheckFeatures, clinicalCheckProbability, fitClinicalCheck, policyClinicalExamples, soundsClinicalLearned } from '../../bot/knowledge/clinical-check.js';
import { sameBinaryModel, binaryWeightsText, type BinaryModel } from '../../bot/knowledge/binary-model.js';
import { loadPolicy } from '../../bot/knowledge/policy.js';

describe('knowledge/clinical-check: the learned clinical-advice check', () => {
  let kb: KnowledgeBase;
  before(() => {
    kb = buildKnowledgeBase(path.resolve('knowledge'));
  });

  it('reads a message as stems, stem pairs joined by "|", and drug / lab words as their class', () => {
    const features = clinicalCheckFeatures('should I hold the heparin', kb.policy);
    expect(features).to.include.members(['should', 'hold', 'should|i', '#drug']);
    expect(features.some((f) => f.includes(' '))).to.equal(false);
  });

  describe('fitting (binary-model.ts)', () => {
    const clinical = ['should i hold the dose', 'should i give the dose', 'is the dose too high', 'should i hold the drip'];
    const ehr = ['how do i chart the dose', 'where do i chart the drip', 'the chart will not load', 'how do i print the dose'];
    const examples = [...clinical.map((text) => ({ text, clinical: true })), ...ehr.map((text) => ({ text, clinical: false }))];

    it('learns which words ask for judgement, is deterministic, and round-trips through the file format', () => {
      const model = fitClinicalCheck(examples, kb.policy);
      expect(clinicalCheckProbability(model, 'should i hold the drip', kb.policy)).to.be.above(0.5);
      expect(clinicalCheckProbability(model, 'how do i chart the drip', kb.policy)).to.be.below(0.5);
      expect(fitClinicalCheck(examples, kb.policy)).to.deep.equal(model);
      // Written as kb:calibrate writes it, read back by the policy loader.
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'elbow-clinical-check-'));
      try {
        fs.writeFileSync(path.join(dir, 'answer-calibration.yml'), YAML.stringify({ clinical_model: { bias: model.bias, threshold: model.threshold, weights: binaryWeightsText(model) } }));
        const reread = loadPolicy(dir).clinicalCheck;
        expect(Object.keys(reread?.weights ?? {})).to.have.length(Object.keys(model.weights).length).and.to.include('should|i');
        expect(sameBinaryModel(reread, model)).to.equal(true);
        expect(sameBinaryModel({ ...model, bias: model.bias + 0.01 }, model)).to.equal(false);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('never declines a stated EHR failure, a how-to request or an ehr-task wording, however sure it is', () => {
      const sure: BinaryModel = { bias: 10, threshold: 0.5, weights: {} };
      for (const q of ['the heparin order will not verify', 'how do i chart the insulin i held', 'BCMA gives a mismatch on the metoprolol, what does that mean']) {
        expect(clinicalCheckBarred(q, kb.policy), q).to.equal(true);
        expect(soundsClinicalLearned(sure, q, kb.policy), q).to.equal(false);
      }
      expect(soundsClinicalLearned(sure, 'is that a lot of morphine for her', kb.policy)).to.equal(true);
      // A failure or a how-to about the patient alone is no bar for a sure check ("not sleeping", "how should I position her").
      for (const q of ['she is really anxious and not sleeping since the news, should she get something', 'how should i position her after a posterior hip replacement']) {
        expect(clinicalCheckBarred(q, kb.policy), q).to.equal(true);
        expect(clinicalCheckBarred(q, kb.policy, true), q).to.equal(false);
        expect(soundsClinicalLearned(sure, q, kb.policy), q).to.equal(true);
      }
    });

    it('lets an everyday off-topic word bar a doubtful check, not a sure one', () => {
      // "raise" is also pay (off-topic.yml): below CLINICAL_OFF_TOPIC_OVERRIDE it bars, from it up it does not.
      const q = 'his pressure is soft, should we raise the levophed or give more fluid';
      const p = (bias: number): BinaryModel => ({ bias, threshold: 0.5, weights: {} });
      expect(clinicalCheckBarred(q, kb.policy, true, 0.6)).to.equal(true);
      expect(clinicalCheckBarred(q, kb.policy, true, CLINICAL_OFF_TOPIC_OVERRIDE)).to.equal(false);
      expect(soundsClinicalLearned(p(0.4), q, kb.policy)).to.equal(false); // P ≈ 0.60
      expect(soundsClinicalLearned(p(1.0), q, kb.policy)).to.equal(true); // P ≈ 0.73
      // An everyday question the check happens to lean on is still barred below the override.
      expect(clinicalCheckBarred('an easy crockpot dinner to bring after a 12', kb.policy, true, 0.6)).to.equal(true);
    });
  });

  it('learns from the analysts\' examples too, not only the eval sets, and never from the article sentences', () => {
    const examples = policyClinicalExamples(kb.policy, kb.articles);
    expect(examples.filter((e) => e.clinical).length).to.be.above(100);
    expect(examples.filter((e) => !e.clinical).length).to.be.above(100);
    const titles = new Set(kb.articles.map((a) => a.title));
    expect(examples.some((e) => titles.has(e.text))).to.equal(false);
  });

  describe('in decide(), on the real knowledge base', () => {
    it('ships a model, and declines a clinical question that no rule words', () => {
      expect(kb.policy.clinicalCheck, 'clinical_model in knowledge/policy/answer-calibration.yml').to.not.equal(undefined);
      const q = 'ICP is 25 with the head of bed up, what next';
      expect(decide(kb, q, { role: 'nurse', learnedClinical: false }).outcome).to.not.equal('decline');
      expect(decide(kb, q, { role: 'nurse' }).outcome).to.equal('decline');
    });

    it('declines from a lower probability only what search left unanswered, never an answer, an off-topic word or a how-to', () => {
      // A model that gives every message P = 0.4: under the threshold (0.5), over the unanswered one (0.3). It knows
      // (weight 0) every feature of the messages below, so each gives it enough evidence to decide on.
      const unanswered = 'what is the best way to handle a family member who yells at staff';
      const known = [unanswered, 'my label printer is not printing', 'is the cafeteria open tonight', 'how do i set up a report of patients on isolation'];
      const weights = Object.fromEntries(known.flatMap((q) => clinicalCheckFeatures(q, kb.policy)).map((f) => [f, 0]));
      const unsure: BinaryModel = { bias: Math.log(0.4 / 0.6), threshold: 0.5, weights };
      expect(unsure.bias).to.be.below(0);
      expect(CLINICAL_UNANSWERED_THRESHOLD).to.be.below(0.4);
      const withUnsure: KnowledgeBase = { ...kb, policy: { ...kb.policy, clinicalCheck: unsure } };
      // Keyboard mash gives the model too little it knows (CLINICAL_UNANSWERED_MIN_FEATURES) to be declined.
      expect(decide(withUnsure, 'qwerty zzz 123', { role: 'nurse' }).outcome).to.equal('no-match');
      expect(decide(kb, unanswered, { role: 'nurse', learnedClinical: false }).outcome).to.equal('no-match');
      expect(decide(withUnsure, unanswered, { role: 'nurse' }).outcome).to.equal('decline');
      expect(decide(withUnsure, unanswered, { role: 'nurse', learnedClinical: false }).outcome).to.equal('no-match');
      const kept: [string, string][] = [
        ['my label printer is not printing', 'answer'],
        ['is the cafeteria open tonight', 'no-match'],
        ['how do i set up a report of patients on isolation', 'no-match'],
      ];
      for (const [q, outcome] of kept) expect(decide(withUnsure, q, { role: 'nurse' }).outcome, q).to.equal(outcome);
    });

    it('declines an unanswered question about a patient that names nothing of the EHR (clinical.yml `unanswered` rules)', () => {
      const rules = new Map([...kb.policy.rules].map(([file, list]) => [file, file === 'clinical' ? list.filter((r) => r.kind !== 'unanswered') : list]));
      const withoutRule: KnowledgeBase = { ...kb, policy: { ...kb.policy, rules } };
      for (const q of ['her toes look dusky after the cast went on, is that ok', 'my guy in 6 keeps pulling off his oxygen, what else can we try']) {
        expect(asksAboutPatientCare(q, kb.policy), q).to.equal(true);
        expect(decide(withoutRule, q, { role: 'nurse', learnedClinical: false }).outcome, q).to.equal('no-match');
        expect(decide(kb, q, { role: 'nurse', learnedClinical: false }).outcome, q).to.equal('decline');
      }
      // Naming the EHR, or a typo in the EHR verb that spelling correction mends, keeps it with the articles.
      for (const q of ['her chart shows the wrong room, is that ok', 'how do I documnet the g tube teaching I did with mom']) {
        expect(decide(kb, q, { role: 'nurse' }).outcome, q).to.not.equal('decline');
      }
    });

    it('leaves EHR questions that name a drug or a lab to the articles', () => {
      for (const q of ['the potassium result is not showing in results review', 'how do I document the second unit of blood', 'where do I find the heparin protocol order set']) {
        expect(decide(kb, q, { role: 'nurse' }).outcome, q).to.not.equal('decline');
      }
    });
  });
});
