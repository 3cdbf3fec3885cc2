import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { decide } from '../../bot/knowledge/decide.js';
import { buildKnowledgeBase } from '../../bot/knowledge/knowledge-base.js';
import { clinicalModelOf, crossCheckExamples, clinicalProbability, MODEL_FLOOR, overrulesDecline, soundsClinical } from '../../bot/knowledge/clinical-model.js';
import { isClinicalQuestion } from '../../bot/knowledge/intents.js';
import { KnowledgeError, loadArticles } from '../../bot/knowledge/load.js';
import { loadPolicy } from '../../bot/knowledge/policy.js';

/** One valid article file. */
function article(id: string, title: string, questions: string[]): string {
  return `---\nid: ${id}\ntitle: ${title}\nroles: [everyone]\nquestions:\n${questions.map((q) => `  - ${q}`).join('\n')}\ntags: []\nowner: test\nreviewed: 2026-06-01\n---\n${title}.\n\n## Steps\n1. Open the chart.\n2. Follow the screen.\n`;
}

const CLINICAL_YML = `vocabularies:
  drug: [heparin, insulin, morphine, codeine, lasix, tylenol, warfarin]
  named_lab: [potassium, inr, glucose]
  condition: [afib, sepsis, nausea]
rules:
  - id: what-dose
    kind: advice
    pattern: '\\bwhat dose\\b'
    examples: {match: [what dose of heparin for afib], nomatch: [where do i chart the heparin]}
  - id: how-to
    kind: ehr-task
    pattern: '^how do i (?:chart|document|order)\\b'
    examples: {match: [how do i chart the insulin], nomatch: [what dose of insulin]}
  - id: item
    kind: item
    pattern: '\\b(?:{drug}|{named_lab}|{condition})\\b'
    examples: {match: [heparin], nomatch: [printer]}
`;

const FOCUS_YML = `rules:
  - id: failure
    kind: failure
    pattern: "\\\\b(?:wont|isnt|not showing|missing|blank)\\\\b"
    examples: {match: [the mar is blank], nomatch: [what is the mar]}
  - id: task
    kind: task-request
    pattern: '^how (?:do|can) i\\b'
    examples: {match: [how do i print], nomatch: [why is it slow]}
`;

const CLINICAL = [
  'should she still get the warfarin with an inr like that', 'is the potassium high enough to treat', 'can he have tylenol for the fever',
  'what can i give her for the nausea', 'is it safe to push the lasix that fast', 'does he need more insulin with a glucose that high',
  'should we hold the heparin before the procedure', 'what would you give for afib with a fast rate', 'is morphine ok with her kidneys',
  'can she take tylenol and warfarin together', 'does the low potassium need replacing before the lasix', 'what should i give for sepsis first',
];
const EHR = [
  'where do i see the inr trend', 'the heparin order is stuck in pharmacy verify', 'print the list of my patients on insulin',
  'the glucose result went to the wrong chart', 'scanner will not read the morphine barcode', 'pull up the last potassium in results review',
  'warfarin teaching sheet for the family', 'the afib order set is missing a tab', 'reprint the lasix label for the bag',
  'the nausea reassessment row is gone from the flowsheet', 'who verified the tylenol order', 'change the time on the sepsis screening task',
];

/** A small handmade knowledge directory: two articles, a three-rule clinical policy and the example lists. */
function knowledgeDir(examples = { clinical: CLINICAL, ehr: EHR }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'elbow-clinical-model-'));
  fs.mkdirSync(path.join(dir, 'articles'));
  fs.mkdirSync(path.join(dir, 'policy'));
  fs.writeFileSync(path.join(dir, 'articles', 'mar-documentation.md'), article('mar-documentation', 'Documenting a medication on the MAR', ['how do i chart a dose of heparin on the mar', 'mar will not let me document insulin', 'where do i find the morphine on the mar', 'document a held dose']));
  fs.writeFileSync(path.join(dir, 'articles', 'results-not-showing.md'), article('results-not-showing', 'Lab results are not showing', ['where is the inr result', 'potassium result not in the chart', 'cannot find the glucose from this morning', 'lab results missing']));
  fs.writeFileSync(path.join(dir, 'synonyms.yml'), 'mar: [emar]\n');
  fs.writeFileSync(path.join(dir, 'policy', 'clinical.yml'), CLINICAL_YML);
  fs.writeFileSync(path.join(dir, 'policy', 'focus.yml'), FOCUS_YML);
  const list = (items: string[]) => items.map((t) => `  - ${t}`).join('\n');
  fs.writeFileSync(path.join(dir, 'policy', 'clinical-examples.yml'), `class_features: [drug, named_lab, condition]\nclinical:\n${list(examples.clinical)}\nehr:\n${list(examples.ehr)}\n`);
  return dir;
}

describe('knowledge/clinical-model', () => {
  it('declines a clinical wording no rule and no example has, naming a drug the examples never named', () => {
    const kb = buildKnowledgeBase(knowledgeDir());
    const question = 'is it alright to give codeine to a patient whose glucose is that low';
    expect(isClinicalQuestion(question, kb.policy), 'no phrase rule declines it').to.equal(false);
    expect(clinicalProbability(clinicalModelOf(kb), question, kb.policy)).to.be.at.least(0.9);
    expect(decide(kb, question).outcome).to.equal('decline');
  });

  it('keeps an EHR question that names a drug, and a stated failure or a how-to request, out of the decline', () => {
    const kb = buildKnowledgeBase(knowledgeDir());
    for (const question of ['where is the codeine on the mar', 'the heparin dose is not showing on the mar', 'how can i find the inr result from yesterday']) {
      expect(soundsClinical(clinicalModelOf(kb), question, kb.policy), question).to.equal(false);
      expect(decide(kb, question).outcome, question).to.not.equal('decline');
    }
  });

  it('is retrained when the examples change: an analyst fixes a miss by adding sentences', () => {
    const question = 'does her afib mean she needs warfarin now';
    const before = buildKnowledgeBase(knowledgeDir({ clinical: CLINICAL.slice(0, 2), ehr: EHR }));
    const after = buildKnowledgeBase(knowledgeDir());
    expect(clinicalProbability(clinicalModelOf(after), question, after.policy)).to.be.greaterThan(clinicalProbability(clinicalModelOf(before), question, before.policy));
    expect(decide(after, question).outcome).to.equal('decline');
  });

  it('reports leave-one-out accuracy per list, below the floor when the lists contradict each other', () => {
    const good = knowledgeDir();
    const checks = crossCheckExamples(loadPolicy(path.join(good, 'policy')), loadArticles(path.join(good, 'articles')));
    expect(checks.map((c) => [c.label, c.total])).to.deep.equal([['clinical', CLINICAL.length], ['ehr', EHR.length]]);
    // Half the clinical sentences filed as EHR: the model cannot tell the lists apart any more.
    const bad = knowledgeDir({ clinical: CLINICAL.slice(0, 6), ehr: [...EHR, ...CLINICAL.slice(6)] });
    const low = crossCheckExamples(loadPolicy(path.join(bad, 'policy')), loadArticles(path.join(bad, 'articles')));
    const ehr = low.find((c) => c.label === 'ehr')!;
    expect(ehr.accuracy).to.be.below(MODEL_FLOOR.ehr).and.below(checks[1].accuracy);
    expect(ehr.misses.some((m) => CLINICAL.includes(m.text)), 'the misfiled sentences are the ones reported').to.equal(true);
    expect(ehr.misses.every((m) => path.basename(m.file) === 'clinical-examples.yml')).to.equal(true);
  });

  it('rejects a malformed list: an empty sentence, or one sentence in both lists, naming the file', () => {
    for (const examples of [{ clinical: [...CLINICAL, "''"], ehr: EHR }, { clinical: CLINICAL, ehr: [...EHR, CLINICAL[0]] }]) {
      const dir = knowledgeDir(examples);
      let error: unknown;
      try {
        loadPolicy(path.join(dir, 'policy'));
      } catch (err) {
        error = err;
      }
      expect(error).to.be.instanceOf(KnowledgeError);
      expect((error as KnowledgeError).message).to.include('clinical-examples.yml');
    }
  });

  it('overrules a phrase rule that declines a stated EHR failure the model finds not clinical (shipped knowledge)', () => {
    const kb = buildKnowledgeBase(path.resolve('knowledge'));
    const question = 'the troponin of 0.4 isnt showing in results review and the lab screen is blank';
    expect(isClinicalQuestion(question, kb.policy), 'a phrase rule declines it').to.equal(true);
    expect(overrulesDecline(clinicalModelOf(kb), question, kb.policy)).to.equal(true);
    expect(decide(kb, question).outcome).to.not.equal('decline');
    // A clinical question that states a failure keeps its decline.
    expect(overrulesDecline(clinicalModelOf(kb), 'the zofran did nothing for her, what else can i give for nausea', kb.policy)).to.equal(false);
  });
});
