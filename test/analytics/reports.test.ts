import path from 'node:path';
import { expect } from 'chai';
import { pino } from 'pino';
import { AnalyticsRecorder } from '../../bot/analytics/recorder.js';
import {
  dailySeries,
  deflectionCounts,
  deflectionRate,
  fillDailySeries,
  notHelpfulArticles,
  openTicketReport,
  staleArticles,
  topQuestions,
} from '../../bot/analytics/reports.js';
import { buildSummary } from '../../bot/analytics/summary.js';
import { parseDuration, windowEndingAt } from '../../bot/analytics/window.js';
import type { Article } from '../../bot/knowledge/article.js';
import { buildKnowledgeBase } from '../../bot/knowledge/knowledge-base.js';
import { createTicket, updateTicketStatus } from '../../bot/escalation/tickets.js';
import { forEachEngine } from '../helpers/engines.js';
import { feedbackEvent, manualSchedule, turnEvent } from './events.js';

const NOW = new Date('2026-05-20T12:00:00Z');
const WEEK = windowEndingAt(NOW, 7 * 86_400_000);
const at = (iso: string) => new Date(iso);
const kb = buildKnowledgeBase(path.resolve('knowledge'));

/**
 * A week of traffic with known answers:
 * - 7 typed questions in the window: A answered; B answered then escalated 10 min later (button);
 *   C two misses then "talk to a person"; D clarify then picked an article; E answered, escalated 2 h later.
 * - not questions: a smalltalk turn, a feedback click turn, and an answer 40 days ago (outside the window).
 */
function seed(recorder: AnalyticsRecorder): void {
  const turn = recorder.turn.bind(recorder);
  turn(turnEvent({ userHash: 'A', at: at('2026-05-18T09:00:00Z'), outcome: 'answer', question: 'Reset my password?' }));
  turn(turnEvent({ userHash: 'B', at: at('2026-05-18T10:00:00Z'), outcome: 'answer', question: 'reset my  password' }));
  turn(turnEvent({ userHash: 'B', at: at('2026-05-18T10:10:00Z'), outcome: 'escalate', articleId: null, question: '' }));
  turn(turnEvent({ userHash: 'C', at: at('2026-05-19T08:00:00Z'), outcome: 'no-match', articleId: null, question: 'how do i order a wheelchair' }));
  turn(turnEvent({ userHash: 'C', at: at('2026-05-19T08:01:00Z'), outcome: 'no-match', articleId: null, question: 'wheelchair request' }));
  turn(turnEvent({ userHash: 'C', at: at('2026-05-19T08:02:00Z'), outcome: 'escalate', articleId: null, question: 'talk to a person' }));
  turn(turnEvent({ userHash: 'D', at: at('2026-05-19T09:00:00Z'), outcome: 'clarify', articleId: null, candidates: ['printer-not-printing', 'wristband-label-printing'], question: 'printing problem' }));
  turn(turnEvent({ userHash: 'D', at: at('2026-05-19T09:01:00Z'), outcome: 'button', articleId: 'printer-not-printing', question: '' }));
  turn(turnEvent({ userHash: 'E', at: at('2026-05-20T07:00:00Z'), outcome: 'answer', articleId: 'patient-list-incomplete', question: 'why is my patient list incomplete' }));
  turn(turnEvent({ userHash: 'E', at: at('2026-05-20T09:00:00Z'), outcome: 'escalate', articleId: null, question: '' }));
  turn(turnEvent({ userHash: 'F', at: at('2026-05-20T08:00:00Z'), outcome: 'smalltalk', articleId: null, question: 'thanks!' }));
  turn(turnEvent({ userHash: 'A', at: at('2026-05-18T09:02:00Z'), outcome: 'feedback', articleId: 'password-reset', question: '' }));
  turn(turnEvent({ userHash: 'G', at: at('2026-04-10T09:00:00Z'), outcome: 'answer', question: 'reset my password' }));

  const feedback = recorder.feedback.bind(recorder);
  feedback(feedbackEvent({ at: at('2026-05-18T09:02:00Z'), articleId: 'password-reset', value: 'not-solved' }));
  feedback(feedbackEvent({ at: at('2026-05-18T10:05:00Z'), articleId: 'password-reset', value: 'not-solved' }));
  feedback(feedbackEvent({ at: at('2026-05-19T11:00:00Z'), articleId: 'password-reset', value: 'solved' }));
  feedback(feedbackEvent({ at: at('2026-05-20T07:05:00Z'), articleId: 'patient-list-incomplete', value: 'not-solved' }));
  feedback(feedbackEvent({ at: at('2026-05-19T12:00:00Z'), articleId: 'printer-not-printing', value: 'solved' }));
  feedback(feedbackEvent({ at: at('2026-04-10T09:01:00Z'), articleId: 'printer-not-printing', value: 'not-solved' }));
}

forEachEngine('analytics reports', (getDb) => {
  before(async () => {
    const recorder = new AnalyticsRecorder({ db: getDb(), logger: pino({ level: 'silent' }), schedule: manualSchedule().schedule });
    seed(recorder);
    await recorder.close();
  });

  it('computes deflection: answered and not escalated within 30 minutes, over all typed questions', async () => {
    const counts = await deflectionCounts(getDb(), WEEK);
    expect(counts).to.deep.equal({ questions: 7, answered: 4, deflected: 3, escalations: 3 });
    expect(deflectionRate(counts)).to.equal(0.429);
  });

  it('lists top questions with their usual outcome, case and punctuation folded', async () => {
    const top = await topQuestions(getDb(), WEEK, 3);
    expect(top[0]).to.deep.equal({ question: 'reset my password', count: 2, outcome: 'answer', articleId: 'password-reset' });
    expect(top).to.have.length(3);
    expect(top.map((t) => t.question)).not.to.include('thanks');
  });

  it('builds a per-day series with every day of the window, zeros included', async () => {
    const series = await dailySeries(getDb(), WEEK);
    expect(series.days).to.deep.equal(['2026-05-13', '2026-05-14', '2026-05-15', '2026-05-16', '2026-05-17', '2026-05-18', '2026-05-19', '2026-05-20']);
    expect(series.answers).to.deep.equal([0, 0, 0, 0, 0, 2, 0, 1]);
    expect(series.noMatch).to.deep.equal([0, 0, 0, 0, 0, 0, 2, 0]);
    expect(series.clarify).to.deep.equal([0, 0, 0, 0, 0, 0, 1, 0]);
    expect(series.escalations).to.deep.equal([0, 0, 0, 0, 0, 1, 1, 1]);
    expect(series.solved).to.deep.equal([0, 0, 0, 0, 0, 0, 2, 0]);
    expect(series.notSolved).to.deep.equal([0, 0, 0, 0, 0, 2, 0, 1]);
  });

  it('ranks articles by "Not solved" clicks in the window, with titles and times shown', async () => {
    const rows = await notHelpfulArticles(getDb(), WEEK, kb.articles);
    expect(rows).to.deep.equal([
      { articleId: 'password-reset', title: kb.byId.get('password-reset')?.title ?? null, notSolved: 2, solved: 1, shown: 2 },
      { articleId: 'patient-list-incomplete', title: 'My patient list is missing patients', notSolved: 1, solved: 0, shown: 1 },
    ]);
  });

  it('assembles the dashboard summary', async () => {
    const summary = await buildSummary(getDb(), kb, { window: WEEK, now: NOW });
    expect(summary.kpis).to.include({ questions: 7, answered: 4, deflected: 3, deflectionRate: 0.429, escalations: 3 });
    expect(summary.gaps.map((g) => g.count)).to.deep.equal([2, 1]);
    expect(summary.gaps[0].examples).to.have.members(['how do i order a wheelchair', 'wheelchair request']);
    expect(summary.window).to.deep.equal({ since: '2026-05-13T12:00:00.000Z', until: '2026-05-20T12:00:00.000Z' });
    expect(JSON.parse(JSON.stringify(summary))).to.deep.equal(summary);
  });

  it('counts and lists open tickets, urgent first, without resolved or closed ones', async () => {
    expect(await openTicketReport(getDb())).to.deep.equal({ count: 0, tickets: [] });
    const input = { userId: 'u', userName: 'Nurse N', role: 'nurse', articlesTried: [], transcript: [] };
    const normal = await createTicket(getDb(), { ...input, urgent: false, queue: 'clinical-apps' }, at('2026-05-19T08:00:00Z'));
    const urgent = await createTicket(getDb(), { ...input, urgent: true }, at('2026-05-19T09:00:00Z'));
    const done = await createTicket(getDb(), { ...input, urgent: false }, at('2026-05-19T07:00:00Z'));
    await updateTicketStatus(getDb(), done.id, 'resolved', undefined, at('2026-05-19T10:00:00Z'));
    const working = await createTicket(getDb(), { ...input, urgent: false }, at('2026-05-19T10:00:00Z'));
    await updateTicketStatus(getDb(), working.id, 'in-progress', undefined, at('2026-05-19T10:30:00Z'));

    const report = await openTicketReport(getDb(), 2);
    expect(report?.count).to.equal(3);
    expect(report?.tickets).to.deep.equal([
      { id: urgent.id, createdAt: '2026-05-19T09:00:00.000Z', status: 'open', urgency: 'urgent', queue: urgent.queue, role: 'nurse' },
      { id: normal.id, createdAt: '2026-05-19T08:00:00.000Z', status: 'open', urgency: 'normal', queue: 'clinical-apps', role: 'nurse' },
    ]);
    expect((await buildSummary(getDb(), kb, { window: WEEK, now: NOW })).kpis.openTickets).to.equal(3);
  });
});

describe('analytics report functions', () => {
  const article = (id: string, reviewed: string, owner = 'clinical-apps-team') => ({ id, title: id, reviewed, owner }) as Article;

  it('deflection rate is null without questions and rounded to 3 decimals otherwise', () => {
    expect(deflectionRate({ questions: 0, deflected: 0 })).to.equal(null);
    expect(deflectionRate({ questions: 3, deflected: 2 })).to.equal(0.667);
  });

  it('finds stale articles: reviewed more than 365 days ago or without a real owner, oldest first', () => {
    const stale = staleArticles(
      [article('fresh', '2026-01-01'), article('old', '2025-01-01'), article('older', '2024-06-01'), article('orphan', '2026-02-01', 'TBD'), article('edge', '2025-05-21')],
      NOW,
    );
    expect(stale.map((s) => [s.id, s.reasons])).to.deep.equal([
      ['older', ['review overdue']],
      ['old', ['review overdue']],
      ['orphan', ['owner missing']],
    ]);
    expect(stale[1].daysSinceReview).to.equal(504);
  });

  it('lists a shipped article only once its review is more than a year old', () => {
    const newest = new Date(Math.max(...kb.articles.map((a) => Date.parse(`${a.reviewed}T00:00:00Z`))));
    for (const s of staleArticles(kb.articles, newest)) expect(s.daysSinceReview, s.id).to.be.greaterThan(365);
    expect(staleArticles(kb.articles, new Date(newest.getTime() + 3 * 365 * 86_400_000))).to.have.length(kb.articles.length);
  });

  it('fills a daily series from sparse rows', () => {
    const series = fillDailySeries({ since: at('2026-05-01T00:00:00Z'), until: at('2026-05-04T00:00:00Z') }, [
      { day: '2026-05-02', answers: 3 },
      { day: '2026-05-02', solved: 1 },
      { day: '2026-04-01', answers: 9 },
    ]);
    expect(series.days).to.deep.equal(['2026-05-01', '2026-05-02', '2026-05-03']);
    expect(series.answers).to.deep.equal([0, 3, 0]);
    expect(series.solved).to.deep.equal([0, 1, 0]);
  });

  it('parses report windows like 30d, 12h, 2w and rejects others', () => {
    expect(parseDuration('30d')).to.equal(30 * 86_400_000);
    expect(parseDuration('12h')).to.equal(12 * 3_600_000);
    expect(parseDuration('2w')).to.equal(14 * 86_400_000);
    for (const bad of ['', '0d', '30', 'd', '-1d', '3y', '1.5d']) expect(parseDuration(bad), bad).to.equal(null);
  });
});
