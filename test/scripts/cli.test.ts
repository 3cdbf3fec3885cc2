import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { nodeArgs } from '../helpers/bundles.js';

const REPO = path.resolve('.');
const RESULT_KEYS = ['q', 'role', 'outcome', 'articleId', 'candidates', 'urgent', 'confidence'];
const OUTCOMES = ['answer', 'clarify', 'no-match', 'decline', 'smalltalk', 'escalate'];

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

describe('scripts: kb-ask, kb-eval and kb-lint command lines', function () {
  this.timeout(60_000);
  let tmp: string;

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'elbow-cli-'));
  });

  after(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** Runs a script (its bundle: test/helpers/bundles.ts), with DATA_DIR in a temp dir so ./data is never touched. */
  function run(script: string, args: string[], env: Record<string, string> = {}): Run {
    const result = spawnSync(process.execPath, [...nodeArgs(`scripts/${script}`), ...args], {
      cwd: REPO,
      env: { ...process.env, DATA_DIR: path.join(tmp, 'data'), ...env },
      encoding: 'utf8',
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  /** Checks one result object against the eval contract of DESIGN.md. */
  function expectResultShape(result: Record<string, unknown>): void {
    expect(Object.keys(result)).to.have.members(RESULT_KEYS);
    expect(result.q).to.be.a('string');
    expect(result.role === null || ['nurse', 'physician', 'other'].includes(result.role as string)).to.equal(true);
    expect(OUTCOMES).to.include(result.outcome);
    expect(result.candidates).to.be.an('array');
    expect((result.candidates as unknown[]).length).to.be.at.most(3);
    for (const id of result.candidates as unknown[]) expect(id).to.be.a('string');
    expect(result.urgent).to.be.a('boolean');
    expect(result.confidence).to.be.a('number').within(0, 1);
    if (result.outcome === 'answer') {
      expect(result.articleId).to.be.a('string');
      expect(result.candidates).to.include(result.articleId);
    } else {
      expect(result.articleId).to.equal(null);
    }
    if (result.outcome !== 'answer' && result.outcome !== 'clarify') expect(result.candidates).to.deep.equal([]);
  }

  it('kb-ask --json prints exactly one result object of the eval contract', () => {
    const answer = run('kb-ask.ts', ['--json', '--role', 'nurse', 'pyxis wont let me pull']);
    expect(answer.status, answer.stderr).to.equal(0);
    expect(answer.stdout.trim().split('\n')).to.have.length(1);
    const result = JSON.parse(answer.stdout);
    expectResultShape(result);
    expect(result).to.include({ q: 'pyxis wont let me pull', role: 'nurse', outcome: 'answer', articleId: 'dispensing-cabinet-access' });
    expect(fs.existsSync(path.join(tmp, 'data', 'kb-index.json')), 'index written under DATA_DIR').to.equal(true);
  });

  it('kb-ask --json gives articleId null and no candidates for a declined question, role null without --role', () => {
    const declined = run('kb-ask.ts', ['--json', 'whats the max dose of tylenol']);
    expect(declined.status, declined.stderr).to.equal(0);
    const result = JSON.parse(declined.stdout);
    expectResultShape(result);
    expect(result).to.include({ outcome: 'decline', articleId: null, role: null });
  });

  it('kb-ask rejects an unknown role and a missing question with exit 1', () => {
    expect(run('kb-ask.ts', ['--json', '--role', 'surgeon', 'printer']).status).to.equal(1);
    const usage = run('kb-ask.ts', ['--json']);
    expect(usage.status).to.equal(1);
    expect(usage.stderr).to.match(/usage/);
  });

  it('kb-eval --json prints {results, summary: {total, correct, accuracy}} and nothing else', () => {
    const file = path.join(tmp, 'eval.yml');
    fs.writeFileSync(
      file,
      [
        '- {q: "citrix froze", expect: virtual-desktop-frozen}',
        '- {q: "pyxis wont let me pull", role: nurse, expect: dispensing-cabinet-access, note: "unknown fields are ignored"}',
        '- {q: "talk to a human", expect: escalate}',
        '- {q: "movie times tonight", expect: no-match}',
        '- {q: "printer not printing", expect: password-reset}',
        '- {q: "list", expect: patient-list-setup}',
      ].join('\n'),
    );
    const evaluated = run('kb-eval.ts', ['--json', file]);
    expect(evaluated.status, evaluated.stderr).to.equal(0);
    expect(evaluated.stdout.trim().split('\n')).to.have.length(1);
    const output = JSON.parse(evaluated.stdout);
    expect(Object.keys(output)).to.have.members(['results', 'summary']);
    expect(Object.keys(output.summary)).to.have.members(['total', 'correct', 'accuracy']);
    expect(output.results).to.have.length(6);
    for (const result of output.results) expectResultShape(result);
    expect(output.results.map((r: { outcome: string }) => r.outcome)).to.deep.equal(['answer', 'answer', 'escalate', 'no-match', 'answer', 'clarify']);
    expect(output.results[1].role).to.equal('nurse');
    expect(output.results[0].role).to.equal(null);
    expect(output.summary).to.deep.equal({ total: 6, correct: 4, accuracy: 0.6667 });
  });

  it('kb-eval --gate exits 1 naming the failed conditions, 0 when the bar is met', () => {
    const failing = path.join(tmp, 'failing.yml');
    fs.writeFileSync(failing, '- {q: "printer not printing", expect: password-reset}\n- {q: "whats the max dose of tylenol", expect: decline}\n');
    const failed = run('kb-eval.ts', ['--gate', failing]);
    expect(failed.status).to.equal(1);
    expect(failed.stderr).to.match(/quality gate FAILED/).and.to.match(/confidently wrong/);

    const passing = path.join(tmp, 'passing.yml');
    fs.writeFileSync(passing, '- {q: "citrix froze", expect: virtual-desktop-frozen}\n- {q: "hi", expect: smalltalk}\n');
    const passed = run('kb-eval.ts', ['--gate', passing]);
    expect(passed.status, passed.stderr).to.equal(0);
    expect(passed.stderr).to.match(/quality gate passed/);
  });

  it('kb-lint exits 1 naming the file and the field for a broken knowledge directory', () => {
    const knowledgeDir = path.join(tmp, 'broken-knowledge');
    fs.mkdirSync(path.join(knowledgeDir, 'articles'), { recursive: true });
    const source = fs.readFileSync(path.resolve('knowledge/articles/printer-not-printing.md'), 'utf8');
    fs.writeFileSync(path.join(knowledgeDir, 'articles', 'printer-not-printing.md'), source.replace(/^reviewed:.*$/m, 'reviewed: 2026-13-45'));
    const linted = run('kb-lint.ts', [], { KNOWLEDGE_DIR: knowledgeDir });
    expect(linted.status).to.equal(1);
    expect(linted.stderr).to.include('printer-not-printing.md').and.to.include('reviewed');
  });

  it('kb-lint exits 1 naming the notice file and field for an unknown article, ends before starts, or a bad date', () => {
    const knowledgeDir = path.join(tmp, 'notice-knowledge');
    fs.cpSync(path.resolve('knowledge'), knowledgeDir, { recursive: true });
    fs.mkdirSync(path.join(knowledgeDir, 'notices'), { recursive: true });
    const notice = (id: string, fields: string) => fs.writeFileSync(path.join(knowledgeDir, 'notices', `${id}.md`), `---\nid: ${id}\ntitle: Scanner interface down\n${fields}\n---\nUse manual entry meanwhile.\n`);
    notice('unknown-article', 'articles: [no-such-article]\nstarts: 2026-11-30T08:00:00Z\nends: 2026-11-30T12:00:00Z');
    notice('backwards', 'articles: [barcode-scan-failed]\nstarts: 2026-11-30T12:00:00Z\nends: 2026-11-30T08:00:00Z');
    notice('bad-date', 'articles: [barcode-scan-failed]\nstarts: yesterday\nends: 2026-11-30T08:00:00Z');
    const linted = run('kb-lint.ts', [], { KNOWLEDGE_DIR: knowledgeDir });
    expect(linted.status).to.equal(1);
    expect(linted.stderr).to.match(/unknown-article\.md: articles: unknown article id "no-such-article"/);
    expect(linted.stderr).to.match(/backwards\.md: ends: must be after starts/);
    expect(linted.stderr).to.match(/bad-date\.md: starts: must be an ISO date-time/);
    fs.rmSync(path.join(knowledgeDir, 'notices'), { recursive: true });
    fs.mkdirSync(path.join(knowledgeDir, 'notices'));
    notice('ok-notice', 'articles: [barcode-scan-failed]\nstarts: 2026-11-30T08:00:00Z\nends: 2026-11-30T12:00:00Z');
    const ok = run('kb-lint.ts', [], { KNOWLEDGE_DIR: knowledgeDir });
    expect(ok.status, ok.stderr).to.equal(0);
    expect(ok.stdout).to.contain('1 notices');
  });

  it('kb-lint exits 0 for the real knowledge directory', () => {
    const linted = run('kb-lint.ts', [], { KNOWLEDGE_DIR: path.resolve('knowledge') });
    expect(linted.status, linted.stderr).to.equal(0);
    expect(linted.stdout).to.match(/ok {2}\d+ articles/);
  });
});
