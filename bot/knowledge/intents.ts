import { defaultPolicy, ruleMatches, rulesOf, splitAtRules, type Policy } from './policy.js';
import { cleanText } from './tokenize.js';

/**
 * Recognisers for what a message is, besides a how-to question. The words and phrase rules are the analysts'
 * data in knowledge/policy/*.yml; this file holds only how they combine (exceptions first, framed rules needing an
 * item, past or negated urgency). Each works on the cleaned, lower-cased text. Every function takes the policy
 * of the knowledge base (hot reload) and defaults to the bundled one.
 */

/** The text rules run on: cleaned, lower-cased, straight apostrophes, single spaces. */
export function prepare(raw: string): string {
  return cleanText(raw).toLowerCase().replace(/[\u2018\u2019`]/g, "'").replace(/\s+/g, ' ').trim();
}

function anyRule(policy: Policy, file: string, kind: string, text: string): boolean {
  return rulesOf(policy, file, kind).some((r) => ruleMatches(r, text));
}

/** True when the user asks for a person / the help desk / a ticket. */
export function asksForPerson(raw: string, policy: Policy = defaultPolicy()): boolean {
  const text = prepare(raw);
  return !anyRule(policy, 'escalate', 'not-person', text) && anyRule(policy, 'escalate', 'person', text);
}

/** True when the message asks for clinical judgement: doses, result interpretation, treatment. */
export function isClinicalQuestion(raw: string, policy: Policy = defaultPolicy()): boolean {
  const text = prepare(raw);
  if (anyRule(policy, 'clinical', 'ehr-task', text)) return false;
  if (anyRule(policy, 'clinical', 'advice', text)) return true;
  return anyRule(policy, 'clinical', 'item', text) && anyRule(policy, 'clinical', 'framed', text);
}

/** True when the message names something of the EHR (`ehr-named` rules of clinical.yml: a chart, an order, a device...). */
export function namesTheEhr(raw: string, policy: Policy = defaultPolicy()): boolean {
  return anyRule(policy, 'clinical', 'ehr-named', prepare(raw));
}

/** clinical.yml's `unanswered` rules: a question about a patient that names nothing of the EHR (declined when search left it unanswered). */
export function asksAboutPatientCare(raw: string, policy: Policy = defaultPolicy()): boolean {
  return anyRule(policy, 'clinical', 'unanswered', prepare(raw));
}

/** True when the message is worded as an EHR task (`ehr-task` rules of clinical.yml): never clinical advice. */
export function isEhrTaskWording(raw: string, policy: Policy = defaultPolicy()): boolean {
  return anyRule(policy, 'clinical', 'ehr-task', prepare(raw));
}

/**
 * True when the message asks for a judgement (`judgement` rules: "should I", "how often", "is it normal") about a
 * drug, lab or condition, or about something that names nothing of the EHR (`ehr-named`: "is it normal for the line to
 * flush with no blood return"), outside an EHR-task phrasing. Such a message that no clinical rule declined and no
 * article fits well enough to answer by the hand-set rules is most likely a clinical question: it must not be answered
 * on the calibration's word, nor offered articles to choose from.
 */
export function leansClinical(raw: string, policy: Policy = defaultPolicy()): boolean {
  const text = prepare(raw);
  if (anyRule(policy, 'clinical', 'ehr-task', text) || !anyRule(policy, 'clinical', 'judgement', text)) return false;
  return anyRule(policy, 'clinical', 'item', text) || !anyRule(policy, 'clinical', 'ehr-named', text);
}

/**
 * The word class of a clinical word the articles never name: a drug is a "medication", a test is a "lab result".
 * Lets "ceftriaxone not on my emar" search like "medication not on the mar" instead of as an unknown word.
 */
export function clinicalWordClass(token: string, policy: Policy = defaultPolicy()): string[] | null {
  if (!/^[a-z0-9]+$/.test(token)) return null;
  return policy.wordClasses.find((wc) => wc.test(token))?.terms ?? null;
}

/** True when the message shows a patient is waiting, care is blocked now, or a system is down for many or unsafe. */
export function isUrgent(raw: string, policy: Policy = defaultPolicy()): boolean {
  return urgencyOf(raw, policy).urgent;
}

/**
 * Urgency and system risk (see describesSystemRisk) of one message, preparing its text once. The user saying it is
 * not urgent, and planned or past events ("the code blue we had last night"), outweigh every urgent phrase. `article`
 * is the one a matched risk rule names, also when the event is past or not urgent: the situation still says which
 * article it belongs to ("last week another patient's labs showed in my chart, who do I tell"); an `over` rule (the
 * outage has ended) names none: the message is about what comes after it.
 */
export function urgencyOf(raw: string, policy: Policy = defaultPolicy()): { urgent: boolean; systemRisk: boolean; article?: string } {
  const text = prepare(raw);
  // A risk that has ended ("the downtime is over") is neither urgent nor what the message asks about any more.
  if (anyRule(policy, 'urgency', 'over', text)) return { urgent: false, systemRisk: false };
  const risks = rulesOf(policy, 'urgency', 'system-risk').filter((r) => ruleMatches(r, text));
  const article = risks.find((r) => r.article)?.article;
  const named = article ? { article } : {};
  if (anyRule(policy, 'urgency', 'not-urgent', text) || anyRule(policy, 'urgency', 'not-now', text)) return { urgent: false, systemRisk: false, ...named };
  return { urgent: risks.length > 0 || anyRule(policy, 'urgency', 'urgent', text), systemRisk: risks.length > 0, ...named };
}

/**
 * True when the message says the situation is not urgent, not now (planned, past, a how-to for later) or over: what
 * `urgencyOf` vetoes, also applied to the learned urgency check (urgency-model.ts).
 */
export function urgencyVetoed(raw: string, policy: Policy = defaultPolicy()): boolean {
  const text = prepare(raw);
  return ['over', 'not-urgent', 'not-now'].some((kind) => anyRule(policy, 'urgency', kind, text));
}

/**
 * True when the message reports, as happening now, an outage for many or a patient put at risk by the system
 * (another patient's data in the chart, a near miss). Unlike a waiting patient, this is what the urgent
 * articles (downtime, patient safety) are about.
 */
export function describesSystemRisk(raw: string, policy: Policy = defaultPolicy()): boolean {
  return urgencyOf(raw, policy).systemRisk;
}

/**
 * True when a message on an urgent topic (downtime, patient safety) describes a problem happening now,
 * rather than planning ahead ("planned downtime tonight"), reporting afterwards or asking where things are.
 */
export function describesCurrentProblem(raw: string, policy: Policy = defaultPolicy()): boolean {
  const text = prepare(raw);
  if (['not-urgent', 'not-now', 'over'].some((kind) => anyRule(policy, 'urgency', kind, text))) return false;
  return anyRule(policy, 'urgency', 'problem-now', text);
}

/** Kinds of small talk Elbow answers without searching. */
export type SmalltalkKind = 'greeting' | 'thanks' | 'bye' | 'about' | 'howareyou' | 'ack' | 'vent';

const SMALLTALK_KINDS = new Set<string>(['greeting', 'thanks', 'bye', 'about', 'howareyou', 'ack', 'vent']);

/** Small-talk kinds from the most to the least telling: a message of several small-talk parts is answered as its first. */
const SMALLTALK_PRIORITY: SmalltalkKind[] = ['thanks', 'bye', 'about', 'howareyou', 'greeting', 'vent', 'ack'];

/**
 * Classifies a whole message as small talk, or returns null when it carries a question. A message no rule reads whole
 * is split at smalltalk.yml's `part-break` rules ("ugh what a day. anyway good morning"): when every part is small talk,
 * the message is, answered as its most telling kind (SMALLTALK_PRIORITY); one part that is not ("thanks, but it still
 * won't print") keeps it a question.
 */
export function smalltalkKind(raw: string, policy: Policy = defaultPolicy()): SmalltalkKind | null {
  const prepared = prepare(raw);
  const whole = smalltalkOfPart(prepared, policy);
  if (whole || prepared.length > 80) return whole;
  const parts = splitAtRules(prepared, rulesOf(policy, 'smalltalk', 'part-break'));
  if (parts.length < 2) return null;
  const kinds = parts.map((p) => smalltalkOfPart(p, policy));
  if (kinds.some((k) => k === null)) return null;
  return SMALLTALK_PRIORITY.find((k) => kinds.includes(k)) ?? null;
}

/** The small-talk rule one prepared text matches whole (punctuation dropped), or null. */
function smalltalkOfPart(prepared: string, policy: Policy): SmalltalkKind | null {
  const text = prepared.replace(/[!?.,]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (!text || text.length > 80) return null;
  for (const rule of policy.rules.get('smalltalk') ?? []) {
    if (SMALLTALK_KINDS.has(rule.kind) && ruleMatches(rule, text)) return rule.kind as SmalltalkKind;
  }
  return null;
}
