import path from 'node:path';
import { expect } from 'chai';
import { decide } from '../../bot/knowledge/decide.js';
import { buildKnowledgeBase, type KnowledgeBase } from '../../bot/knowledge/knowledge-base.js';
import { asksForPerson, isClinicalQuestion, isUrgent, smalltalkKind, urgencyOf } from '../../bot/knowledge/intents.js';

// Situation rules tuned on blind-6, probed in other words than the set's.
describe('knowledge/situations (policy rules from the blind-6 tuning)', () => {
  let kb: KnowledgeBase;
  before(() => {
    kb = buildKnowledgeBase(path.resolve('knowledge'));
  });

  it('makes care waiting on the system now urgent, whatever the word order', () => {
    expect(isUrgent('the dispensing cabinet froze and her vanco is due in fifteen minutes')).to.equal(true);
    expect(isUrgent('surgeon is waiting on the table, consent screen is blank')).to.equal(true);
    expect(isUrgent('sepsis alert on my patient and the lactate order wont go through')).to.equal(true);
  });

  it('keeps hypotheticals, finished events and how-tos out of urgency', () => {
    expect(isUrgent('what do we do with the med pass if epic ever goes down')).to.equal(false);
    expect(isUrgent('i was in a code for two hours so i never charted the 1400 vitals, how do i backtime')).to.equal(false);
    expect(isUrgent('how do i chart insulin right now when the glucometer cant connect')).to.equal(false);
  });

  it('declines judging a value or the next clinical step, with or without a dose', () => {
    expect(isClinicalQuestion('troponin climbed to 0.9 from 0.2, is that something to be worried about')).to.equal(true);
    expect(isClinicalQuestion('map is 58 on norepinephrine, what should we start next')).to.equal(true);
    expect(isClinicalQuestion('how fast should we wean the propofol')).to.equal(true);
    expect(isClinicalQuestion('cefepime 2 g, should it be lowered for her kidneys')).to.equal(true);
  });

  it('declines choosing, timing, reversing and monitoring treatment, and what to do for a condition', () => {
    for (const q of [
      'which antibiotic is safest for a patient with kidney failure',
      'should we give the evening lasix early since she has dialysis in the morning',
      'how do we reverse the xarelto before the procedure',
      'she is allergic to codeine can she still take tramadol',
      'patient in afib with rvr, what should I do first',
      'how often should we recheck the sodium on this patient',
      'what should the heparin rate be after the new anti-xa',
      'should he stay npo after midnight for the echo',
      'does this rhythm strip look like vtach',
      'how would I know if she is getting septic',
      'should the iv lasix be pushed slowly',
      'which would be safer for her kidneys, cipro or bactrim',
      'can mom breastfeed after the ct contrast',
    ]) expect(isClinicalQuestion(q), q).to.equal(true);
  });

  it('does not decline the EHR side of those questions', () => {
    for (const q of [
      'she is allergic to latex, where do I add that to the allergy list',
      'the heparin drip rate isnt showing on the mar, what should we do',
      'can patients on coumadin see their inr results in the portal',
      'how often should I reboot the workstation on wheels',
      'is the ekg showing in the results tab yet',
      'the insulin drip order loads slowly in the mar',
      'where do I document that mom is breastfeeding',
    ]) expect(isClinicalQuestion(q), q).to.equal(false);
  });

  it('does not decline EHR problems that name a dose', () => {
    expect(isClinicalQuestion('the 80 mg order wont sign should i change it')).to.equal(false);
    expect(isClinicalQuestion('the pump reads 25 ml/hr but the emar shows 15 ml/hr')).to.equal(false);
    expect(isClinicalQuestion('scanner says dose mismatch on the lisinopril, what does that mean')).to.equal(false);
  });

  it('does not decline a value told beside a blocked system, or "is that normal" about EHR behaviour', () => {
    expect(isClinicalQuestion('omnicell keeps saying no access for the 0800 insulin and her glucose is 64')).to.equal(false);
    expect(isClinicalQuestion('every time i sign in it wants my pin twice, is that normal')).to.equal(false);
    expect(isClinicalQuestion('the cabinet wont open and his potassium is 3.0, should i give the rider late')).to.equal(true);
    expect(isClinicalQuestion('temp 38.4 two days post op, is that normal')).to.equal(true);
    expect(isClinicalQuestion('what enoxaparin dose should we order for a patient who weighs 140 kg')).to.equal(true);
    expect(isClinicalQuestion('what order type should i pick for a one time dose')).to.equal(false);
  });

  it('answers two records that disagree with the article the risk rule names', () => {
    expect(urgencyOf('the syringe label reads 2 mg of hydromorphone but the emar lists 0.5 mg').article).to.equal('patient-safety-it-issue');
    const d = decide(kb, 'pharmacy label says 50 mg but the order says 25 mg, the pt is waiting', { role: 'nurse' });
    expect(d.urgent).to.equal(true);
    expect(d.outcome).to.equal('answer');
    expect(d.articleId).to.equal('patient-safety-it-issue');
  });

  it('answers an outage with the downtime article even when its wording shares nothing with the article', () => {
    expect(urgencyOf('every workstation on the floor just went to a black screen').article).to.equal('ehr-downtime');
    const d = decide(kb, 'all the workstations in our clinic just went to a blue screen and we have patients checking in', { role: 'nurse' });
    expect(d.urgent).to.equal(true);
    expect(d.outcome).to.equal('answer');
    expect(d.articleId).to.equal('ehr-downtime');
    // A single screen going blank is no outage: no rule names the downtime article for it.
    expect(decide(kb, 'my screen went blank', { role: 'nurse' }).articleId).to.not.equal('ehr-downtime');
  });

  it("answers another patient's data in this chart with the patient-safety article the rule names", () => {
    const d = decide(kb, 'the results tab is showing a different patient than the one I have open', { role: 'nurse' });
    expect(d.urgent).to.equal(true);
    expect(d.articleId).to.equal('patient-safety-it-issue');
  });

  it("answers a past glimpse of another patient's data with the patient-safety article, without urgency", () => {
    const text = "yesterday the emar displayed a different patient's allergies for a moment, it is fine now. who do I let know";
    expect(urgencyOf(text, kb.policy)).to.deep.equal({ urgent: false, systemRisk: false, article: 'patient-safety-it-issue' });
    const d = decide(kb, text, { role: 'nurse' });
    expect(d.outcome).to.equal('answer');
    expect(d.articleId).to.equal('patient-safety-it-issue');
    expect(d.urgent).to.equal(false);
    // A printer "down by the elevators" is a place, not an outage.
    expect(urgencyOf('since this morning my labels go to the printer down by the elevators', kb.policy).article).to.equal(undefined);
  });

  it('reads an ended outage, an EHR alert that pops up and a records query as not urgent; a patient taken down to a study is no outage', () => {
    // An outage that has ended names no article: the question is about what comes after it.
    expect(urgencyOf('the network came back around five, how do I catch up the charting I did on paper', kb.policy)).to.deep.equal({ urgent: false, systemRisk: false });
    expect(urgencyOf('the ehr is down across the whole floor', kb.policy).urgent).to.equal(true);
    expect(isUrgent('the stroke alert window pops up every time I open a chart on this unit')).to.equal(false);
    expect(isUrgent('stroke alert activated and the ct order will not sign')).to.equal(true);
    expect(isUrgent('there is an urgent request from medical records about my op note from june')).to.equal(false);
    const d = decide(kb, 'who do I call to bring my patient down to the MRI suite', { role: 'nurse' });
    expect(d.urgent).to.equal(false);
  });

  it('hears care blocked now in late doses, needing blood now and a device dying mid-transfusion; coding the department is no arrest', () => {
    expect(isUrgent('barcode scanner wont read her band and the heparin is already 20 minutes late')).to.equal(true);
    expect(isUrgent('crossmatch order is missing and the patient needs blood now')).to.equal(true);
    expect(isUrgent('the pump died mid-transfusion and wont restart')).to.equal(true);
    expect(isUrgent('the blood bank order set is missing the platelet option')).to.equal(false);
    expect(isUrgent('coding flagged my discharge summary for a missing diagnosis')).to.equal(false);
    expect(isUrgent('the glucometer wont upload and we are mid code')).to.equal(true);
    expect(isUrgent('the id band on my patient has a different patients name than the chart')).to.equal(true);
    expect(isUrgent('the monitor went black during turning and the vent is alarming')).to.equal(true);
    expect(isUrgent('the code blue flowsheet has a misspelled row')).to.equal(false);
    expect(isUrgent('what does stat mean on an imaging order')).to.equal(false);
  });

  it('reads a message made only of small-talk parts as small talk, answered as its most telling part', () => {
    expect(smalltalkKind('brutal week. anyway hello there')).to.equal('greeting');
    expect(smalltalkKind('ok, crazy night. thank you anyway')).to.equal('thanks');
    expect(smalltalkKind('hey, busy shift huh')).to.equal('vent');
    // One part that is a question keeps the whole a question.
    expect(smalltalkKind('rough night. thanks, but the wristband printer is still jammed')).to.equal(null);
    expect(smalltalkKind('morning. the census list is blank')).to.equal(null);
  });

  it('treats venting as small talk and a request to the EHR team as an escalation', () => {
    expect(smalltalkKind('ugh this weekend has been endless')).to.equal('vent');
    expect(smalltalkKind('night shift cant see the day shift notes')).to.equal(null);
    expect(smalltalkKind('brutal double and i am completely fried')).to.equal('vent');
    expect(smalltalkKind('im tired of the label printer jamming')).to.equal(null);
    expect(asksForPerson('could someone log in to my wow remotely')).to.equal(true);
    expect(asksForPerson('please file a build request with the informatics team for a new row')).to.equal(true);
    expect(asksForPerson('put in a request for a sitter')).to.equal(false);
  });
});
