import { expect } from 'chai';
import { pino } from 'pino';
import { AnalyticsRecorder } from '../../bot/analytics/recorder.js';
import { openDb } from '../../bot/store/open.js';
import { runScript } from '../helpers/cli.js';
import { freshDataDir, freshPostgresUrl, postgresTestUrl, type FreshDataDir } from '../helpers/engines.js';
import { feedbackEvent, manualSchedule, turnEvent } from './events.js';

/** Seeds a few days of misses and feedback, dated relative to the real clock (the CLI reads "now"). */
async function seed(options: { dataDir: string; databaseUrl?: string }): Promise<void> {
  const db = await openDb(options);
  const recorder = new AnalyticsRecorder({ db, logger: pino({ level: 'silent' }), schedule: manualSchedule().schedule });
  const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);
  const miss = (question: string, h: number) => recorder.turn(turnEvent({ at: hoursAgo(h), outcome: 'no-match', articleId: null, question }));
  miss('how do i order a wheelchair', 2);
  miss('wheelchair request in the ehr', 30);
  miss('where do i request a wheel chair', 50);
  miss('how do i book an interpreter', 3);
  miss('request interpreter services', 60);
  miss('cafeteria hours', 24 * 20);
  recorder.feedback(feedbackEvent({ at: hoursAgo(5), articleId: 'password-reset', value: 'not-solved' }));
  recorder.feedback(feedbackEvent({ at: hoursAgo(6), articleId: 'password-reset', value: 'not-solved' }));
  recorder.feedback(feedbackEvent({ at: hoursAgo(7), articleId: 'printer-not-printing', value: 'not-solved' }));
  await recorder.close();
  await db.close();
}

const engines: Array<'pglite' | 'postgres'> = postgresTestUrl() ? ['pglite', 'postgres'] : ['pglite'];

for (const engine of engines) {
  describe(`npm run kb:gaps [${engine}]`, function () {
    this.timeout(60_000);
    let data: FreshDataDir;
    let env: Record<string, string>;

    before(async () => {
      data = await freshDataDir();
      const databaseUrl = engine === 'postgres' ? await freshPostgresUrl() : undefined;
      await seed({ dataDir: data.dir, databaseUrl });
      env = { DATA_DIR: data.dir, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) };
    });
    after(() => data?.remove());

    it('--json prints one object with gap clusters, not-helpful and stale articles', async () => {
      const { code, stdout, stderr } = await runScript('kb-gaps.ts', ['--json'], env);
      expect(code, stderr).to.equal(0);
      const lines = stdout.trim().split('\n');
      expect(lines).to.have.length(1);
      const report = JSON.parse(lines[0]);
      expect(report).to.have.keys(['since', 'window', 'gaps', 'notHelpful', 'stale']);
      expect(report.since).to.equal('30d');
      expect(report.gaps.map((g: { count: number }) => g.count)).to.deep.equal([3, 2, 1]);
      for (const gap of report.gaps) {
        expect(gap).to.include.keys(['count', 'examples', 'nearestArticle', 'nearestScore']);
        expect(gap.examples).to.be.an('array').that.is.not.empty;
        expect(gap.nearestScore).to.be.a('number');
      }
      expect(report.gaps[0].examples).to.include('how do i order a wheelchair');
      expect(report.notHelpful.map((a: { articleId: string; notSolved: number }) => [a.articleId, a.notSolved])).to.deep.equal([
        ['password-reset', 2],
        ['printer-not-printing', 1],
      ]);
      expect(report.stale).to.be.an('array');
    });

    // The remaining options do not depend on the engine: run them once.
    if (engine !== 'pglite') return;

    it('--since narrows the window (12h)', async () => {
      const recent = JSON.parse((await runScript('kb-gaps.ts', ['--json', '--since=12h'], env)).stdout);
      expect(recent.since).to.equal('12h');
      expect(recent.gaps.map((g: { examples: string[] }) => g.examples).flat()).to.have.members(['how do i order a wheelchair', 'how do i book an interpreter']);
    });

    it('prints a readable report without --json, and refuses a bad --since', async () => {
      const text = await runScript('kb-gaps.ts', [], env);
      expect(text.code).to.equal(0);
      expect(text.stdout).to.include('Knowledge gaps since 30d').and.to.include('how do i order a wheelchair').and.to.include('password-reset');
      const bad = await runScript('kb-gaps.ts', ['--since', 'yesterday'], env);
      expect(bad.code).to.equal(1);
      expect(bad.stderr).to.include('--since');
    });
  });
}
