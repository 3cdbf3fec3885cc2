/** Word-count buckets of an evaluation: where long, story-style questions lose their answer (kb:eval --by-length). */
import { isCorrect, type EvalCase, type EvalResult } from '../bot/knowledge/eval.js';

/** Upper word-count bound of each bucket (the last one is open). */
export const LENGTH_BUCKETS = [8, 14, 20, Infinity];

function label(i: number): string {
  const lo = i === 0 ? 1 : LENGTH_BUCKETS[i - 1] + 1;
  const hi = LENGTH_BUCKETS[i];
  return hi === Infinity ? `>${lo - 1} words` : `${lo}-${hi} words`;
}

/** Lines "bucket  correct/total (pct)  clarify n  no-match n" for every non-empty word-count bucket. */
export function byLengthReport(cases: EvalCase[], results: EvalResult[]): string[] {
  const rows = LENGTH_BUCKETS.map(() => ({ total: 0, correct: 0, clarify: 0, noMatch: 0 }));
  cases.forEach((c, i) => {
    const words = c.q.trim().split(/\s+/).length;
    const row = rows[LENGTH_BUCKETS.findIndex((hi) => words <= hi)];
    row.total++;
    if (isCorrect(c, results[i])) row.correct++;
    else if (results[i].outcome === 'clarify') row.clarify++;
    else if (results[i].outcome === 'no-match') row.noMatch++;
  });
  return rows.flatMap((r, i) =>
    r.total === 0
      ? []
      : [`  ${label(i).padEnd(12)} ${`${r.correct}/${r.total}`.padStart(7)} (${((r.correct / r.total) * 100).toFixed(1).padStart(5)} %)  missed as clarify ${r.clarify}, as no-match ${r.noMatch}`],
  );
}
