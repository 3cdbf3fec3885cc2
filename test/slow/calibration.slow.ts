import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { nodeArgs } from '../helpers/bundles.js';

/**
 * The full staleness check of the committed calibration: refit it on every evaluation set and compare every number
 * (~4,000 decisions; `npm test` runs the quick inputs-hash check, test/scripts/kb-calibrate.test.ts).
 */
describe('slow: the committed answer calibration and urgency model are a fresh fit of the committed sets', function () {
  this.timeout(120_000);

  it('kb:calibrate --check refits and agrees', () => {
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'elbow-calibration-'));
    try {
      const r = spawnSync(process.execPath, [...nodeArgs('scripts/kb-calibrate.ts'), '--check'], {
        env: { ...process.env, KNOWLEDGE_DIR: path.resolve('knowledge'), DATA_DIR: data },
        encoding: 'utf8',
      });
      expect(r.stderr).to.equal('');
      expect(r.status).to.equal(0);
      expect(r.stdout).to.match(/answer calibration is current \(\d+ questions\)/);
    } finally {
      fs.rmSync(data, { recursive: true, force: true });
    }
  });
});
