import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { decide } from '../../bot/knowledge/decide.js';
import { buildKnowledgeBase } from '../../bot/knowledge/knowledge-base.js';
import { KnowledgeError } from '../../bot/knowledge/load.js';
import { checkPolicyExamples } from '../../bot/knowledge/policy-check.js';
import { loadPolicy } from '../../bot/knowledge/policy.js';
import { loadSynonyms } from '../../bot/knowledge/synonyms.js';

const POLICY = path.resolve('knowledge/policy');

/** A copy of the real knowledge directory whose policy files the test may edit. */
function copyKnowledge(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'elbow-policy-'));
  fs.cpSync(path.resolve('knowledge/articles'), path.join(dir, 'articles'), { recursive: true });
  fs.cpSync(POLICY, path.join(dir, 'policy'), { recursive: true });
  fs.copyFileSync(path.resolve('knowledge/synonyms.yml'), path.join(dir, 'synonyms.yml'));
  return dir;
}

describe('knowledge/policy', () => {
  it('every example of every shipped rule agrees with the real classifier', () => {
    const failures = checkPolicyExamples(loadPolicy(POLICY), loadSynonyms(path.resolve('knowledge/synonyms.yml')));
    expect(failures).to.deep.equal([]);
  });

  it('names the file, rule and example when an example disagrees', () => {
    const dir = copyKnowledge();
    const file = path.join(dir, 'policy', 'urgency.yml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('nomatch: [how do i place a stat lab order', 'nomatch: [need this stat'));
    const failures = checkPolicyExamples(loadPolicy(path.join(dir, 'policy')), loadSynonyms(path.join(dir, 'synonyms.yml')));
    expect(failures).to.have.length(1);
    expect(failures[0]).to.include({ file: 'urgency', rule: 'stat', example: 'need this stat' });
  });

  it('checks each class feature\'s words: a wrong example or a class without examples is reported', () => {
    const dir = copyKnowledge();
    const file = path.join(dir, 'policy', 'clinical-examples.yml');
    const text = fs.readFileSync(file, 'utf8');
    const wrongWord = text.replace('diet: {match: [npo, clear liquids, tube feeds], nomatch: [order set, coffee]}', 'diet: {match: [npo, clear liquids, tube feeds], nomatch: [order set, renal diet]}');
    fs.writeFileSync(file, wrongWord);
    const synonyms = loadSynonyms(path.join(dir, 'synonyms.yml'));
    expect(checkPolicyExamples(loadPolicy(path.join(dir, 'policy')), synonyms)).to.deep.include({ file: 'clinical-examples', rule: 'class feature diet', example: 'renal diet', message: 'nomatch example: read as #diet' });
    fs.writeFileSync(file, text.replace(/^  precaution: \{.*\}\n/m, ''));
    expect(checkPolicyExamples(loadPolicy(path.join(dir, 'policy')), synonyms).map((f) => f.rule)).to.deep.equal(['class feature precaution']);
  });

  it('rejects a rule without examples or with an unknown vocabulary, naming the file', () => {
    const dir = copyKnowledge();
    fs.writeFileSync(path.join(dir, 'policy', 'escalate.yml'), 'rules:\n  - id: bad\n    kind: person\n    pattern: "{nosuch}"\n    examples: {match: [], nomatch: []}\n');
    expect(() => loadPolicy(path.join(dir, 'policy'))).to.throw(KnowledgeError, /escalate\.yml/);
  });

  it('an analyst changes a decision by editing YAML alone (the knowledge base carries its own policy)', () => {
    const dir = copyKnowledge();
    const q = 'what is the best lunch spot near the hospital';
    expect(decide(buildKnowledgeBase(dir), q).outcome).to.equal('no-match');
    const file = path.join(dir, 'policy', 'escalate.yml');
    fs.writeFileSync(
      file,
      fs.readFileSync(file, 'utf8') + "  - id: lunch-desk\n    kind: person\n    pattern: '\\blunch spot\\b'\n    examples: {match: [best lunch spot], nomatch: [lunch menu]}\n",
    );
    expect(decide(buildKnowledgeBase(dir), q).outcome).to.equal('escalate');
  });
});
