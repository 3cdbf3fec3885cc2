// Focused CPU micro-bench: redact() and decide() over the golden questions: `npx tsx scripts/bench/turn-cpu.ts [eval.yml]`.
import { readEvalCases } from '../../bot/knowledge/eval.js';
import { redact } from '../../bot/privacy/redact.js';
import { decide } from '../../bot/knowledge/decide.js';
import { buildKnowledgeBase } from '../../bot/knowledge/knowledge-base.js';

const qs = readEvalCases(process.argv[2] ?? 'knowledge/eval/golden.yml').map((c) => c.q);
const kb = buildKnowledgeBase('knowledge');
function time(label: string, fn: (q: string) => unknown, rounds: number) {
  for (const q of qs) fn(q);
  const t0 = process.cpuUsage();
  for (let r = 0; r < rounds; r++) for (const q of qs) fn(q);
  const u = process.cpuUsage(t0);
  console.log(`${label}: ${((u.user + u.system) / 1000 / (rounds * qs.length)).toFixed(4)} ms CPU per call (${qs.length} q x ${rounds})`);
}
time('redact', (q) => redact(q), 20);
time('decide', (q) => decide(kb, q), 3);
