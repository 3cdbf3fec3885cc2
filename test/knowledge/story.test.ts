import path from 'node:path';
import { expect } from 'chai';
import { decide } from '../../bot/knowledge/decide.js';
import { clearStoryLead, storyFactors } from '../../bot/knowledge/story.js';
import type { SearchHit } from '../../bot/knowledge/search.js';
import { clausesOf, focusWords, isProblemClause, statesFailure } from '../../bot/knowledge/focus.js';
import { buildKnowledgeBase, type KnowledgeBase } from '../../bot/knowledge/knowledge-base.js';
import { normalize } from '../../bot/knowledge/normalize.js';

/** Issue 12 item 4: long, story-style questions are read by the clause that states the problem. */
describe('knowledge: long story-style questions', () => {
  let kb: KnowledgeBase;
  before(() => {
    kb = buildKnowledgeBase(path.resolve('knowledge'));
  });

  const story =
    "i'm on nights and my patient in 12 just came back from ct and when i went to chart his vitals the blood pressure from the monitor never showed up in the flowsheet";

  it('splits a story into clauses and finds the one that states the problem', () => {
    const clauses = clausesOf(story, kb.policy);
    expect(clauses.length).to.be.greaterThan(2);
    expect(clauses.filter((c) => isProblemClause(c, kb.policy))).to.deep.equal([
      'i went to chart his vitals the blood pressure from the monitor never showed up in the flowsheet',
    ]);
    const focus = focusWords(story, kb.policy);
    expect(focus?.has('monitor')).to.equal(true);
    expect(focus?.has('nights')).to.equal(false);
  });

  it('has no focus when there is one clause, or when every clause states a problem', () => {
    expect(focusWords('printer not printing', kb.policy)).to.equal(null);
    expect(focusWords('printer wont print and the scanner is broken', kb.policy)).to.equal(null);
  });

  it('weighs scene-setting words less, only in long messages', () => {
    const factors = storyFactors(kb, story, normalize(story, kb.synonyms, 40, kb.policy));
    const groups = normalize(story, kb.synonyms, 40, kb.policy).groups;
    const of = (word: string) => factors?.[groups.findIndex((g) => g.original.includes(word))];
    expect(of('monitor')).to.equal(1);
    expect(of('nights')).to.be.lessThan(1);
    const short = 'monitor vitals never showed up, i was on nights';
    expect(storyFactors(kb, short, normalize(short, kb.synonyms, 40, kb.policy))).to.equal(undefined);
  });

  it('answers a clear first candidate of a story instead of asking', () => {
    const cases: [string, string][] = [
      [
        'my patient is being discharged home this afternoon and the family wants the instructions, but when i open the discharge navigator half the sections are greyed out and i cant finish',
        'discharge-order-and-navigator',
      ],
      [
        'just finished a 12 hour shift and realized i forgot to chart a dressing change i did at noon, how do i go back and put it in now',
        'late-entry-documentation',
      ],
    ];
    for (const [q, article] of cases) {
      const d = decide(kb, q);
      expect(d.outcome, q).to.equal('answer');
      expect(d.articleId, q).to.equal(article);
    }
  });

  it('answers a story when a modest score lead and the closest phrasing agree, and asks when they do not', () => {
    const d = decide(kb, story);
    expect(d.outcome).to.equal('answer');
    expect(d.articleId).to.equal('device-data-not-flowing');
    const hit = (id: string, score: number, similarity: number): SearchHit => ({
      id, score, coverage: 0.4, similarity, informative: { matched: 1, matchedWeight: 2.5, missedWeight: 0, unknown: 0 },
    });
    expect(clearStoryLead([hit('a', 12, 0.3), hit('b', 10, 0.28), hit('c', 4, 0.1)])).to.equal(true);
    // A rival's phrasing is closer, or the scores are level: two articles fit about equally, so ask.
    expect(clearStoryLead([hit('a', 12, 0.3), hit('b', 10, 0.33), hit('c', 4, 0.1)])).to.equal(false);
    expect(clearStoryLead([hit('a', 10.5, 0.3), hit('b', 10, 0.28), hit('c', 4, 0.1)])).to.equal(false);
    // Without a problem clause the agreement is not enough.
    expect(clearStoryLead([hit('a', 12, 0.3), hit('b', 10, 0.28), hit('c', 4, 0.1)], false)).to.equal(false);
  });

  it('hears "slow" and "just sits there" as the failure of a story', () => {
    expect(statesFailure('other people on the unit say it is slow for them too', kb.policy)).to.equal(true);
    expect(statesFailure('it goes into the queue and just sits there', kb.policy)).to.equal(true);
    const story = 'since the update last night every time I open a chart the whole screen freezes for about 30 seconds, other people on the unit say it is slow for them too but not completely down';
    expect(decide(kb, story, { role: 'nurse' }).articleId).to.equal('ehr-slow-or-frozen');
  });
  it('answers a story whose top article is also clearly the closest phrasing, though scores are close', () => {
    const hit = (id: string, score: number, similarity: number): SearchHit => ({
      id, score, coverage: 0.4, similarity, informative: { matched: 1, matchedWeight: 2.5, missedWeight: 0, unknown: 0 },
    });
    expect(clearStoryLead([hit('a', 10, 0.5), hit('b', 9, 0.38), hit('c', 5, 0.2)])).to.equal(true);
    expect(clearStoryLead([hit('a', 10, 0.5), hit('b', 9, 0.45), hit('c', 5, 0.2)])).to.equal(false);
    expect(clearStoryLead([hit('a', 10, 0.3), hit('b', 9, 0.1)])).to.equal(false);
    const d = decide(
      kb,
      'covering the cardiology floor for a friend today and I signed my discharge summary an hour ago, then saw the follow-up plan is wrong and now it won\'t let me edit the note, what now',
      { role: 'physician' },
    );
    expect(d.outcome).to.equal('answer');
    expect(d.articleId).to.equal('late-entry-documentation');
  });
  it('answers a focused story with a clear lead even when its paraphrased problem covers little of the article', () => {
    const hit = (id: string, score: number, coverage: number): SearchHit => ({
      id, score, coverage, similarity: 0.2, informative: { matched: 1, matchedWeight: 2.5, missedWeight: 0, unknown: 0 },
    });
    expect(clearStoryLead([hit('a', 10, 0.2), hit('b', 5, 0.3)])).to.equal(true);
    // The lead is the evidence: without it, or without a problem clause, low coverage is still not enough.
    expect(clearStoryLead([hit('a', 10, 0.2), hit('b', 8, 0.3)])).to.equal(false);
    expect(clearStoryLead([hit('a', 10, 0.2), hit('b', 5, 0.3)], false)).to.equal(false);
    expect(clearStoryLead([hit('a', 10, 0.1), hit('b', 5, 0.3)])).to.equal(false);
  });
});
