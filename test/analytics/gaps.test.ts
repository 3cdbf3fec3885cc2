import path from 'node:path';
import { expect } from 'chai';
import { pino } from 'pino';
import { clusterQuestions, findGaps } from '../../bot/analytics/gaps.js';
import { AnalyticsRecorder } from '../../bot/analytics/recorder.js';
import { windowEndingAt } from '../../bot/analytics/window.js';
import { buildKnowledgeBase } from '../../bot/knowledge/knowledge-base.js';
import { forEachEngine } from '../helpers/engines.js';
import { manualSchedule, turnEvent } from './events.js';

const kb = buildKnowledgeBase(path.resolve('knowledge'));

/** Three topics the knowledge base lacks, four paraphrases each. */
const TOPICS: Record<string, string[]> = {
  wheelchair: ['how do i order a wheelchair', 'wheelchair request in the ehr', 'where do i request a wheel chair', 'need a wheelchair for my pt, how to order one'],
  interpreter: ['how do i book an interpreter', 'request interpreter services for a patient', 'spanish interpreter for my pt how', 'where is the interpreter request form'],
  diet: ['change the diet order for my patient', 'how do i order a diet tray', 'npo diet order not showing for patient [NAME]', 'where do i put in a cardiac diet'],
};
/** Unrelated one-off questions. */
const NOISE = ['cafeteria hours', 'what is the wifi password for guests', 'parking permit renewal', 'asdf', 'is the gift shop open on sunday', 'patient [NAME] [MRN]'];

function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function expectTopicClusters(clusters: ReturnType<typeof clusterQuestions>): void {
  const top = clusters.slice(0, 3);
  expect(top.map((c) => c.count)).to.deep.equal([4, 4, 4]);
  const groups = top.map((c) => [...c.examples].sort());
  expect(groups).to.have.deep.members(Object.values(TOPICS).map((t) => [...t].sort()));
  for (const c of clusters.slice(3)) expect(c.count, c.examples.join(' | ')).to.equal(1);
}

describe('knowledge gap clustering', () => {
  const questions = Object.values(TOPICS).flat().concat(NOISE).map((question) => ({ question }));

  it('puts paraphrases of one missing topic together and apart from other topics', () => {
    const clusters = clusterQuestions(questions, kb, { maxExamples: 10 });
    expectTopicClusters(clusters);
    expect(clusters.reduce((n, c) => n + c.count, 0)).to.equal(questions.length);
  });

  it('gives the same clusters whatever the order of the questions', () => {
    const reference = clusterQuestions(questions, kb, { maxExamples: 10 }).map((c) => [...c.examples].sort());
    for (const seed of [1, 7, 42]) {
      const again = clusterQuestions(shuffled(questions, seed), kb, { maxExamples: 10 }).map((c) => [...c.examples].sort());
      expect(again).to.have.deep.members(reference);
    }
  });

  it('describes each cluster: key words, examples, and the nearest article with its score', () => {
    const [wheelchair] = clusterQuestions(TOPICS.wheelchair.map((question) => ({ question })), kb);
    expect(wheelchair.count).to.equal(4);
    expect(wheelchair.examples).to.have.length(3);
    expect(wheelchair.terms[0]).to.equal('wheelchair');
    expect(wheelchair.nearestArticle === null || kb.byId.has(wheelchair.nearestArticle)).to.equal(true);
    const [printer] = clusterQuestions([{ question: 'the printer on 4 west is jammed' }, { question: 'printer jammed again' }], kb);
    expect(printer.count).to.equal(2);
    expect(printer.nearestArticle).to.equal('printer-not-printing');
    expect(printer.nearestTitle).to.equal(kb.byId.get('printer-not-printing')?.title);
    expect(printer.nearestScore).to.be.greaterThan(0);
  });

  it('counts repeats of one question and keeps its examples distinct', () => {
    const clusters = clusterQuestions(['cafeteria hours', 'Cafeteria hours', 'cafeteria hours', 'parking permit'].map((question) => ({ question })), kb);
    expect(clusters[0].count).to.equal(3);
    expect(clusters[0].examples).to.deep.equal(['cafeteria hours', 'Cafeteria hours']);
  });

  it('does not join questions that share only redaction placeholders or filler', () => {
    const clusters = clusterQuestions(
      [{ question: '[NAME] wheelchair please' }, { question: '[NAME] interpreter please' }, { question: 'how do i do this' }, { question: '[NAME] [MRN] [DOB]' }],
      kb,
    );
    expect(clusters.map((c) => c.examples)).to.have.deep.members([['[NAME] wheelchair please'], ['[NAME] interpreter please']]);
  });

  it('returns nothing for no questions', () => {
    expect(clusterQuestions([], kb)).to.deep.equal([]);
  });
});

forEachEngine('knowledge gaps from the turns table', (getDb) => {
  const now = new Date('2026-05-20T12:00:00Z');

  before(async () => {
    const recorder = new AnalyticsRecorder({ db: getDb(), logger: pino({ level: 'silent' }), schedule: manualSchedule().schedule });
    let minute = 0;
    const atMinute = () => new Date(now.getTime() - 86_400_000 + 60_000 * minute++);
    for (const [i, question] of Object.values(TOPICS).flat().entries()) {
      recorder.turn(turnEvent({ at: atMinute(), outcome: i % 3 === 0 ? 'clarify' : 'no-match', articleId: null, question }));
    }
    for (const question of NOISE) recorder.turn(turnEvent({ at: atMinute(), outcome: 'no-match', articleId: null, question }));
    // Not gaps: answered questions, and misses outside the window.
    recorder.turn(turnEvent({ at: atMinute(), outcome: 'answer', question: 'wheelchair order' }));
    recorder.turn(turnEvent({ at: new Date('2026-03-01T00:00:00Z'), outcome: 'no-match', articleId: null, question: 'how do i order a wheelchair' }));
    await recorder.close();
  });

  it('clusters the window\'s no-match and clarify questions, biggest first', async () => {
    const clusters = await findGaps(getDb(), kb, windowEndingAt(now, 30 * 86_400_000), { maxExamples: 10 });
    expectTopicClusters(clusters);
    expect(clusters.find((c) => c.examples.includes('wheelchair order'))).to.equal(undefined);
    for (const c of clusters) expect(Date.parse(c.lastSeen as string)).to.be.within(now.getTime() - 86_400_000, now.getTime());
  });

  it('finds no gaps in an empty window', async () => {
    expect(await findGaps(getDb(), kb, windowEndingAt(new Date('2020-01-01T00:00:00Z'), 86_400_000))).to.deep.equal([]);
  });
});
