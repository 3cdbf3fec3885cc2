import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { runScript } from '../helpers/cli.js';

/** The quick kb-calibrate checks; the commands that fit run in test/slow/calibration.slow.ts (each decides every question). */
describe('scripts: kb-calibrate command line', function () {
  this.timeout(60_000);

  it('--check --quick passes on the repository: the committed file was fitted from the committed knowledge and sets', async () => {
    const r = await runScript('kb-calibrate.ts', ['--check', '--quick'], {});
    expect(r.stderr).to.equal('');
    expect(r.code).to.equal(0);
    expect(r.stdout).to.match(/answer calibration is current/);
  });

  it('--check fails at once, naming the command, when a knowledge directory has no calibration file', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'elbow-calibrate-'));
    try {
      const r = await runScript('kb-calibrate.ts', ['--check', '--quick'], { KNOWLEDGE_DIR: empty, DATA_DIR: path.join(empty, 'data') });
      expect(r.code).to.equal(1);
      expect(r.stderr).to.match(/answer-calibration\.yml is missing: run npm run kb:calibrate/);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
