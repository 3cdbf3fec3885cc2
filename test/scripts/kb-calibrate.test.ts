import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import YAML from 'yaml';
import { nodeArgs } from '../helpers/bundles.js';

const REPO = path.resolve('.');

describe('scripts: kb-calibrate command line', function () {
  this.timeout(60_000);
  let tmp: string;
  let knowledge: string;

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'elbow-calibrate-'));
    knowledge = path.join(tmp, 'knowledge');
    fs.cpSync(path.join(REPO, 'knowledge'), knowledge, { recursive: true });
    // The copy calibrates on the golden set alone: the same command on a fifth of the questions.
    fs.rmSync(path.join(knowledge, 'eval', 'training'), { recursive: true });
  });

  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  function run(args: string[], knowledgeDir = path.join(REPO, 'knowledge')) {
    const r = spawnSync(process.execPath, [...nodeArgs('scripts/kb-calibrate.ts'), ...args], {
      cwd: REPO,
      env: { ...process.env, KNOWLEDGE_DIR: knowledgeDir, DATA_DIR: path.join(tmp, 'data') },
      encoding: 'utf8',
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  it('--check passes on the repository: the committed calibration is the fit of the committed sets', () => {
    const r = run(['--check']);
    expect(r.stderr).to.equal('');
    expect(r.status).to.equal(0);
    expect(r.stdout).to.match(/answer calibration is current/);
  });

  it('writes the file; --check then passes, and fails naming the command once an evaluation set changed', () => {
    const write = run([], knowledge);
    expect(write.status).to.equal(0);
    expect(write.stdout).to.match(/wrote .*answer-calibration\.yml \(\d+ questions decided by search, from 1 set\)/);
    expect(run(['--check'], knowledge).status).to.equal(0);
    const golden = path.join(knowledge, 'eval', 'golden.yml');
    const cases = YAML.parse(fs.readFileSync(golden, 'utf8')) as { q: string; expect: string }[];
    // Twenty questions now say "no match" where an article was right: a different truth, a different fit.
    for (const c of cases.filter((c) => !['decline', 'no-match', 'smalltalk', 'escalate'].includes(c.expect)).slice(0, 20)) c.expect = 'no-match';
    fs.writeFileSync(golden, YAML.stringify(cases));
    const stale = run(['--check'], knowledge);
    expect(stale.status).to.equal(1);
    expect(stale.stderr).to.match(/answer-calibration\.yml is stale.*npm run kb:calibrate/);
  });

  it('--check fails when the file is missing', () => {
    fs.rmSync(path.join(knowledge, 'policy', 'answer-calibration.yml'));
    const r = run(['--check'], knowledge);
    expect(r.status).to.equal(1);
    expect(r.stderr).to.match(/is missing: run npm run kb:calibrate/);
  });
});
