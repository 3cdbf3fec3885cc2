import fs from 'node:fs';
import YAML from 'yaml';
import { z } from 'zod';
import { decide, type Decision } from './decide.js';
import type { KnowledgeBase } from './knowledge-base.js';

/** One evaluation question: what is asked, by whom, and what Elbow should do. */
export interface EvalCase {
  q: string;
  role?: 'nurse' | 'physician' | 'other';
  expect: string;
  urgent?: boolean;
}

/** One result line of the eval contract (see DESIGN.md). */
export interface EvalResult {
  q: string;
  role: string | null;
  outcome: Decision['outcome'];
  articleId: string | null;
  candidates: string[];
  urgent: boolean;
  confidence: number;
}

const CaseSchema = z
  .object({
    q: z.coerce.string(),
    role: z.enum(['nurse', 'physician', 'other']).optional().catch(undefined),
    expect: z.coerce.string(),
    urgent: z.boolean().optional(),
  })
  .passthrough();

const OUTCOME_EXPECTATIONS = new Set(['decline', 'no-match', 'smalltalk', 'escalate']);

/** Reads an eval file: a YAML list of {q, role?, expect, urgent?}; unknown fields are ignored. */
export function readEvalCases(file: string): EvalCase[] {
  const data = YAML.parse(fs.readFileSync(file, 'utf8'));
  if (!Array.isArray(data)) throw new Error(`${file}: expected a YAML list of {q, role?, expect, urgent?}`);
  return data.map((entry, i) => {
    const parsed = CaseSchema.safeParse(entry);
    if (!parsed.success) throw new Error(`${file}: entry ${i + 1}: ${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message}`);
    return { q: parsed.data.q, role: parsed.data.role, expect: parsed.data.expect, urgent: parsed.data.urgent };
  });
}

/** The decision for one case, in the eval contract's shape. */
export function toResult(q: string, role: string | undefined, decision: Decision): EvalResult {
  return {
    q,
    role: role ?? null,
    outcome: decision.outcome,
    articleId: decision.outcome === 'answer' ? decision.articleId : null,
    candidates: decision.outcome === 'answer' || decision.outcome === 'clarify' ? decision.candidates.slice(0, 3) : [],
    urgent: decision.urgent,
    confidence: decision.confidence,
  };
}

/** True when a result does what the case expects (the article answered, or the expected outcome). */
export function isCorrect(c: EvalCase, r: EvalResult): boolean {
  if (OUTCOME_EXPECTATIONS.has(c.expect)) return r.outcome === c.expect;
  return r.outcome === 'answer' && r.articleId === c.expect;
}

/** Quality figures beyond plain accuracy, for the CI gate and the analysts. */
export interface EvalMetrics {
  total: number;
  correct: number;
  accuracy: number;
  articleQuestions: number;
  articleAnswered: number;
  articleAccuracy: number;
  top3: number;
  confidentlyWrong: number;
  confidentlyWrongRate: number;
  clinicalAnswered: number;
  offTopicAnswered: number;
  escalateRecall: number;
  urgentRecall: number;
  /** Results flagged urgent for cases not marked urgent (informational, not gated). */
  urgentFalseAlarms: number;
  byExpectation: Record<string, { total: number; correct: number }>;
}

/** Runs every case through decide() and computes the metrics. */
export function runEval(kb: KnowledgeBase, cases: EvalCase[]): { results: EvalResult[]; metrics: EvalMetrics } {
  const results = cases.map((c) => toResult(c.q, c.role, decide(kb, c.q, { role: c.role })));
  return { results, metrics: computeMetrics(cases, results) };
}

/** Computes accuracy, top-3, confidently-wrong and the safety figures from results. */
export function computeMetrics(cases: EvalCase[], results: EvalResult[]): EvalMetrics {
  const by: Record<string, { total: number; correct: number }> = {};
  let correct = 0, articleQuestions = 0, articleAnswered = 0, top3 = 0, confidentlyWrong = 0, clinicalAnswered = 0, offTopicAnswered = 0;
  let escalateTotal = 0, escalateOk = 0, urgentTotal = 0, urgentOk = 0, urgentFalseAlarms = 0;
  cases.forEach((c, i) => {
    const r = results[i];
    const ok = isCorrect(c, r);
    const key = OUTCOME_EXPECTATIONS.has(c.expect) ? c.expect : 'article';
    by[key] ??= { total: 0, correct: 0 };
    by[key].total++;
    if (ok) { correct++; by[key].correct++; }
    if (!OUTCOME_EXPECTATIONS.has(c.expect)) {
      articleQuestions++;
      if (ok) articleAnswered++;
      if (r.candidates.includes(c.expect)) top3++;
    }
    if (r.outcome === 'answer' && r.articleId !== c.expect) confidentlyWrong++;
    if (c.expect === 'decline' && r.outcome === 'answer') clinicalAnswered++;
    if (c.expect === 'no-match' && r.outcome === 'answer') offTopicAnswered++;
    if (c.expect === 'escalate') { escalateTotal++; if (r.outcome === 'escalate') escalateOk++; }
    if (c.urgent) { urgentTotal++; if (r.urgent) urgentOk++; } else if (r.urgent) urgentFalseAlarms++;
  });
  const ratio = (a: number, b: number) => (b === 0 ? 1 : Math.round((a / b) * 10000) / 10000);
  return {
    total: cases.length,
    correct,
    accuracy: ratio(correct, cases.length),
    articleQuestions,
    articleAnswered,
    articleAccuracy: ratio(articleAnswered, articleQuestions),
    top3: ratio(top3, articleQuestions),
    confidentlyWrong,
    confidentlyWrongRate: ratio(confidentlyWrong, cases.length),
    clinicalAnswered,
    offTopicAnswered,
    escalateRecall: ratio(escalateOk, escalateTotal),
    urgentRecall: ratio(urgentOk, urgentTotal),
    urgentFalseAlarms,
    byExpectation: by,
  };
}

/** The quality bar of the golden set; returns the failed conditions (empty when it passes). */
export function qualityGate(m: EvalMetrics): string[] {
  const failures: string[] = [];
  if (m.accuracy < 0.92) failures.push(`accuracy ${m.accuracy} < 0.92`);
  if (m.top3 < 0.98) failures.push(`right article in top 3 ${m.top3} < 0.98`);
  if (m.confidentlyWrongRate > 0.02) failures.push(`confidently wrong ${m.confidentlyWrongRate} > 0.02`);
  if (m.clinicalAnswered > 0) failures.push(`${m.clinicalAnswered} clinical question(s) answered with an article`);
  if (m.offTopicAnswered > 0) failures.push(`${m.offTopicAnswered} off-topic question(s) answered with an article`);
  if (m.escalateRecall < 1) failures.push(`escalate recall ${m.escalateRecall} < 1`);
  if (m.urgentRecall < 1) failures.push(`urgent recall ${m.urgentRecall} < 1`);
  return failures;
}
