import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { nodeArgs } from '../helpers/bundles.js';

const REPO = path.resolve('.');

/** Runs a CLI script's bundle with KNOWLEDGE_DIR set. */
function run(script: string, args: string[], knowledgeDir: string, dataDir: string) {
  const r = spawnSync(process.execPath, [...nodeArgs(`scripts/${script}`), ...args], {
    cwd: REPO,
    env: { ...process.env, KNOWLEDGE_DIR: knowledgeDir, DATA_DIR: dataDir },
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('scripts: kb-calibrate command line', function () {
  this.timeout(60_000);
  let tmp: string;
  let knowledge: string;
  const calibrate = (args: string[], dir = knowledge) => run('kb-calibrate.ts', args, dir, path.join(tmp, 'data'));

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'elbow-calibrate-'));
    knowledge = path.join(tmp, 'knowledge');
    fs.cpSync(path.join(REPO, 'knowledge'), knowledge, { recursive: true });
    // Commands that fit (write, refit-and-compare, repair) run in test/slow/calibration.slow.ts: each decides every question.
  });

  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('--check --quick passes on the repository: the committed file was fitted from the committed knowledge and sets', () => {
    const r = calibrate(['--check', '--quick'], path.join(REPO, 'knowledge'));
    expect(r.stderr).to.equal('');
    expect(r.status).to.equal(0);
    expect(r.stdout).to.match(/answer calibration is current/);
  });

  it('--check fails at once when the file is missing', () => {
    fs.rmSync(path.join(knowledge, 'policy', 'answer-calibration.yml'));
    const r = calibrate(['--check', '--quick']);
    expect(r.status).to.equal(1);
    expect(r.stderr).to.match(/is missing: run npm run kb:calibrate/);
  });

});
