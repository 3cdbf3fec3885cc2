import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { TestApp } from '../helpers/app.js';
import { DL_SECRET, startDirectLineApp } from '../web/directline-client.js';
import { startHostPage, type HostPage } from './host-page.js';

const CHROMIUM = '/usr/bin/chromium';
const EMPTY_STYLE_HASH = 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=';

/** Console errors, page errors, CSP violations and failed requests: the host page must show none. */
function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (msg) => {
    // Web Chat's bundle applies one EMPTY inline style (the CSP hash quoted is sha256 of ""): blocked, and nothing is lost.
    if (msg.text().includes(EMPTY_STYLE_HASH)) return;
    if (msg.type() === 'error' || /Content Security Policy/i.test(msg.text())) problems.push(msg.text());
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`${res.status()} ${new URL(res.url()).pathname}`);
  });
  return problems;
}

describe("Microsoft's Web Chat against Elbow's Direct Line (Chromium, production mode)", function () {
  this.timeout(60_000);
  let app: TestApp;
  let host: HostPage;
  let browser: Browser;
  let shots: string;
  let title: string;

  before(async function () {
    if (!fs.existsSync(CHROMIUM)) this.skip(); // needs Debian's chromium (apt-get install chromium)
    this.timeout(120_000);
    shots = fs.mkdtempSync(path.join(os.tmpdir(), 'elbow-directline-'));
    host = await startHostPage(DL_SECRET, { id: 'dl_phys_browser', name: 'Dr Browser', role: 'physician' });
    app = await startDirectLineApp({ EMBED_ALLOWED_ORIGINS: host.origin });
    host.elbowUrl = app.url;
    title = app.ctx.knowledge.current().byId.get('patient-list-incomplete')!.title;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
    });
  });

  after(async () => {
    await browser?.close();
    await app?.stop();
    await host?.close();
  });

  /** Asks the question, sees the answer card, clicks Solved, sees the thanks; returns the screenshot path. */
  async function askAndSolve(page: Page, name: string, problems: string[]): Promise<string> {
    try {
      return await steps(page, name);
    } catch (err) {
      await page.screenshot({ path: path.join(shots, `${name}-failed.png`) }).catch(() => undefined);
      throw new Error(`${(err as Error).message.split('\n')[0]}; page problems: ${JSON.stringify(problems)}; screenshot in ${shots}`);
    }
  }

  async function steps(page: Page, name: string): Promise<string> {
    const input = page.locator('[data-id="webchat-sendbox-input"]');
    await input.waitFor();
    await page.getByText('EHR help at your elbow', { exact: false }).first().waitFor();
    await input.fill('why is my patient list incomplete');
    await input.press('Enter');
    const card = page.locator('.ac-adaptiveCard', { hasText: title }).last();
    await card.waitFor();
    await card.locator('button', { hasText: /^Solved$/ }).click();
    await page.getByText('Glad that worked', { exact: false }).first().waitFor();
    // No role question anywhere: the EHR vouched for the role in the token.
    expect(await page.locator('.ac-adaptiveCard', { hasText: 'what is your role?' }).count()).to.equal(0);
    const file = path.join(shots, `${name}.png`);
    await page.screenshot({ path: file });
    return file;
  }

  it('a page embedding Web Chat by hand: question, answer card, Solved, screenshot', async () => {
    const page = await browser.newPage({ viewport: { width: 900, height: 800 } });
    const problems = watchProblems(page);
    await page.goto(`${host.origin}/webchat.html`);
    const file = await askAndSolve(page, 'webchat', problems);
    expect(fs.statSync(file).size).to.be.greaterThan(10_000);
    expect(problems).to.deep.equal([]);
    await page.close();
  });

  it('a page with only the /embed.js script tag: launcher, panel, question, answer card, Solved, screenshot', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
    const problems = watchProblems(page);
    await page.goto(`${host.origin}/embed.html`);
    const launcher = page.locator('button.elbow-launcher');
    await launcher.click();
    expect(await launcher.getAttribute('aria-expanded')).to.equal('true');
    await page.locator('.elbow-panel').waitFor();
    const file = await askAndSolve(page, 'embed', problems);
    expect(fs.statSync(file).size).to.be.greaterThan(10_000);
    expect(problems).to.deep.equal([]);
    await page.close();
  });
});
