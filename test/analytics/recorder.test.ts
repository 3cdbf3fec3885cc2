import { expect } from 'chai';
import { pino } from 'pino';
import { AnalyticsRecorder } from '../../bot/analytics/recorder.js';
import { forEachEngine } from '../helpers/engines.js';
import { capturingLogger, feedbackEvent, manualSchedule, spyDb, turnEvent } from './events.js';

const silent = pino({ level: 'silent' });

/** Messages full of PHI, and the identifiers in them that must never reach the turns table. */
const PHI_MESSAGES = [
  'patient John Smith MRN 12345678 DOB 03/14/1961 cant see his labs, call 555-123-4567',
  'pt Maria Garcia mrn: A1234567 born 1/2/1980 phone (617) 555-0199 wristband wont print',
  'ssn 123-45-6789 for patient Robert Jones, email rjones@example.com',
  'Patient Li Wei (DOB 1975-07-04) in room 12, MR# 00987654, callback 212.555.0147',
];
const PHI_STRINGS = [
  'John', 'Smith', '12345678', '03/14/1961', '555-123-4567', 'Maria', 'Garcia', 'A1234567', '1/2/1980', '555-0199',
  '(617)', '123-45-6789', 'Robert', 'Jones', 'rjones', 'example.com', 'Li Wei', '1975-07-04', '00987654', '212.555.0147',
];

async function countRows(db: { query: <T>(t: string) => Promise<T[]> }, table: 'turns' | 'feedback'): Promise<number> {
  const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return row.n;
}

forEachEngine('AnalyticsRecorder', (getDb) => {
  beforeEach(async () => {
    await getDb().query('DELETE FROM turns');
    await getDb().query('DELETE FROM feedback');
  });

  it('buffers events without touching the database, then writes them in one INSERT per table on flush()', async () => {
    const db = spyDb(getDb());
    const timer = manualSchedule();
    const recorder = new AnalyticsRecorder({ db, logger: silent, batchSize: 50, schedule: timer.schedule });
    for (let i = 0; i < 7; i++) recorder.turn(turnEvent({ turnId: `t${i}` }));
    recorder.feedback(feedbackEvent({ turnId: 't1', value: 'not-solved' }));
    recorder.feedback(feedbackEvent({ turnId: 't2' }));
    expect(db.statements).to.deep.equal([]);
    expect(recorder.stats()).to.include({ pendingTurns: 7, pendingFeedback: 2 });

    await recorder.flush();
    expect(db.statements.filter((s) => s.startsWith('INSERT INTO turns'))).to.have.length(1);
    expect(db.statements.filter((s) => s.startsWith('INSERT INTO feedback'))).to.have.length(1);
    expect(await countRows(getDb(), 'turns')).to.equal(7);
    expect(await countRows(getDb(), 'feedback')).to.equal(2);
    expect(recorder.stats()).to.deep.equal({ pendingTurns: 0, pendingFeedback: 0, written: 9, dropped: 0 });
    await recorder.close();
    expect(timer.cancelled()).to.equal(true);
  });

  it('stores every field of a turn and of a feedback click', async () => {
    const recorder = new AnalyticsRecorder({ db: getDb(), logger: silent, schedule: manualSchedule().schedule });
    recorder.turn(
      turnEvent({
        turnId: 'turn-42', at: new Date('2026-05-01T08:30:00Z'), userHash: 'abc123', role: 'physician', channel: 'webchat',
        conversationType: 'groupChat', outcome: 'clarify', articleId: null, candidates: ['a', 'b'], confidence: 0.25, urgent: true,
        latencyMs: 37.6, question: 'order wont sign',
      }),
    );
    recorder.feedback(feedbackEvent({ turnId: 'turn-42', articleId: 'order-wont-sign', value: 'not-solved', role: 'physician' }));
    await recorder.close();
    const [turn] = await getDb().query<Record<string, unknown>>('SELECT * FROM turns');
    expect(turn).to.include({
      turn_id: 'turn-42', user_hash: 'abc123', role: 'physician', channel: 'webchat', conversation_type: 'groupChat',
      outcome: 'clarify', article_id: null, urgent: true, latency_ms: 38, question_redacted: 'order wont sign',
    });
    expect(new Date(turn.at as string).toISOString()).to.equal('2026-05-01T08:30:00.000Z');
    expect(turn.candidates).to.deep.equal(['a', 'b']);
    expect(turn.confidence).to.be.closeTo(0.25, 1e-6);
    const [fb] = await getDb().query<Record<string, unknown>>('SELECT * FROM feedback');
    expect(fb).to.include({ turn_id: 'turn-42', article_id: 'order-wont-sign', value: 'not-solved', role: 'physician' });
  });

  it('writes at once when a batch fills up, and on each timer tick', async () => {
    const db = spyDb(getDb());
    const timer = manualSchedule();
    const recorder = new AnalyticsRecorder({ db, logger: silent, batchSize: 5, schedule: timer.schedule });
    for (let i = 0; i < 4; i++) recorder.turn(turnEvent());
    expect(db.statements).to.have.length(0);
    recorder.turn(turnEvent());
    expect(db.statements, 'the fifth event starts a write').to.have.length(1);
    await recorder.flush();
    expect(await countRows(getDb(), 'turns')).to.equal(5);

    recorder.turn(turnEvent());
    recorder.turn(turnEvent());
    timer.tick();
    await recorder.flush();
    expect(await countRows(getDb(), 'turns')).to.equal(7);
    expect(db.statements.filter((s) => s.startsWith('INSERT'))).to.have.length(2);
    await recorder.close();
  });

  it('keeps events while the database is down and writes them when it is back', async () => {
    const db = spyDb(getDb());
    const { logger, lines } = capturingLogger();
    const recorder = new AnalyticsRecorder({ db, logger, batchSize: 100, schedule: manualSchedule().schedule });
    db.down = true;
    recorder.turn(turnEvent({ question: 'patient John Smith printer jam' }));
    recorder.feedback(feedbackEvent());
    await recorder.flush();
    expect(recorder.stats()).to.include({ pendingTurns: 1, pendingFeedback: 1, written: 0 });
    expect(lines.join('')).to.include('analytics write failed');
    expect(lines.join('')).not.to.include('John');

    db.down = false;
    await recorder.flush();
    expect(recorder.stats()).to.include({ pendingTurns: 0, pendingFeedback: 0, written: 2 });
    expect(await countRows(getDb(), 'turns')).to.equal(1);
    expect(await countRows(getDb(), 'feedback')).to.equal(1);
    await recorder.close();
  });

  it('stores only redacted questions: no name, MRN, DOB, phone, SSN or email reaches the turns table', async () => {
    const recorder = new AnalyticsRecorder({ db: getDb(), logger: silent, schedule: manualSchedule().schedule });
    for (const [i, question] of PHI_MESSAGES.entries()) {
      recorder.turn(turnEvent({ turnId: `phi-${i}`, outcome: i % 2 ? 'no-match' : 'answer', question }));
    }
    await recorder.close();
    const rows = await getDb().query<Record<string, unknown>>('SELECT * FROM turns');
    expect(rows).to.have.length(PHI_MESSAGES.length);
    const stored = JSON.stringify(rows);
    for (const phi of PHI_STRINGS) expect(stored, phi).not.to.include(phi);
    expect(stored).to.include('[NAME]').and.to.include('[MRN]').and.to.include('[DOB]').and.to.include('[PHONE]');
    expect(rows.map((r) => r.question_redacted)).to.include('patient [NAME] MRN [MRN] DOB [DOB] cant see his labs, call [PHONE]');
  });

  it('drops (and counts) a batch the database rejects as invalid data instead of retrying it forever', async () => {
    const db = spyDb(getDb());
    const recorder = new AnalyticsRecorder({ db, logger: silent, schedule: manualSchedule().schedule });
    recorder.turn(turnEvent({ turnId: 'poison' }));
    recorder.feedback(feedbackEvent());
    db.failNext = Object.assign(new Error('invalid byte sequence'), { code: '22021' });
    await recorder.flush();
    expect(recorder.stats()).to.deep.equal({ pendingTurns: 0, pendingFeedback: 0, written: 1, dropped: 1 });
    recorder.turn(turnEvent({ turnId: 'next', question: 'nul \u0000 inside' }));
    await recorder.close();
    const rows = await getDb().query<{ turn_id: string; question_redacted: string }>('SELECT turn_id, question_redacted FROM turns');
    expect(rows).to.deep.equal([{ turn_id: 'next', question_redacted: 'nul  inside' }]);
  });

  it('ignores events after close()', async () => {
    const recorder = new AnalyticsRecorder({ db: getDb(), logger: silent, schedule: manualSchedule().schedule });
    recorder.turn(turnEvent());
    await recorder.close();
    recorder.turn(turnEvent());
    recorder.feedback(feedbackEvent());
    await recorder.flush();
    expect(await countRows(getDb(), 'turns')).to.equal(1);
    expect(await countRows(getDb(), 'feedback')).to.equal(0);
  });
});

forEachEngine(
  'AnalyticsRecorder on a closed database',
  (getDb) => {
    it('never throws, keeps at most maxBuffer events and counts the dropped ones', async () => {
      const db = getDb();
      await db.close();
      const { logger, lines } = capturingLogger();
      const recorder = new AnalyticsRecorder({ db, logger, batchSize: 5, maxBuffer: 10, schedule: manualSchedule().schedule });
      expect(() => {
        for (let i = 0; i < 14; i++) recorder.turn(turnEvent({ question: `patient Jane Doe question ${i}` }));
        recorder.feedback(feedbackEvent());
        recorder.turn(null as never);
      }).not.to.throw();
      await recorder.flush();
      await recorder.close();
      const stats = recorder.stats();
      expect(stats.pendingTurns + stats.pendingFeedback).to.equal(10);
      expect(stats.dropped).to.equal(5);
      expect(stats.pendingFeedback, 'feedback is kept over older turns').to.equal(1);
      const log = lines.join('');
      expect(log).to.include('"dropped"');
      expect(log).not.to.include('Jane');
    });
  },
  { fresh: 'test' },
);
