import { asksForPerson, clinicalWordClass, isClinicalQuestion, isUrgent, prepare, smalltalkKind } from './intents.js';
import { classOf } from './clinical-model.js';
import { isProblemClause } from './focus.js';
import { isOffTopicWord, normalize } from './normalize.js';
import { ruleMatches, type Policy, type PolicyRule } from './policy.js';
import type { SynonymMap } from './synonyms.js';
import { tokenize } from './tokenize.js';

/** One policy example the real classifier disagrees with. */
export interface ExampleFailure {
  file: string;
  rule: string;
  example: string;
  message: string;
}

/**
 * How each kind of rule is checked: `positive` rules make the file's classifier say yes on their `match` examples
 * and no on their `nomatch` ones (a `framed` clinical rule's examples name a drug, lab or condition); `exception` rules make it say no on their `match` examples; `part` rules (pieces a
 * classifier combines) are checked on their own pattern.
 */
const KIND_ROLE: Record<string, 'positive' | 'exception' | 'part'> = {
  advice: 'positive', 'ehr-task': 'exception', framed: 'positive', item: 'part', judgement: 'part', unanswered: 'part', 'ehr-named': 'part',
  person: 'positive', 'not-person': 'exception',
  urgent: 'positive', 'system-risk': 'positive', 'not-now': 'exception', over: 'exception', 'not-urgent': 'exception', 'problem-now': 'part',
  failure: 'positive', question: 'positive', 'clause-break': 'part', 'task-request': 'part',
  greeting: 'positive', thanks: 'positive', bye: 'positive', about: 'positive', howareyou: 'positive', ack: 'positive', vent: 'positive', 'part-break': 'positive',
};

function classifier(file: string, rule: PolicyRule, policy: Policy): ((text: string) => boolean) | undefined {
  if (file === 'clinical') return (t) => isClinicalQuestion(t, policy);
  if (file === 'escalate') return (t) => asksForPerson(t, policy);
  if (file === 'urgency') return (t) => isUrgent(t, policy);
  // A part break's examples are whole messages: small talk made of parts, or a question that only starts as small talk.
  if (file === 'smalltalk') return rule.kind === 'part-break' ? (t) => smalltalkKind(t, policy) !== null : (t) => smalltalkKind(t, policy) === rule.kind;
  if (file === 'focus') return (t) => isProblemClause(t, policy);
  return undefined;
}

/** Runs every example of every rule, word class and word list through the real classifiers; returns the mismatches. */
export function checkPolicyExamples(policy: Policy, synonyms: SynonymMap): ExampleFailure[] {
  const failures: ExampleFailure[] = [];
  const fail = (file: string, rule: string, example: string, message: string) => failures.push({ file, rule, example, message });
  for (const [file, rules] of policy.rules) {
    for (const rule of rules) {
      const role = KIND_ROLE[rule.kind];
      const says = classifier(file, rule, policy);
      if (!role || !says) {
        fail(file, rule.id, '', `unknown kind "${rule.kind}" for ${file}.yml`);
        continue;
      }
      for (const ex of rule.examples.match) {
        if (!ruleMatches(rule, smalltalkText(file, rule, ex))) fail(file, rule.id, ex, 'match example: the rule does not match it');
        else if (role === 'positive' && !says(ex)) fail(file, rule.id, ex, `match example: the classifier does not say ${rule.kind}`);
        else if (role === 'exception' && says(ex)) fail(file, rule.id, ex, 'match example: an exception, yet the classifier still says yes');
      }
      for (const ex of rule.examples.nomatch) {
        if (role === 'positive' ? says(ex) : ruleMatches(rule, smalltalkText(file, rule, ex))) fail(file, rule.id, ex, 'nomatch example: it matches');
      }
    }
  }
  for (const wc of policy.wordClasses) {
    const name = `word class ${wc.terms.join(' ')}`;
    for (const ex of wc.examples.match) if (!wc.test(ex)) fail('clinical', name, ex, 'match example: not in the class');
    for (const ex of wc.examples.nomatch) if (clinicalWordClass(ex, policy)?.join(' ') === wc.terms.join(' ')) fail('clinical', name, ex, 'nomatch example: it is in the class');
  }
  // A class example as the classifier reads it: one word or two, lower case, split as tokenize() splits.
  const read = (ex: string) => tokenize(ex).join(' ');
  for (const cf of policy.classFeatures) {
    const name = `class feature ${cf.name}`;
    if (!cf.examples || cf.examples.match.length === 0 || cf.examples.nomatch.length === 0) fail('clinical-examples', name, '', 'needs class_examples with match and nomatch words');
    for (const ex of cf.examples?.match ?? []) if (classOf(read(ex), policy) !== `#${cf.name}`) fail('clinical-examples', name, ex, `match example: not read as #${cf.name}`);
    for (const ex of cf.examples?.nomatch ?? []) if (classOf(read(ex), policy) === `#${cf.name}`) fail('clinical-examples', name, ex, `nomatch example: read as #${cf.name}`);
  }
  const lists: Record<string, (text: string) => boolean> = {
    filler: (t) => normalize(t, synonyms, 40, policy).groups.length === 0,
    'off-topic': (t) => tokenize(t).some((w) => isOffTopicWord(w, policy)),
    'task-words': (t) => tokenize(t).some((w) => policy.taskWords.has(w)),
  };
  for (const [file, says] of Object.entries(lists)) {
    const examples = policy.listExamples.get(file);
    for (const ex of examples?.match ?? []) if (!says(ex)) fail(file, 'groups', ex, 'match example: not matched by the word lists');
    for (const ex of examples?.nomatch ?? []) if (says(ex)) fail(file, 'groups', ex, 'nomatch example: matched by the word lists');
  }
  return failures;
}

/** Small-talk rules match whole messages with punctuation dropped, as smalltalkKind prepares them. */
function smalltalkText(file: string, rule: PolicyRule, text: string): string {
  const prepared = prepare(text);
  // Small-talk rules read the text without punctuation; a part break is where the punctuation is.
  return file === 'smalltalk' && rule.kind !== 'part-break' ? prepared.replace(/[!?.,]+/g, ' ').replace(/\s+/g, ' ').trim() : prepared;
}
