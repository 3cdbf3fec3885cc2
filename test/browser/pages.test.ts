import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { pino } from 'pino';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { AnalyticsRecorder } from '../../bot/analytics/recorder.js';
import { feedbackEvent, manualSchedule, turnEvent } from '../analytics/events.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { freshDataDir, type FreshDataDir } from '../helpers/engines.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.resolve('test-artifacts');
const ADMIN_TOKEN = 'browser-test-admin-token';

/** Console errors and page errors, CSP violations included: a page under test must produce none. */
function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' || /Content Security Policy/i.test(msg.text())) problems.push(msg.text());
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`${res.status()} ${new URL(res.url()).pathname}`);
  });
  return problems;
}

/** Seeds a week of turns and feedback so the dashboard charts have something to draw. */
async function seedAnalytics(app: TestApp): Promise<void> {
  const recorder = new AnalyticsRecorder({ db: app.ctx.db, logger: pino({ level: 'silent' }), schedule: manualSchedule().schedule });
  const now = Date.now();
  for (let day = 6; day >= 0; day--) {
    const at = (h: number) => new Date(now - day * 86_400_000 - h * 3_600_000);
    for (let i = 0; i < 3 + day; i++) recorder.turn(turnEvent({ userHash: `u${day}-${i}`, at: at(1), outcome: 'answer', question: 'reset my password' }));
    recorder.turn(turnEvent({ userHash: `m${day}`, at: at(2), outcome: 'no-match', articleId: null, question: 'how do i order a wheelchair' }));
    if (day % 2) recorder.turn(turnEvent({ userHash: `e${day}`, at: at(3), outcome: 'escalate', articleId: null, question: '' }));
    recorder.feedback(feedbackEvent({ at: at(1), value: day % 3 ? 'solved' : 'not-solved' }));
  }
  await recorder.close();
}

describe('pages in a real browser (Chromium)', function () {
  this.timeout(60_000);
  let app: TestApp;
  let data: FreshDataDir;
  let browser: Browser;
  let context: BrowserContext;

  before(async function () {
    if (!fs.existsSync(CHROMIUM)) {
      this.skip(); // Browser tests need Chromium at /usr/bin/chromium (apt-get install chromium).
    }
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    data = await freshDataDir(); // a migrated copy: much faster than a first PGlite start
    app = await startTestApp({ ADMIN_TOKEN, DATA_DIR: data.dir });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    await app?.stop();
    data?.remove();
  });

  describe('/chat', () => {
    let page: Page;
    let problems: string[];
    before(async () => {
      page = await context.newPage();
      problems = watchProblems(page);
      await page.goto(`${app.url}/chat`);
    });
    after(async () => {
      await page?.close();
    });

    it('greets with a role card, then answers "why is my patient list incomplete" with the article card', async () => {
      await page.locator('.msg.card', { hasText: 'what is your role?' }).waitFor();
      await page.fill('#message', 'why is my patient list incomplete');
      await page.press('#message', 'Enter');
      await page.locator('.msg.user', { hasText: 'why is my patient list incomplete' }).waitFor();
      const answer = page.locator('.msg.card', { hasText: 'My patient list is missing patients' });
      await answer.waitFor();
      expect(await answer.locator('.ac-pushButton', { hasText: 'Not solved' }).count()).to.equal(1);
      expect(await answer.textContent()).to.include('Select Refresh on the patient list');
      await page.screenshot({ path: path.join(ARTIFACTS, 'chat-answer.png'), fullPage: true });
      expect(problems).to.deep.equal([]);
    });

    it('"Not solved" posts the card value and brings an offer to talk to a person', async () => {
      const answer = page.locator('.msg.card', { hasText: 'My patient list is missing patients' });
      const posted = page.waitForRequest((req) => req.url().endsWith('/api/messages') && (req.postData() ?? '').includes('not-solved'));
      await answer.locator('.ac-pushButton', { hasText: 'Not solved' }).click();
      const body = JSON.parse((await posted).postData() as string);
      expect(body).to.include({ type: 'message', channelId: 'webchat', deliveryMode: 'expectReplies', serviceUrl: app.url });
      expect(body.value).to.deep.include({ action: 'feedback', value: 'not-solved', articleId: 'patient-list-incomplete' });
      expect(body.from.id).to.match(/^webchat-user-[0-9a-f]{32}$/);
      const offer = page.locator('.msg.card', { hasText: "Sorry that didn't fix it" });
      await offer.waitFor();
      expect(await offer.locator('.ac-pushButton', { hasText: 'Talk to a person' }).count()).to.equal(1);
      await page.screenshot({ path: path.join(ARTIFACTS, 'chat-not-solved.png'), fullPage: true });
      expect(problems).to.deep.equal([]);
    });

    it('"Open full article" (Action.OpenUrl) opens the article page in a new tab', async () => {
      const answer = page.locator('.msg.card', { hasText: 'My patient list is missing patients' });
      const popup = context.waitForEvent('page');
      // The link uses PUBLIC_BASE_URL (localhost:<PORT> in tests, unreachable): check where it went, not the page.
      const request = context.waitForEvent('request', (r) => r.url().includes('/kb/'));
      await answer.locator('.ac-pushButton', { hasText: 'Open full article' }).click();
      expect((await request).url()).to.match(/\/kb\/patient-list-incomplete$/);
      await (await popup).close();
      expect(problems).to.deep.equal([]);
    });

    it('keeps the same user id across reloads (localStorage)', async () => {
      const before = await page.evaluate(() => localStorage.getItem('elbow.userId'));
      await page.reload();
      expect(await page.evaluate(() => localStorage.getItem('elbow.userId'))).to.equal(before);
    });
  });

  describe('/admin', () => {
    it('signs in with ?token=, lands on a clean URL and draws both charts', async () => {
      await seedAnalytics(app);
      const page = await context.newPage();
      const problems = watchProblems(page);
      await page.goto(`${app.url}/admin?token=${ADMIN_TOKEN}`);
      expect(new URL(page.url()).search).to.equal('');
      await page.locator('#chart-outcomes').waitFor();
      const charts = await page.evaluate(() => {
        const Chart = (window as unknown as { Chart: { getChart(c: HTMLCanvasElement): { data: { datasets: Array<{ data: number[] }> } } | undefined } }).Chart;
        return ['chart-outcomes', 'chart-feedback'].map((id) => {
          const canvas = document.getElementById(id) as HTMLCanvasElement;
          const chart = Chart.getChart(canvas);
          const pixels = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? new Uint8ClampedArray();
          let painted = 0;
          for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted++;
          return { id, exists: Boolean(chart), points: chart ? chart.data.datasets.flatMap((d) => d.data).reduce((a, b) => a + b, 0) : 0, width: canvas.width, painted };
        });
      });
      for (const chart of charts) {
        expect(chart.exists, chart.id).to.equal(true);
        expect(chart.width, chart.id).to.be.greaterThan(100);
        expect(chart.painted, `${chart.id} painted pixels`).to.be.greaterThan(1000);
        expect(chart.points, `${chart.id} data`).to.be.greaterThan(0);
      }
      expect(await page.locator('.kpi', { hasText: 'Deflection rate' }).locator('.kpi-value').textContent()).to.match(/^\d+(\.\d)?%$/);
      expect(await page.locator('section.panel', { hasText: 'Knowledge gaps' }).textContent()).to.include('how do i order a wheelchair');
      await page.screenshot({ path: path.join(ARTIFACTS, 'admin-dashboard.png'), fullPage: true });
      expect(problems).to.deep.equal([]);
      await page.close();
    });
  });

  describe('/kb', () => {
    it('shows the article page with its title', async () => {
      const page = await context.newPage();
      const problems = watchProblems(page);
      await page.goto(`${app.url}/kb/patient-list-incomplete`);
      expect(await page.locator('h1').textContent()).to.equal('My patient list is missing patients');
      expect(await page.title()).to.equal('My patient list is missing patients · Elbow');
      await page.screenshot({ path: path.join(ARTIFACTS, 'kb-article.png'), fullPage: true });
      await page.goto(`${app.url}/kb?q=${encodeURIComponent('scanner wont read wristband')}`);
      expect(await page.locator('.article-link').first().getAttribute('href')).to.equal('/kb/barcode-scan-failed');
      expect(problems).to.deep.equal([]);
      await page.close();
    });
  });
});
