import type { AskerRole } from './article.js';
import { asksForPerson, describesCurrentProblem, isClinicalQuestion, isEhrTaskWording, leansClinical, namesTheEhr, smalltalkKind, urgencyOf, urgencyVetoed, type SmalltalkKind } from './intents.js';
import { soundsUrgent } from './urgency-model.js';
import type { KnowledgeBase } from './knowledge-base.js';
import { isOffTopicWord } from './normalize.js';
import { readQuery } from './query.js';
import { search, searchOne, type SearchHit } from './search.js';
import { requestsTask, statesFailure } from './focus.js';
import { clinicalModelOf, overrulesDecline, soundsClinical } from './clinical-model.js';
import { declinesUnanswered, soundsClinicalLearned } from './clinical-check.js';
import { cutText } from '../text.js';
import { calibratedOutcome, type AnswerSignals, type CalibratedOutcome } from './answer-model.js';
import { articleFeatures, learnedRanking, type ArticleModel } from './article-model.js';
import { clearStoryLead, isStory, phrasingAheadBy, phrasingLeads } from './story.js';

/** What Elbow does with a message. */
export type Outcome = 'answer' | 'clarify' | 'no-match' | 'decline' | 'smalltalk' | 'escalate';

/** The decision for one message: the same object drives the bot, kb:ask and kb:eval. */
export interface Decision {
  outcome: Outcome;
  /** The answered article; null unless outcome is "answer". */
  articleId: string | null;
  /** Top article ids (up to 3) for answer and clarify; empty otherwise. */
  candidates: string[];
  /** A patient is waiting or care is blocked: escalate with priority. Never set on a decline (see patientAtRisk). */
  urgent: boolean;
  /**
   * On a decline only: the message sounded urgent (a patient getting worse now). The clinical question is not the help
   * desk's, so it is not escalated with priority; the reply tells the clinician to call the rapid response team or the
   * provider now.
   */
  patientAtRisk?: boolean;
  /** 0..1: how sure the search is of its best article. */
  confidence: number;
  /** The ranked hits behind the decision (empty for decline / smalltalk). */
  hits: SearchHit[];
  /** For smalltalk: which kind. */
  smalltalk?: SmalltalkKind;
  /** True when the text was cut to the search length limit. */
  truncated: boolean;
  /** The words searched after spelling correction, when a correction was made (for analysts' logs). */
  correctedText?: string;
  /** What the answer calibration saw, when search decided the outcome (for kb:calibrate). */
  signals?: AnswerSignals;
}

/** Options for `decide`. */
export interface DecideOptions {
  role?: AskerRole;
  /** Apply the answer calibration (knowledge/policy/answer-calibration.yml) when the policy has one; default true. */
  calibrate?: boolean;
  /** Apply the learned urgency check (urgency-model.ts) when the policy has one; default true. */
  learnedUrgency?: boolean;
  /** Apply the learned clinical-advice check (clinical-check.ts) when the policy has one; default true. */
  learnedClinical?: boolean;
  /**
   * The learned article ranking to re-rank search's hits with: default the policy's (answer-calibration.yml); false for
   * none; kb:calibrate passes models fitted without the question's own set.
   */
  articleModel?: ArticleModel | false;
}

/**
 * Thresholds of the decision. Checked on knowledge/eval/golden.yml and the training sets in knowledge/eval/training
 * (see docs/quality.md); the values sit on a plateau where small changes move neither much.
 */
export const DECISION_TUNING = {
  /** Minimum confidence to answer with the top article. */
  answerConfidence: 0.3,
  /** Minimum coverage of the query by the top article to answer with it at all. */
  answerCoverage: 0.45,
  /** Minimum coverage of the query by the top article to offer candidates rather than "no match". */
  clarifyCoverage: 0.34,
  /** Minimum lead of the top score over the runner-up, as a share of the top score, to answer. */
  answerMargin: 0.1,
  /** The top article is answered when no other hit scores at least this share of its score. */
  candidateShare: 0.45,
  /** Hits scoring at least this share of the top score are offered in a clarify (up to 3). */
  clarifyShare: 0.2,
  /** Characters of text searched; longer messages are cut. */
  maxSearchChars: 500,
  /** A query matching one title or alternate question of an article at least this closely (0..1)... */
  phrasingMatch: 0.85,
  /**
   * ...and this much more closely than any other hit's best phrasing is answered with it, whatever the scores (a
   * wider step than a story's STORY_TUNING.phrasingLead: here it overrides the scores, there it breaks a close call).
   */
  phrasingMatchLead: 0.3,
  /** A near miss (see nearMiss) is only suspected when no title or alternate question of the top article is this close. */
  nearMissSimilarity: 0.37,
  /** ...and the top article shares at most this many informative query words (task verbs never count). */
  nearMissShared: 1,
  /**
   * A short how-to request ("how do I add X") whose top article is a troubleshooting one (its title states a failure)
   * with no title or alternate question this close, sharing at most `nearMissShared` informative words, is a near miss:
   * a task no article covers lands on a fault article through one shared word ("diagnosis" of a problem list in
   * "my order won't sign").
   */
  kindMismatchSimilarity: 0.45,
  /** A top article scoring at least this many times the runner-up... */
  dominantLead: 3,
  /** ...is answered from this coverage up (an unknown word, such as a scale or drug name, costs coverage, not the topic)... */
  dominantCoverage: 0.38,
  /** ...when it has at least this many informative query words in its title, questions or tags. */
  dominantInformative: 2,
  /**
   * A message reporting a failure ("x won't load", "y is blank") is answered with a top article that scores at least
   * this many times the runner-up: the failure names the thing that broke, so a clear lead is enough evidence.
   */
  failureLead: 1.4,
  /**
   * ...and one that leads by dominantLead on dominantInformative words is answered from this coverage up (so is an urgent
   * message's). Over golden and every training set (18,694 questions, ninth session): 0.25 → 0.15 answers two urgent
   * failures told in the middle of a rapid response, changes nothing else; 0.1 changes nothing more.
   */
  failureDominantCoverage: 0.15,
  /**
   * A message that would be clarified is answered when its top article's phrasing is this similar (0..1) and clearly
   * the closest (STORY_TUNING.phrasingLead); higher than a story's, since a short message has fewer words to match.
   */
  phrasingAnswer: 0.45,
  /** ...in a message of at least this many words (one or two words, "list", match a short title by themselves). */
  phrasingAnswerWords: 4,
};

/**
 * The top article's curated phrasing is clearly the closest to the message, and the message names nothing the
 * knowledge base lacks: a better tie-break between close scores than asking the clinician to choose.
 */
function phrasedLead(hits: SearchHit[], offTopic: boolean, words: number): boolean {
  const top = hits[0];
  if (!top || offTopic || words < DECISION_TUNING.phrasingAnswerWords || top.informative.unknown > 0 || top.coverage < DECISION_TUNING.clarifyCoverage) return false;
  return phrasingLeads(hits, DECISION_TUNING.phrasingAnswer);
}

/** The top article dwarfs every other hit and rests on more than one rare word of the query, from `minCoverage` up. */
function dominant(hits: SearchHit[], minCoverage = DECISION_TUNING.dominantCoverage): boolean {
  const [top, second] = hits;
  if (!top || top.coverage < minCoverage || top.informative.matched < DECISION_TUNING.dominantInformative) return false;
  return !second || top.score >= second.score * DECISION_TUNING.dominantLead;
}

/**
 * A near-miss topic: no phrasing of the top article is close, it shares at most one informative word with the query (often in another sense,
 * "code" of "code status" in "activation code") while the query has at least as much informative weight the
 * article lacks. An EHR task no article covers is a gap to record, not a loosely related answer.
 */
function nearMiss(top: SearchHit): boolean {
  const { matched, matchedWeight, missedWeight } = top.informative;
  return top.similarity < DECISION_TUNING.nearMissSimilarity && matched <= DECISION_TUNING.nearMissShared && missedWeight > 0 && missedWeight >= matchedWeight;
}

/** A how-to request answered by a troubleshooting article that shares at most one informative word with it (see kindMismatchSimilarity). */
function kindMismatch(kb: KnowledgeBase, top: SearchHit, text: string): boolean {
  if (top.similarity >= DECISION_TUNING.kindMismatchSimilarity || top.informative.matched > DECISION_TUNING.nearMissShared) return false;
  const title = kb.byId.get(top.id)?.title;
  return title !== undefined && statesFailure(title, kb.policy) && requestsTask(text, kb.policy);
}

/** Confidence from the top article's coverage of the query and its lead over the runner-up. */
export function confidenceOf(hits: SearchHit[]): number {
  if (hits.length === 0) return 0;
  const [top, second] = hits;
  const margin = second ? Math.max(0, (top.score - second.score) / top.score) : 1;
  return round(top.coverage * (0.5 + 0.5 * margin));
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/**
 * Decides what to do with one message. Pure: no I/O, never throws on user text. A message the urgency rules pass over
 * is still urgent when the learned urgency check (urgency-model.ts) says so and no rule vetoes it (not urgent, not
 * now, over); small talk never is. A message that ends unanswered (no match, or a choice of articles) and not urgent
 * is declined when the learned clinical check finds it likely clinical (clinical-check.ts, declinesUnanswered). A
 * declined message is never urgent: what sounded urgent in it becomes `patientAtRisk`.
 */
export function decide(kb: KnowledgeBase, rawText: string, options: DecideOptions = {}): Decision {
  const decision = decideText(kb, rawText, options);
  // Urgency is the help desk's priority for care the EHR blocks; a declined clinical question is not theirs.
  return decision.outcome === 'decline' && decision.urgent ? { ...decision, urgent: false, patientAtRisk: true } : decision;
}

/** decide() before a declined message's urgency becomes patientAtRisk. */
function decideText(kb: KnowledgeBase, rawText: string, options: DecideOptions): Decision {
  const full = typeof rawText === 'string' ? rawText : '';
  const truncated = full.length > DECISION_TUNING.maxSearchChars;
  const text = truncated ? cutText(full, DECISION_TUNING.maxSearchChars) : full;
  const decision = withLearnedUrgency(kb, text, decideByRules(kb, text, truncated, options), options);
  // What search could not answer and is not urgent: the learned clinical check declines it from a lower probability,
  // and a question about a patient that names nothing of the EHR is declined (clinical.yml `unanswered` rules).
  const clinicalCheck = options.learnedClinical === false ? undefined : kb.policy.clinicalCheck;
  const unanswered = (decision.outcome === 'no-match' || decision.outcome === 'clarify') && !decision.urgent;
  if (unanswered && declinesUnanswered(clinicalCheck, text, kb.policy, decision.correctedText)) {
    return { ...decision, outcome: 'decline', articleId: null, candidates: [], confidence: 0, hits: [], signals: undefined };
  }
  return decision;
}

/** The learned urgency check (urgency-model.ts) flags what no rule did, unless a rule vetoes it; small talk never is. */
function withLearnedUrgency(kb: KnowledgeBase, text: string, decision: Decision, options: DecideOptions): Decision {
  const model = kb.policy.urgencyModel;
  if (decision.urgent || decision.outcome === 'smalltalk' || !model || options.learnedUrgency === false) return decision;
  return soundsUrgent(model, text) && !urgencyVetoed(text, kb.policy) ? { ...decision, urgent: true } : decision;
}

/** decide() with the urgency rules alone, on the text cut to DECISION_TUNING.maxSearchChars. */
function decideByRules(kb: KnowledgeBase, text: string, truncated: boolean, options: DecideOptions): Decision {
  const { urgent, systemRisk, article: situationArticle } = urgencyOf(text, kb.policy);

  const { query, corrected, groupFactors } = readQuery(kb, text);
  const correctedText = corrected?.join(' ');
  const base = { articleId: null, candidates: [] as string[], urgent, confidence: 0, hits: [] as SearchHit[], truncated, ...(correctedText ? { correctedText } : {}) };
  const articleModel = options.articleModel ?? kb.policy.articleModel;
  const searched = query.groups.length > 0 ? search(kb, query, { role: options.role, limit: 10, groupFactors }) : [];
  // One searched word ("list") tells the model nothing search has not weighed: it would only add which article that word
  // was asked about most often, and a one-word question is the clinician's to narrow down (the rules decide it).
  const oneWord = query.groups.length < 2;
  const learned = articleModel && searched.length > 0 && !oneWord ? learnedRanking(articleModel, articleFeatures(query, groupFactors), searched) : undefined;
  const reranked = learned?.hits ?? searched;
  const found = reranked.slice(0, systemRisk ? 10 : 5);
  // A risk rule that names its article (records disagree -> patient safety) wants that one, when search surfaces it at
  // all, and no other urgent article (a label mismatch is not a downtime).
  const urgentHit = !systemRisk ? undefined : situationArticle ? namedHit(kb, found, situationArticle, () => searchOne(kb, query, situationArticle, { role: options.role, groupFactors })) : urgentArticle(kb, found);
  // A past or not-urgent risk still names its article: answered when search offers it among the first three.
  const recalled = systemRisk || !situationArticle ? undefined : found.slice(0, 3).find((h) => h.id === situationArticle);
  const lead = urgentHit ?? recalled;
  const ranked = lead ? [lead, ...found.filter((h) => h !== lead)].slice(0, 5) : found;
  const phrased = closestPhrasing(ranked);
  const hits = phrased ? [phrased, ...ranked.filter((h) => h !== phrased)] : ranked;
  // The urgent article for an outage or a patient at risk, or a near word-for-word phrasing, needs no score lead.
  const promoted = hits.length > 0 && (hits[0] === urgentHit || hits[0] === recalled || hits[0] === phrased);
  // The article a matched risk rule names is the analysts' answer for that situation, however the message is worded.
  const named = hits.length > 0 && hits[0] === urgentHit && urgentHit.id === situationArticle;
  const confidence = confidenceOf(hits);
  const top3 = hits.slice(0, 3).map((h) => h.id);

  if (asksForPerson(text, kb.policy)) return { ...base, outcome: 'escalate', hits, confidence, candidates: top3 };
  // A typo in the EHR verb ("how do I documnet the g tube teaching") hides an EHR task from the rules: the respelled
  // words are read as well, and an EHR-task wording there is never declined.
  const ehrTaskRespelled = correctedText !== undefined && isEhrTaskWording(correctedText, kb.policy);
  // Care blocked now by a failure of something the EHR names ("septic, lactate of 4, and the antibiotic still isn't on
  // my MAR"): the clinical words are the scene and the failure is the question; the nurse needs its fix, not a decline.
  const failure = statesFailure(text, kb.policy);
  const blockedByEhr = urgent && failure && namesTheEhr(text, kb.policy);
  if (!ehrTaskRespelled && !blockedByEhr && isClinicalQuestion(text, kb.policy) && !overrulesDecline(clinicalModelOf(kb), text, kb.policy)) return { ...base, outcome: 'decline' };
  const smalltalk = smalltalkKind(text, kb.policy);
  if (smalltalk) return { ...base, outcome: 'smalltalk', smalltalk };
  // A clinical question worded in a way no rule foresaw: the learned check (clinical-model.ts) declines it too.
  if (!ehrTaskRespelled && soundsClinical(clinicalModelOf(kb), text, kb.policy)) return { ...base, outcome: 'decline' };
  // ...and so does the check learned from every labelled question (clinical-check.ts), when it is on.
  const clinicalCheck = options.learnedClinical === false ? undefined : kb.policy.clinicalCheck;
  if (!ehrTaskRespelled && clinicalCheck && soundsClinicalLearned(clinicalCheck, text, kb.policy)) return { ...base, outcome: 'decline' };

  const top = hits[0];
  // One or two stray characters ("x", "1", "?!") say nothing to search on, whatever they happen to match.
  const meaningful = query.tokens.some((t) => t.replace(/[^\p{L}\p{N}]/gu, '').length >= 2);
  // A story (many words, one clause stating the problem) with a clear first candidate is answered, not asked about.
  const storyLike = isStory(query);
  // Everyday words ("parking", "paycheck") say the message is not about the EHR, however far one article leads.
  const offTopic = query.tokens.some((t) => isOffTopicWord(t, kb.policy));
  const ruled = ruleDecision();
  // The rules keep for themselves what no score should overturn: nothing to search, one word, the article an urgent
  // situation or a near word-for-word phrasing names, everyday words, a judgement asked about a drug or condition, and urgency.
  if (!top || !meaningful || oneWord || promoted || named || offTopic || urgent || (!failure && leansClinical(text, kb.policy))) return ruled;
  const signals: AnswerSignals = {
    hits,
    words: query.tokens.length,
    failure,
    taskRequest: requestsTask(text, kb.policy),
    focused: groupFactors !== undefined,
    rule: ruled.outcome as CalibratedOutcome,
    ...(learned ? { learned: { top: learned.probability.get(top.id) ?? 0, second: hits[1] ? (learned.probability.get(hits[1].id) ?? 0) : 0, best: learned.best, none: learned.none } } : {}),
  };
  const calibration = kb.policy.calibration;
  const outcome = calibration && options.calibrate !== false ? calibratedOutcome(calibration, signals) : signals.rule;
  if (outcome === ruled.outcome) return { ...ruled, signals };
  if (outcome === 'answer') return answerWith(top);
  if (outcome === 'clarify') return { ...base, outcome: 'clarify', candidates: clarifyCandidates(hits), confidence, hits, signals };
  return { ...base, outcome: 'no-match', hits, confidence, signals };

  function answerWith(hit: SearchHit): Decision {
    const article = kb.byId.get(hit.id);
    return {
      ...base,
      outcome: 'answer',
      articleId: hit.id,
      candidates: top3,
      // The article flag (downtime, patient safety) only counts when the text describes a problem now.
      urgent: urgent || (Boolean(article?.urgent) && describesCurrentProblem(text, kb.policy)),
      confidence,
      hits,
    };
  }

  /** The hand-set rules' decision (DECISION_TUNING, STORY_TUNING). */
  function ruleDecision(): Decision {
    const story = storyLike && meaningful && clearStoryLead(hits, groupFactors !== undefined);
    // A stated failure, or care blocked now, whose top article leads by dominantLead on two informative words names what
    // broke, however many scene words ("septic pt crashing in the ED", "trauma just rolled in") dilute the coverage.
    const failureDominant = (failure || urgent) && !offTopic && dominant(hits, DECISION_TUNING.failureDominantCoverage);
    if (!top || !meaningful || (top.coverage < DECISION_TUNING.clarifyCoverage && !story && !named && !failureDominant) || (!promoted && !story && !failure && (nearMiss(top) || (!storyLike && kindMismatch(kb, top, text))))) {
      return { ...base, outcome: 'no-match', hits, confidence };
    }
    const rivals = hits.filter((h) => h !== top && h.score >= top.score * DECISION_TUNING.candidateShare);
    const margin = hits[1] ? (top.score - hits[1].score) / top.score : 1;
    const clearLead = promoted || rivals.length === 0 || (confidence >= DECISION_TUNING.answerConfidence && margin >= DECISION_TUNING.answerMargin);
    const failureLead = failure && !offTopic && (!hits[1] || top.score >= hits[1].score * DECISION_TUNING.failureLead);
    if ((top.coverage >= DECISION_TUNING.answerCoverage && clearLead) || named || story || failureLead || (dominant(hits) && !offTopic) || phrasedLead(hits, offTopic, query.tokens.length)) {
      return answerWith(top);
    }
    // ...and then offer no guesses either.
    if (offTopic) return { ...base, outcome: 'no-match', hits, confidence };
    const candidates = clarifyCandidates(hits);
    // A short how-to request naming something no article knows ("referral", "pager") is a gap, not a choice of guesses.
    if (candidates.length < 2 || (!failure && !storyLike && top.informative.unknown > 0)) return { ...base, outcome: 'no-match', hits, confidence };
    // A judgement asked about a drug, lab or condition, no failure stated, no article clear enough to answer: a clinical
    // question no rule caught gets the person (no-match), never a list of articles to pick from.
    if (!failure && leansClinical(text, kb.policy)) return { ...base, outcome: 'no-match', hits, confidence };
    return { ...base, outcome: 'clarify', candidates, confidence, hits };
  }
}

/** A clarify offers 2-3 articles to choose from; one weak match on its own is not worth offering. */
function clarifyCandidates(hits: SearchHit[]): string[] {
  const top = hits[0];
  if (!top) return [];
  const plausible = hits.filter((h) => h.score >= top.score * DECISION_TUNING.clarifyShare);
  return (plausible.length >= 2 ? plausible : hits).slice(0, 3).map((h) => h.id);
}

/**
 * The hit whose title or one alternate question the query says nearly word for word, when no other hit's phrasing
 * comes close. Curated phrasings are the strongest evidence we have, stronger than a score lead.
 */
function closestPhrasing(hits: SearchHit[]): SearchHit | undefined {
  const best = hits.reduce<SearchHit | undefined>((a, h) => (!a || h.similarity > a.similarity ? h : a), undefined);
  if (!best || best.similarity < DECISION_TUNING.phrasingMatch || best.coverage < DECISION_TUNING.answerCoverage) return undefined;
  return phrasingAheadBy(best, hits, DECISION_TUNING.phrasingMatchLead) ? best : undefined;
}

/**
 * The hit of the article a matched risk rule names: from the first hits, else scored on its own (`searchOne`; an
 * outage worded "every screen went white" shares no word with the downtime article's title), else an empty hit,
 * because the situation, not the wording, says which article helps.
 */
function namedHit(kb: KnowledgeBase, found: SearchHit[], id: string, searchNamed: () => SearchHit | undefined): SearchHit | undefined {
  if (!kb.byId.has(id)) return undefined;
  const hit = found.find((h) => h.id === id) ?? searchNamed();
  return hit ?? { id, score: found[0]?.score ?? 1, coverage: 0, similarity: 0, informative: { matched: 0, matchedWeight: 0, missedWeight: 0, unknown: 0 } };
}

/**
 * The message reports an outage or a patient put at risk by the system now: the urgent article (downtime, patient
 * safety) is the answer when it covers the message well enough, because keeping the patient safe comes before
 * fixing whatever screen showed the problem.
 */
function urgentArticle(kb: KnowledgeBase, hits: SearchHit[]): SearchHit | undefined {
  return hits.find((h) => kb.byId.get(h.id)?.urgent && h.coverage >= DECISION_TUNING.answerCoverage);
}
