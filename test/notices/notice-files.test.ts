import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { startTestApp, teamsMessage, textOf, type TestApp } from '../helpers/app.js';
import { waitFor } from '../helpers/wait-for.js';

/** A notice file as an analyst writes it. */
function noticeFile(id: string, fields: { starts: Date; ends: Date; articles?: string }): string {
  return `---\nid: ${id}\ntitle: Scanner interface is down on 4 West\narticles: [${fields.articles ?? 'barcode-scan-failed'}]\nstarts: ${fields.starts.toISOString()}\nends: ${fields.ends.toISOString()}\nunits: [4 West]\n---\nDocument administration manually in the MAR meanwhile.\n`;
}

describe('notice files (knowledge/notices/*.md)', function () {
  this.timeout(30_000);
  let app: TestApp;
  let knowledgeDir: string;

  before(async function () {
    this.timeout(180_000);
    knowledgeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'elbow-notice-files-'));
    fs.cpSync(path.resolve('knowledge'), knowledgeDir, { recursive: true });
    fs.rmSync(path.join(knowledgeDir, 'notices'), { recursive: true, force: true }); // created later: still picked up
    app = await startTestApp({ KNOWLEDGE_DIR: knowledgeDir, HOT_RELOAD: 'true' });
  });
  after(async () => {
    await app?.stop();
    fs.rmSync(knowledgeDir, { recursive: true, force: true });
  });

  const scannerAnswer = async () => textOf((await app.send(teamsMessage('scanner wont read the wristband'))).activities);

  it('picks up a new notice file without a restart and shows it while active only', async () => {
    expect(await scannerAnswer()).not.to.contain('Scanner interface is down');
    fs.mkdirSync(path.join(knowledgeDir, 'notices'));
    const now = Date.now();
    fs.writeFileSync(path.join(knowledgeDir, 'notices', 'scanner-down.md'), noticeFile('scanner-down', { starts: new Date(now - 60_000), ends: new Date(now + 3_600_000) }));
    await waitFor(async () => (await scannerAnswer()).includes('Scanner interface is down on 4 West (4 West)'), 10_000, 'the notice to show');
    expect(await scannerAnswer()).to.contain('Document administration manually');

    // A future notice is not shown yet; an invalid file is left out and the rest keep working.
    fs.writeFileSync(path.join(knowledgeDir, 'notices', 'scanner-down.md'), noticeFile('scanner-down', { starts: new Date(now + 3_600_000), ends: new Date(now + 7_200_000) }));
    fs.writeFileSync(path.join(knowledgeDir, 'notices', 'broken.md'), noticeFile('broken', { starts: new Date(now), ends: new Date(now + 60_000), articles: 'no-such-article' }));
    await waitFor(async () => !(await scannerAnswer()).includes('Scanner interface is down'), 10_000, 'the notice to go');
  });
});
