/** npm run kb:eval -- [--json] [--gate] [--by-length] FILE : runs evaluation questions through decide(). */
import { computeMetrics, isCorrect, qualityGate, readEvalCases, runEval } from '../bot/knowledge/eval.js';
import { openKnowledgeOrExit, parseArgs, runMain } from './cli.js';
import { byLengthReport } from './eval-length.js';

runMain(() => {
  const args = parseArgs(process.argv.slice(2));
  const file = args.positional[0];
  if (!file) throw new Error('usage: npm run kb:eval -- [--json] [--gate] [--by-length] FILE');
  const cases = readEvalCases(file);
  const kb = openKnowledgeOrExit();
  const { results, metrics } = runEval(kb, cases);
  if (args.flags.has('json')) {
    process.stdout.write(`${JSON.stringify({ results, summary: { total: metrics.total, correct: metrics.correct, accuracy: metrics.accuracy } })}\n`);
  } else {
    const misses = cases.map((c, i) => ({ c, r: results[i] })).filter(({ c, r }) => !isCorrect(c, r));
    for (const { c, r } of misses) {
      const got = r.outcome === 'answer' ? r.articleId : `${r.outcome}${r.candidates.length ? ` [${r.candidates.join(', ')}]` : ''}`;
      console.log(`MISS  ${c.q.slice(0, 70).padEnd(70)}  expect ${c.expect.padEnd(34)} got ${got} (${r.confidence})`);
    }
    for (const [i, c] of cases.entries()) {
      if (Boolean(c.urgent) !== results[i].urgent) console.log(`${c.urgent ? 'URGENT MISSED' : 'URGENT FALSE '}  ${c.q.slice(0, 70)}`);
    }
    const m = computeMetrics(cases, results);
    console.log('');
    console.log(`questions            ${m.total}`);
    console.log(`correct              ${m.correct} (${(m.accuracy * 100).toFixed(1)} %)`);
    console.log(`articles answered    ${m.articleAnswered}/${m.articleQuestions} (${(m.articleAccuracy * 100).toFixed(1)} %)`);
    console.log(`right article top 3  ${(m.top3 * 100).toFixed(1)} %`);
    console.log(`confidently wrong    ${m.confidentlyWrong} (${(m.confidentlyWrongRate * 100).toFixed(1)} %)`);
    console.log(`clinical answered    ${m.clinicalAnswered}`);
    console.log(`off-topic answered   ${m.offTopicAnswered}`);
    console.log(`escalate recall      ${(m.escalateRecall * 100).toFixed(1)} %`);
    console.log(`urgent recall        ${(m.urgentRecall * 100).toFixed(1)} %`);
    console.log(`urgent false alarms  ${m.urgentFalseAlarms}`);
    for (const [k, v] of Object.entries(m.byExpectation)) console.log(`  ${k.padEnd(12)} ${v.correct}/${v.total}`);
    if (args.flags.has('by-length')) {
      console.log('by length (words)');
      for (const line of byLengthReport(cases, results)) console.log(line);
    }
  }
  if (args.flags.has('gate')) {
    const failures = qualityGate(metrics);
    if (failures.length > 0) {
      process.stderr.write(`quality gate FAILED:\n  ${failures.join('\n  ')}\n`);
      process.exit(1);
    }
    process.stderr.write('quality gate passed\n');
  }
});
