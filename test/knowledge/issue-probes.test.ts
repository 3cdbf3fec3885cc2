import path from 'node:path';
import { expect } from 'chai';
import { decide } from '../../bot/knowledge/decide.js';
import { buildKnowledgeBase, type KnowledgeBase } from '../../bot/knowledge/knowledge-base.js';

/** The failure patterns named in issue 12, through decide() on the real knowledge base. */
describe('knowledge: issue 12 probes', () => {
  let kb: KnowledgeBase;
  before(() => {
    kb = buildKnowledgeBase(path.resolve('knowledge'));
  });

  it('corrects one misspelled keyword against the knowledge base and logs the corrected words', () => {
    const cases: [string, string, string][] = [
      ['lable printng', 'wristband-label-printing', 'label printing'],
      ['authenticater invaild', 'multi-factor-authentication', 'authenticator invalid'],
      ['forgot my pasword', 'password-reset', 'password'],
      ['how do i add a penicilin allergy', 'allergy-documentation', 'penicillin'],
    ];
    for (const [q, article, corrected] of cases) {
      const d = decide(kb, q);
      expect(d.candidates[0], q).to.equal(article);
      expect(d.correctedText, q).to.include(corrected);
    }
    expect(decide(kb, 'glich in the mar').correctedText).to.include('glitch');
  });

  it('leaves real English words and known words uncorrected', () => {
    expect(decide(kb, 'printer not printing').correctedText).to.equal(undefined);
    expect(decide(kb, 'how do i stop my dog from barking').correctedText).to.equal(undefined);
  });

  it('tells words with a second meaning from emergencies, and honours "not urgent" and past events', () => {
    expect(decide(kb, 'cdi coding query in my inbox').urgent).to.equal(false);
    expect(decide(kb, 'how do i place a stat lab order').urgent).to.equal(false);
    expect(decide(kb, 'not urgent but my printer keeps printing blank pages').urgent).to.equal(false);
    expect(decide(kb, 'during the code blue we had last night the printer jammed').urgent).to.equal(false);
    expect(decide(kb, 'the patient is coding and the chart wont open').urgent).to.equal(true);
    expect(decide(kb, 'insulin due right now and it is not on the mar').urgent).to.equal(true);
  });

  it('declines clinical advice without numbers', () => {
    for (const q of [
      'can i crush an extended release tablet for the ng tube',
      'how do i convert iv to po for this patient',
      'what workup should i order for chest pain',
      'the dose on the mar looks high, is that a safe dose',
    ]) {
      expect(decide(kb, q).outcome, q).to.equal('decline');
    }
  });

  it('treats drug interaction checking not working as an EHR problem, not advice', () => {
    expect(decide(kb, 'drug interaction checking not working when i sign orders').outcome).to.not.equal('decline');
  });
});
