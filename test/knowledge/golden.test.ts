import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { computeMetrics, isCorrect, qualityGate, readEvalCases, runEval, type EvalCase } from '../../bot/knowledge/eval.js';
import { buildKnowledgeBase, type KnowledgeBase } from '../../bot/knowledge/knowledge-base.js';

const OUTCOMES = new Set(['decline', 'no-match', 'smalltalk', 'escalate']);
const GOLDEN = path.resolve('knowledge/eval/golden.yml');
const TRAINING = path.resolve('knowledge/eval/training');

/** The misses of a run, readable in a failure message. */
function missesOf(kb: KnowledgeBase, cases: EvalCase[]): string {
  const { results } = runEval(kb, cases);
  return cases
    .map((c, i) => ({ c, r: results[i] }))
    .filter(({ c, r }) => !isCorrect(c, r))
    .map(({ c, r }) => `  ${c.q} -> ${r.outcome} ${r.articleId ?? r.candidates.join(',')} (expected ${c.expect})`)
    .join('\n');
}

describe('knowledge/eval: quality gate', () => {
  let kb: KnowledgeBase;
  before(() => {
    kb = buildKnowledgeBase(path.resolve('knowledge'));
  });

  it('passes the quality gate on the golden set (the training and regression set)', () => {
    const cases = readEvalCases(GOLDEN);
    const { metrics } = runEval(kb, cases);
    expect(qualityGate(metrics), `misses:\n${missesOf(kb, cases)}`).to.deep.equal([]);
  });

  // Former blind sets were tuned on after their first run, so they are training data now (docs/quality.md): not gated,
  // but a renamed article must not break them silently.
  for (const name of ['golden', ...fs.readdirSync(TRAINING).filter((f) => f.endsWith('.yml')).map((f) => `training/${f}`)]) {
    it(`${name}: every expectation is an article id or an outcome`, () => {
      for (const c of readEvalCases(path.resolve(`knowledge/eval/${name.replace(/\.yml$/, '')}.yml`))) {
        expect(OUTCOMES.has(c.expect) || kb.byId.has(c.expect), `${c.q}: ${c.expect}`).to.equal(true);
      }
    });
  }

  it('qualityGate names each failed condition', () => {
    const cases: EvalCase[] = [
      { q: 'a', expect: 'printer-not-printing' },
      { q: 'b', expect: 'decline' },
      { q: 'c', expect: 'no-match' },
      { q: 'd', expect: 'escalate', urgent: true },
    ];
    const wrongAnswer = (articleId: string) => ({ q: '', role: null, outcome: 'answer' as const, articleId, candidates: [articleId], urgent: false, confidence: 0.9 });
    const metrics = computeMetrics(cases, [
      wrongAnswer('password-reset'),
      wrongAnswer('password-reset'),
      wrongAnswer('password-reset'),
      { q: '', role: null, outcome: 'no-match', articleId: null, candidates: [], urgent: false, confidence: 0 },
    ]);
    const failures = qualityGate(metrics).join('\n');
    for (const part of ['accuracy', 'top 3', 'confidently wrong', 'clinical', 'off-topic', 'escalate recall', 'urgent recall']) {
      expect(failures).to.include(part);
    }
  });
});
