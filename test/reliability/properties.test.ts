import path from 'node:path';
import { expect } from 'chai';
import fc from 'fast-check';
import { ANSWER_ACTIONS, answerCard, answerText, clarifyCard, parseCardValue } from '../../bot/conversation/cards.js';
import { decide, DECISION_TUNING } from '../../bot/knowledge/decide.js';
import { redact, redactDeep } from '../../bot/privacy/redact.js';
import { buildKnowledgeBase, type KnowledgeBase } from '../../bot/knowledge/knowledge-base.js';
import { normalize } from '../../bot/knowledge/normalize.js';
import { search } from '../../bot/knowledge/search.js';
import { cardSubmitValue, garbageValue, hostileText, randomArticle } from '../helpers/fuzz.js';

const OUTCOMES = ['answer', 'clarify', 'no-match', 'decline', 'smalltalk', 'escalate'];
const role = fc.constantFrom(undefined, 'nurse', 'physician', 'other') as fc.Arbitrary<'nurse' | 'physician' | 'other' | undefined>;

describe('Properties of the pure functions under hostile input', () => {
  let kb: KnowledgeBase;
  before(() => {
    kb = buildKnowledgeBase(path.resolve('knowledge'));
  });

  describe('normalize', () => {
    it('never throws and only ever yields plain letter/digit terms (no lunr operators survive)', () => {
      fc.assert(
        fc.property(hostileText, (text) => {
          const q = normalize(text, kb.synonyms);
          expect(q.groups.length).to.be.at.most(40);
          for (const group of q.groups) for (const term of group.terms) expect(term).to.match(/^[\p{L}\p{N}]+$/u);
          expect(q.text).not.to.match(/<\/?at>/i);
        }),
        { numRuns: 500 },
      );
    });
  });

  describe('search', () => {
    it('returns at most `limit` known articles, ranked by a finite score, with coverage in [0, 1]', () => {
      fc.assert(
        fc.property(hostileText, role, fc.integer({ min: 1, max: 10 }), (text, asker, limit) => {
          const hits = search(kb, normalize(text, kb.synonyms), { role: asker, limit });
          expect(hits.length).to.be.at.most(limit);
          hits.forEach((hit, i) => {
            expect(kb.byId.has(hit.id), hit.id).to.equal(true);
            expect(Number.isFinite(hit.score)).to.equal(true);
            expect(hit.coverage).to.be.within(0, 1);
            if (i > 0) expect(hit.score).to.be.at.most(hits[i - 1].score);
          });
        }),
        { numRuns: 300 },
      );
    });
  });

  describe('decide', () => {
    it('never throws on any text and keeps the Decision contract', () => {
      fc.assert(
        fc.property(hostileText, role, (text, asker) => {
          const d = decide(kb, text, { role: asker });
          expect(OUTCOMES).to.include(d.outcome);
          expect(d.confidence).to.be.within(0, 1);
          expect(d.candidates.length).to.be.at.most(3);
          for (const id of d.candidates) expect(kb.byId.has(id), id).to.equal(true);
          if (d.outcome === 'answer') {
            expect(kb.byId.has(d.articleId as string)).to.equal(true);
            expect(d.candidates[0]).to.equal(d.articleId);
          } else {
            expect(d.articleId).to.equal(null);
          }
          if (d.outcome === 'clarify') expect(d.candidates.length).to.be.within(2, 3);
          expect(d.truncated).to.equal(text.length > DECISION_TUNING.maxSearchChars);
          expect(typeof d.urgent).to.equal('boolean');
        }),
        { numRuns: 1000 },
      );
    });

    it('is deterministic: the same text gives the same decision', () => {
      fc.assert(
        fc.property(hostileText, role, (text, asker) => {
          const a = decide(kb, text, { role: asker });
          const b = decide(kb, text, { role: asker });
          expect({ ...b, hits: b.hits.map((h) => h.id) }).to.deep.equal({ ...a, hits: a.hits.map((h) => h.id) });
        }),
        { numRuns: 200 },
      );
    });

    it('survives values that are not strings at all (a client sending text: 42)', () => {
      fc.assert(
        fc.property(garbageValue.filter((v) => typeof v !== 'string'), (value) => {
          const d = decide(kb, value as string);
          expect(d.outcome).to.equal('no-match');
        }),
        { numRuns: 100 },
      );
    });
  });

  describe('redact', () => {
    it('never throws, is a fixed point, and leaves no run of 6+ digits', () => {
      fc.assert(
        fc.property(hostileText, (text) => {
          const once = redact(text);
          expect(redact(once)).to.equal(once);
          expect(once).not.to.match(/\d{6,}/);
        }),
        { numRuns: 1000 },
      );
    });

    it('removes identifiers embedded anywhere in hostile text', () => {
      const surname = fc.constantFrom('Okonkwo', 'Nguyen', 'Van Der Berg', 'O\'Brien', 'Smith-Jones', 'Kowalczyk', 'Haddad', 'Fitzgerald');
      const mrn = fc.integer({ min: 1_000_000, max: 99_999_999 }).map(String);
      const phone = fc.tuple(fc.integer({ min: 200, max: 999 }), fc.integer({ min: 200, max: 999 }), fc.integer({ min: 1000, max: 9999 })).map(([a, b, c]) => `${a}-${b}-${c}`);
      const dob = fc.date({ min: new Date('1920-01-01'), max: new Date('2020-12-31'), noInvalidDate: true }).map((d) => `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()}`);
      fc.assert(
        fc.property(hostileText, hostileText, surname, mrn, phone, dob, (before, after, name, record, tel, born) => {
          const text = `${before} patient ${name} MRN ${record} call ${tel} DOB ${born} ${after}`;
          const out = redact(text);
          expect(out).not.to.include(record);
          expect(out).not.to.include(tel);
          expect(out).not.to.include(born);
          expect(out).not.to.include(name.split(' ')[0]);
        }),
        { numRuns: 300 },
      );
    });

    it('redactDeep copes with garbage, cycles and deep objects', () => {
      fc.assert(
        fc.property(garbageValue, (value) => {
          const holder: Record<string, unknown> = { value, note: 'pt John Okonkwo MRN 12345678' };
          holder.self = holder;
          const out = redactDeep(holder) as Record<string, unknown>;
          expect(JSON.stringify(out)).not.to.include('12345678');
        }),
        { numRuns: 100 },
      );
    });
  });

  describe('cards', () => {
    const options = fc.record({
      role,
      articleUrl: fc.constantFrom('http://localhost:3978/kb/x', 'https://elbow.example.org/kb/a%20b'),
      turnId: fc.oneof(fc.uuid(), fc.string({ maxLength: 100 })),
      urgent: fc.boolean(),
      helpDeskPhone: fc.constantFrom('x4357', '+1 (555) 010-4357'),
    });

    it('answerCard stays valid JSON with Solved / Not solved / Talk to a person / Open full article, whose data round-trips', () => {
      fc.assert(
        fc.property(randomArticle, options, (article, opts) => {
          const card = answerCard(article, opts);
          const json = JSON.parse(JSON.stringify(card));
          expect(json).to.deep.equal(card);
          expect(card.type).to.equal('AdaptiveCard');
          expect(card.version).to.equal('1.5');
          const actions = card.actions ?? [];
          expect(actions.map((a) => a.title)).to.deep.equal([ANSWER_ACTIONS.solved, ANSWER_ACTIONS.notSolved, ANSWER_ACTIONS.person, 'Open full article']);
          for (const action of actions.filter((a) => a.type === 'Action.Submit')) {
            expect(parseCardValue(action.data)).to.deep.equal(action.data);
          }
          for (const element of card.body) if (element.type === 'TextBlock') expect(typeof element.text).to.equal('string');
          expect(() => answerText(article, opts.role, opts.articleUrl)).not.to.throw();
        }),
        { numRuns: 300 },
      );
    });

    it('clarifyCard offers at most three picks plus "None of these", each picking its article', () => {
      fc.assert(
        fc.property(fc.array(randomArticle, { maxLength: 6 }), (articles) => {
          const card = clarifyCard(articles);
          expect(JSON.parse(JSON.stringify(card))).to.deep.equal(card);
          const actions = card.actions ?? [];
          expect(actions.length).to.equal(Math.min(articles.length, 3) + 1);
          expect(actions.at(-1)?.title).to.equal('None of these');
          actions.slice(0, -1).forEach((action, i) => {
            expect(action.title).to.equal(articles[i].title);
            expect(parseCardValue(action.data)).to.deep.equal({ action: 'pick', articleId: articles[i].id });
          });
        }),
        { numRuns: 200 },
      );
    });

    it('parseCardValue turns any submitted value into one of ours or null, never throwing', () => {
      const actions = ['role', 'feedback', 'escalate', 'pick', 'none-of-these', 'whats-new', 'my-tickets'];
      fc.assert(
        fc.property(cardSubmitValue, (value) => {
          const parsed = parseCardValue(value);
          if (parsed !== null) {
            expect(actions).to.include(parsed.action);
            for (const v of Object.values(parsed)) if (v !== undefined) expect(typeof v).to.equal('string');
          }
        }),
        { numRuns: 1000 },
      );
    });
  });
});
