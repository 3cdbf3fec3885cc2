import { expect } from 'chai';
import { runScript } from '../helpers/cli.js';
import { startTestApp, teamsMessage, type TestApp } from '../helpers/app.js';
import { waitFor } from '../helpers/wait-for.js';

const ADMIN_TOKEN = 'gaps-admin-token-0123456789';

describe('kb:gaps while the server holds the PGlite lock', function () {
  this.timeout(90_000);
  let app: TestApp;

  before(async function () {
    this.timeout(180_000);
    app = await startTestApp({ ADMIN_TOKEN });
    for (const [i, q] of ['how do i order a wheelchair', 'wheelchair request in the ehr'].entries()) await app.send(teamsMessage(q, { user: `29:gap-${i}` }));
    // The analytics are written in batches: wait until the misses are in the database.
    await waitFor(async () => {
      const res = await fetch(`${app.url}/admin/api/gaps`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      return JSON.stringify(await res.json()).includes('wheelchair');
    }, 15_000, 'the misses to be recorded');
  });
  after(() => app?.stop());

  it('reads the report through the admin API instead of failing', async () => {
    const { code, stdout, stderr } = await runScript('kb-gaps.ts', ['--json'], { DATA_DIR: app.dataDir, ADMIN_TOKEN, PUBLIC_BASE_URL: app.url });
    expect(code, stderr).to.equal(0);
    const report = JSON.parse(stdout);
    expect(report).to.have.keys(['since', 'window', 'gaps', 'notHelpful', 'stale']);
    expect(report.gaps.flatMap((g: { examples: string[] }) => g.examples)).to.include('how do i order a wheelchair');
  });

  it('says what to set when no admin token is given', async () => {
    const { code, stderr } = await runScript('kb-gaps.ts', ['--json'], { DATA_DIR: app.dataDir });
    expect(code).to.equal(1);
    expect(stderr).to.contain('ADMIN_TOKEN');
  });
});
