import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import YAML from 'yaml';
import { runScript } from '../helpers/cli.js';

const REPO = path.resolve('.');

/** Runs a CLI script's bundle on a knowledge directory, with its data directory in the test's temp dir. */
function run(script: string, args: string[], knowledgeDir: string, dataDir: string) {
  return runScript(script, args, { KNOWLEDGE_DIR: knowledgeDir, DATA_DIR: dataDir });
}

/**
 * The kb-calibrate commands that fit (each decides every evaluation question): the full staleness check of the
 * committed file, writing, refit-and-compare and repair. `npm test` runs the quick ones (test/scripts/kb-calibrate.test.ts).
 */
describe('slow: kb-calibrate fits, refits and repairs the answer calibration and urgency model', function () {
  this.timeout(120_000);
  let tmp: string;
  let knowledge: string;
  const calibrate = (args: string[], dir = knowledge) => run('kb-calibrate.ts', args, dir, path.join(tmp, 'data'));

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'elbow-calibrate-'));
    knowledge = path.join(tmp, 'knowledge');
    fs.cpSync(path.join(REPO, 'knowledge'), knowledge, { recursive: true });
    // The copy calibrates on the golden set alone: the same command on a small share of the questions.
    fs.rmSync(path.join(knowledge, 'eval', 'training'), { recursive: true });
  });

  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('the committed file is a fresh fit of the committed sets: kb:calibrate --check refits and agrees', async function () {
    // A full refit of every committed set: ~70 s on two cores (the article-model fits run in worker threads), and it
    // grows with each blind set that joins the training sets.
    this.timeout(360_000);
    const r = await calibrate(['--check'], path.join(REPO, 'knowledge'));
    expect(r.stderr).to.equal('');
    expect(r.code).to.equal(0);
    expect(r.stdout).to.match(/answer calibration is current \(\d+ questions\)/);
  });

  it('writes the file; an eval set changed since makes it stale for --check, and kb:lint says so', async () => {
    const write = await calibrate([]);
    expect(write.code).to.equal(0);
    expect(write.stdout).to.match(/wrote .*answer-calibration\.yml \(\d+ questions decided by search, from 1 set\)/);
    expect((await calibrate(['--check', '--quick'])).code).to.equal(0);
    const golden = path.join(knowledge, 'eval', 'golden.yml');
    const original = fs.readFileSync(golden, 'utf8');
    const cases = YAML.parse(original) as { q: string; expect: string }[];
    cases[0].expect = 'no-match';
    fs.writeFileSync(golden, YAML.stringify(cases));
    try {
      const stale = await calibrate(['--check', '--quick']);
      expect(stale.code).to.equal(1);
      expect(stale.stderr).to.match(/answer-calibration\.yml is stale.*npm run kb:calibrate/);
      const lint = await run('kb-lint.ts', [], knowledge, path.join(tmp, 'data'));
      expect(lint.code).to.equal(0);
      expect(lint.stdout).to.match(/warning {2}policy\/answer-calibration\.yml {2}fitted on other knowledge or eval sets: run npm run kb:calibrate/);
    } finally {
      fs.writeFileSync(golden, original);
    }
  });

  it('--check refits and fails when the numbers were edited by hand, though the inputs are the same', async () => {
    // The file written above, for the golden set as it is again; test/slow/calibration.slow.ts refits the repository's.
    const file = path.join(knowledge, 'policy', 'answer-calibration.yml');
    const data = YAML.parse(fs.readFileSync(file, 'utf8'));
    data.calibration.top.weights[1] += 0.5;
    fs.writeFileSync(file, YAML.stringify(data));
    expect((await calibrate(['--check', '--quick'])).code).to.equal(0);
    const full = await calibrate(['--check']);
    expect(full.code).to.equal(1);
    expect(full.stderr).to.match(/differs from a fresh fit of the same inputs.*npm run kb:calibrate/);
  });

  it('rewrites a file the policy loader refuses (an old format, a bad edit) instead of failing on it', async () => {
    const file = path.join(knowledge, 'policy', 'answer-calibration.yml');
    fs.writeFileSync(file, 'calibration:\n  features: [something_else]\n');
    expect((await run('kb-lint.ts', [], knowledge, path.join(tmp, 'data'))).code).to.equal(1);
    const repaired = await calibrate([]);
    expect(repaired.code).to.equal(0);
    expect(repaired.stderr).to.match(/answer-calibration\.yml could not be read; fitting a new one/);
    expect((await calibrate(['--check', '--quick'])).code).to.equal(0);
  });
});
