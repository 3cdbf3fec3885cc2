/** npm run kb:ask -- [--json] [--role nurse|physician|other] "question" : one question through decide(). */
import type { AskerRole } from '../bot/knowledge/article.js';
import { decide } from '../bot/knowledge/decide.js';
import { toResult } from '../bot/knowledge/eval.js';
import { openKnowledgeOrExit, parseArgs, runMain } from './cli.js';

const ROLES = new Set(['nurse', 'physician', 'other']);

runMain(() => {
  const args = parseArgs(process.argv.slice(2), ['role']);
  const question = args.positional.join(' ');
  const roleFlag = args.flags.get('role');
  const role = typeof roleFlag === 'string' && ROLES.has(roleFlag) ? (roleFlag as AskerRole) : undefined;
  if (roleFlag !== undefined && !role) throw new Error('--role must be nurse, physician or other');
  if (!question.trim()) throw new Error('usage: npm run kb:ask -- [--json] [--role nurse|physician|other] "question"');
  const kb = openKnowledgeOrExit();
  const decision = decide(kb, question, { role });
  const result = toResult(question, role, decision);
  if (args.flags.has('json')) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  console.log(`outcome     ${result.outcome}${result.urgent ? ' (URGENT)' : ''}`);
  console.log(`article     ${result.articleId ?? '-'}`);
  console.log(`confidence  ${result.confidence}`);
  for (const hit of decision.hits.slice(0, 5)) {
    console.log(`  ${hit.id.padEnd(36)} score ${hit.score.toFixed(3)}  coverage ${hit.coverage.toFixed(2)}  similarity ${hit.similarity.toFixed(2)}`);
  }
});
