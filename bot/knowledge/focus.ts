import { prepare } from './intents.js';
import { ruleMatches, rulesOf, splitAtRules, type Policy } from './policy.js';
import { tokenize } from './tokenize.js';

/**
 * The focus of a long, story-style message: the clauses that state the problem or the question. Scene-setting
 * ("i'm on nights and my patient in 12 just came back from ct") carries words that match unrelated articles and
 * dilute the query; the clause with the failure ("the bp never showed up in the flowsheet") names the article.
 * Where a message splits and what makes a clause the problem are the analysts' data in knowledge/policy/focus.yml.
 */

/** The message split into clauses at the policy's clause breaks (punctuation, joining words). */
export function clausesOf(raw: string, policy: Policy): string[] {
  return splitAtRules(prepare(raw), rulesOf(policy, 'focus', 'clause-break'));
}

/** True when one clause states a failure, a complaint or the question (a `failure` or `question` rule of focus.yml). */
export function isProblemClause(clause: string, policy: Policy): boolean {
  return statesFailure(clause, policy) || rulesOf(policy, 'focus', 'question').some((r) => ruleMatches(r, prepare(clause)));
}

/** True when the text states a failure or a complaint (a `failure` rule): otherwise it asks how to do a task. */
export function statesFailure(text: string, policy: Policy): boolean {
  const prepared = prepare(text);
  return rulesOf(policy, 'focus', 'failure').some((r) => ruleMatches(r, prepared));
}

/** True when the text asks how to do a task (a `task-request` rule: "how do I ...", "where do I ..."), not why something fails. */
export function requestsTask(text: string, policy: Policy): boolean {
  const prepared = prepare(text);
  return rulesOf(policy, 'focus', 'task-request').some((r) => ruleMatches(r, prepared));
}

/**
 * The words of the problem clauses of a message, or null when the message has no separate problem clause
 * (one clause, or every clause or none states the problem): then every word counts the same.
 */
export function focusWords(raw: string, policy: Policy): Set<string> | null {
  const clauses = clausesOf(raw, policy);
  if (clauses.length < 2) return null;
  const problem = clauses.filter((c) => isProblemClause(c, policy));
  if (problem.length === 0 || problem.length === clauses.length) return null;
  return new Set(problem.flatMap((c) => tokenize(c)));
}
