import path from 'node:path';
import { expect } from 'chai';
import { decide } from '../../bot/knowledge/decide.js';
import { buildKnowledgeBase, type KnowledgeBase } from '../../bot/knowledge/knowledge-base.js';

/** How the real knowledge base decides on kinds of messages that depend on the articles as a whole. */
describe('knowledge: decisions on the real articles', () => {
  let kb: KnowledgeBase;
  before(() => {
    kb = buildKnowledgeBase(path.resolve('knowledge'));
  });

  it('offers no guesses when the message is about an everyday topic (parking, pay, food)', () => {
    for (const q of ['how do i change my direct deposit', 'where do i get a parking permit for the garage', 'is the cafeteria menu posted']) {
      expect(decide(kb, q).outcome, q).to.equal('no-match');
    }
  });

  it('answers with the patient safety article when another patient\'s data shows in the chart now', () => {
    for (const q of ['lab results from another patient are filing to my pts chart right now', 'mar is showing a different pts meds, almost gave one']) {
      const d = decide(kb, q, { role: 'nurse' });
      expect(d.outcome, q).to.equal('answer');
      expect(d.articleId, q).to.equal('patient-safety-it-issue');
      expect(d.urgent, q).to.equal(true);
    }
  });

  it('helps with an EHR failure that blocks care now, although clinical words set the scene; the same words asked as a judgement are declined', () => {
    // Not a training question: clinical words (a condition, a lab value, a drug) around a failure of the MAR.
    const blocked = decide(kb, 'septic with a lactate of 5 and his first dose of zosyn still is not on my mar, he has been waiting on it for an hour', { role: 'nurse' });
    expect(blocked.outcome).to.equal('answer');
    expect(blocked.articleId).to.equal('med-not-on-mar');
    expect(blocked.urgent).to.equal(true);
    const judgement = decide(kb, 'septic with a lactate of 5, how much zosyn should he get and how fast', { role: 'nurse' });
    expect(judgement.outcome).to.equal('decline');
  });

  it('answers with the downtime article when a product is down for everyone', () => {
    const d = decide(kb, 'firstnet is down for all of us', { role: 'physician' });
    expect(d.articleId).to.equal('ehr-downtime');
    expect(d.urgent).to.equal(true);
  });

  it('answers the article whose alternate question the user typed word for word, even when another scores close', () => {
    const d = decide(kb, 'sign button greyed out', { role: 'physician' });
    expect(d.outcome).to.equal('answer');
    expect(d.articleId).to.equal('order-wont-sign');
  });

  it('answers each article asked by its own title', () => {
    for (const article of kb.articles) {
      const d = decide(kb, article.title, { role: article.roles.includes('nurse') ? 'nurse' : article.roles.includes('physician') ? 'physician' : undefined });
      expect(d.candidates[0], article.title).to.equal(article.id);
    }
  });

  it('keeps scanner problems with blood products on the barcode article, documentation on the transfusion article', () => {
    expect(decide(kb, 'scanner will not read the unit of blood', { role: 'nurse' }).candidates[0]).to.equal('barcode-scan-failed');
    expect(decide(kb, 'where do i chart vitals during the transfusion', { role: 'nurse' }).articleId).to.equal('blood-product-administration');
  });
});
