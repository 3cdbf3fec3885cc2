import { expect } from 'chai';
import { describesSystemRisk, isClinicalQuestion, isUrgent, leansClinical } from '../../bot/knowledge/intents.js';

describe('knowledge/intents', () => {
  describe('describesSystemRisk', () => {
    it('is true when another patient\'s data shows or files in this chart now', () => {
      expect(describesSystemRisk('emar showing another pts meds when i open my pt')).to.equal(true);
      expect(describesSystemRisk('lab results filing to the wrong pt chart')).to.equal(true);
      expect(describesSystemRisk('a different patients vitals are populating in my chart')).to.equal(true);
    });

    it('is true for a near miss and for an outage for many', () => {
      expect(describesSystemRisk('allergy was not showing and i almost gave pcn')).to.equal(true);
      expect(describesSystemRisk('the chart nearly made me give the wrong dose, pt could be harmed')).to.equal(true);
      expect(describesSystemRisk('firstnet is down for all of us in the ed')).to.equal(true);
      expect(describesSystemRisk('powerchart went down on the whole unit')).to.equal(true);
    });

    it('is false for documentation on the wrong chart afterwards, a waiting patient or planned downtime', () => {
      expect(describesSystemRisk('charted vitals on the wrong pt')).to.equal(false);
      expect(describesSystemRisk('wrote my note in the wrong chart')).to.equal(false);
      expect(describesSystemRisk('about to hang blood and the scanner wont read the band')).to.equal(false);
      expect(describesSystemRisk('planned downtime sunday night what should we do')).to.equal(false);
    });

    it('makes a message urgent', () => {
      expect(isUrgent('firstnet is down for all of us in the ed')).to.equal(true);
      expect(isUrgent('emar showing another pts meds')).to.equal(true);
    });
  });

  describe('leansClinical', () => {
    it('is true for a judgement asked about a drug, lab or condition', () => {
      expect(leansClinical('how soon can she have her next dose of the lovenox')).to.equal(true);
      expect(leansClinical('is it ok that the potassium came back like that')).to.equal(true);
    });

    it('is true for a judgement about something that names nothing of the EHR, clinical item or not', () => {
      expect(leansClinical('is it normal for the drain to stop putting anything out on day two')).to.equal(true);
    });

    it('is false for an EHR task naming a drug, a judgement about the EHR, or no judgement at all', () => {
      expect(leansClinical('list of my heparin patients')).to.equal(false);
      expect(leansClinical('how do i chart insulin given late')).to.equal(false);
      expect(leansClinical('should i restart the computer')).to.equal(false);
      expect(leansClinical('is it normal for the mar to take a minute to load')).to.equal(false);
      expect(leansClinical('the drain stopped putting anything out on day two')).to.equal(false);
    });
  });

  describe('isUrgent: care under way and blocked', () => {
    it('is urgent when a procedure or med pass is in progress, or a patient is prepped, and the system blocks it', () => {
      expect(isUrgent('in the middle of my noon med pass and the scanner will not read anything')).to.equal(true);
      expect(isUrgent('the patient is already sedated and the procedure checklist is blank')).to.equal(true);
      expect(isUrgent('the surgeon is scrubbed in and the pathology result will not open')).to.equal(true);
      // Someone merely wanting something is not care under way.
      expect(isUrgent('the attending wants my note changed and i cant find the button')).to.equal(false);
    });

    it('is not urgent when it is over, asked as a how-to, or "urgent" is a billing priority', () => {
      expect(isUrgent('during my med pass yesterday the scanner was down for a while')).to.equal(false);
      expect(isUrgent('how do i document a procedure when the checklist is blank')).to.equal(false);
      expect(isUrgent('i got two urgent coding queries and cannot find where to answer them')).to.equal(false);
    });
  });

  describe('isClinicalQuestion', () => {
    it('declines "what else can I give" for a symptom', () => {
      expect(isClinicalQuestion('zofran didnt work what else can i give for nausea')).to.equal(true);
      expect(isClinicalQuestion('what should we try instead for agitation')).to.equal(true);
    });

    it('declines asking whether a finding is a condition', () => {
      expect(isClinicalQuestion('trop 0.09 is that an mi')).to.equal(true);
      expect(isClinicalQuestion('does this ekg look like afib to you')).to.equal(true);
      expect(isClinicalQuestion('could this be sepsis')).to.equal(true);
    });

    it('still answers EHR questions that use the same frames', () => {
      expect(isClinicalQuestion('what can i do for a printer jam')).to.equal(false);
      expect(isClinicalQuestion('looks like the printer is offline')).to.equal(false);
      expect(isClinicalQuestion('how do i dismiss the sepsis advisory')).to.equal(false);
    });
  });
});
