import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { z } from 'zod';
import { KnowledgeError, type ArticleProblem } from './load.js';
import { mayMatch, requiredLiterals } from './rule-prefilter.js';
import { ANSWER_FEATURES, type AnswerCalibration } from './answer-model.js';
import type { UrgencyModel } from './urgency-model.js';
import type { BinaryModel } from './binary-model.js';
import { articleModelOf, type ArticleModel } from './article-model.js';

/**
 * The analysts' policy: word lists and phrase rules in knowledge/policy/*.yml (what counts as clinical advice, urgent,
 * a request for a person, small talk, filler, off-topic). This file only reads, validates and compiles them;
 * intents.ts holds the mechanisms that apply them.
 */

const Examples = z.object({ match: z.array(z.coerce.string()).default([]), nomatch: z.array(z.coerce.string()).default([]) }).strict();

const RuleSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/, 'must be kebab-case'),
    kind: z.string().regex(/^[a-z-]+$/),
    pattern: z.string().min(1),
    unless: z.string().min(1).optional(),
    article: z.string().regex(/^[a-z0-9-]+$/).optional(),
    examples: Examples.refine((e) => e.match.length > 0 && e.nomatch.length > 0, 'needs at least one match and one nomatch example'),
  })
  .strict();

const WordClassSchema = z
  .object({
    terms: z.array(z.string()).min(1),
    words: z.array(z.coerce.string()).optional(),
    pattern: z.string().optional(),
    min_length: z.number().int().positive().optional(),
    examples: Examples,
  })
  .strict()
  .refine((w) => Boolean(w.words) !== Boolean(w.pattern), 'needs either words or pattern');

const Model = z.object({ weights: z.array(z.number().finite()), threshold: z.number().min(0).max(1) }).strict();

const CalibrationSchema = z
  .object({
    features: z.array(z.string()),
    mean: z.array(z.number().finite()),
    scale: z.array(z.number().finite().positive()),
    top: Model,
    top3: Model,
    trained: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  .refine(
    (c) =>
      c.features.length === ANSWER_FEATURES.length &&
      c.features.every((f, i) => f === ANSWER_FEATURES[i]) &&
      c.mean.length === c.features.length &&
      c.scale.length === c.features.length &&
      c.top.weights.length === c.features.length + 1 &&
      c.top3.weights.length === c.features.length + 1,
    `features must be exactly [${ANSWER_FEATURES.join(', ')}], with a mean, a scale and a weight each (plus the intercept): run npm run kb:calibrate`,
  );

/** A learned binary check (binary-model.ts): intercept, threshold, and its weights as one block of "feature weight" lines. */
const BinaryModelSchema = z
  .object({ bias: z.number().finite(), threshold: z.number().min(0).max(1), weights: z.string().transform(parseWeights) })
  .strict();

const PolicyFileSchema = z
  .object({
    vocabularies: z.record(z.string().regex(/^[a-z_]+$/), z.array(z.coerce.string()).min(1)).default({}),
    rules: z.array(RuleSchema).default([]),
    groups: z.record(z.string(), z.array(z.coerce.string()).min(1)).optional(),
    word_classes: z.array(WordClassSchema).optional(),
    examples: Examples.optional(),
    // The clinical-advice classifier's own example sentences (clinical-examples.yml) and the vocabularies it sees as classes.
    class_features: z.array(z.string().regex(/^[a-z_]+$/)).optional(),
    // Each class feature's examples: words it must class so (`match`) and words it must not (`nomatch`); kb:lint runs them.
    class_examples: z.record(z.string().regex(/^[a-z_]+$/), Examples).optional(),
    clinical: z.array(z.coerce.string().trim().min(1, 'is an empty example')).optional(),
    ehr: z.array(z.coerce.string().trim().min(1, 'is an empty example')).optional(),
    // The answer calibration and the learned urgency check (answer-calibration.yml), written by `npm run kb:calibrate`.
    calibration: CalibrationSchema.optional(),
    // Its weights are one block of "feature weight" lines: a YAML parser reads one string far faster than ~4,000 keys.
    urgency_model: BinaryModelSchema.optional(),
    // The learned clinical-advice check (clinical-check.ts): the same shape.
    clinical_model: BinaryModelSchema.optional(),
    // The learned article ranking (article-model.ts): "feature k:w k:w" lines, k an index into `articles`.
    article_model: z
      .object({ articles: z.array(z.string().min(1)).min(1), bias: z.array(z.number().finite()), weights: z.string() })
      .strict()
      .refine((m) => m.bias.length === m.articles.length, 'needs one bias per article: run npm run kb:calibrate')
      .transform((m): ArticleModel => articleModelOf(m.articles, m.bias, m.weights))
      .optional(),
  })
  .strict();

type PolicyFileData = z.infer<typeof PolicyFileSchema>;

/** "feature weight" lines (urgency_model and clinical_model weights) as a record; a line that is not two fields with a number is dropped. */
function parseWeights(text: string): Record<string, number> {
  const weights: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const [feature, value, extra] = line.trim().split(/\s+/);
    const w = Number(value);
    if (feature && value !== undefined && extra === undefined && Number.isFinite(w)) weights[feature] = w;
  }
  return weights;
}

/** One compiled phrase rule: it fires when `regex` matches and `unless` does not. */
export interface PolicyRule {
  file: string;
  id: string;
  kind: string;
  regex: RegExp;
  unless?: RegExp;
  /** Strings one of which every match of `regex` contains (rule-prefilter.ts): without one, the regex need not run. */
  needs?: string[];
  /** The article this situation belongs to (urgency): preferred when search surfaces it at all. */
  article?: string;
  examples: { match: string[]; nomatch: string[] };
}

/** A clinical word the articles never name, searched as its class ("ceftriaxone" -> "medication"). */
export interface WordClass {
  terms: string[];
  test: (token: string) => boolean;
  examples: { match: string[]; nomatch: string[] };
}

/** The compiled policy. `rules` is keyed by file name without extension ("clinical", "urgency"...). */
export interface Policy {
  rules: Map<string, PolicyRule[]>;
  filler: Set<string>;
  offTopic: Set<string>;
  /** Task verbs and everyday EHR words (knowledge/policy/task-words.yml): never what a question is about. */
  taskWords: Set<string>;
  wordClasses: WordClass[];
  /** File-level examples of the word-list files (filler, off-topic). */
  listExamples: Map<string, { match: string[]; nomatch: string[] }>;
  /** The plain words of every vocabulary (drug names, lab names...), which spelling correction may correct to. */
  vocabularyWords: Set<string>;
  /** The clinical-advice classifier's example sentences of each class (clinical-examples.yml), with their file. */
  modelExamples: { clinical: ModelExample[]; ehr: ModelExample[] };
  /** Vocabularies whose words the classifier also sees as their class ("lasix" -> a drug): name and whole-word test. */
  classFeatures: { name: string; regex: RegExp; examples?: { match: string[]; nomatch: string[] } }[];
  /** The answer calibration (answer-calibration.yml), when the policy has one: see answer-model.ts. */
  calibration?: AnswerCalibration;
  /** The learned urgency check (answer-calibration.yml), when the policy has one: see urgency-model.ts. */
  urgencyModel?: UrgencyModel;
  /** The learned clinical-advice check (answer-calibration.yml), when the policy has one: see clinical-check.ts. */
  clinicalCheck?: BinaryModel;
  /** The learned article ranking (answer-calibration.yml), when the policy has one: see article-model.ts. */
  articleModel?: ArticleModel;
  /** The policy directory it came from. */
  dir: string;
}

/** One example sentence of the clinical-advice classifier and the file it is written in. */
export interface ModelExample {
  file: string;
  text: string;
}

/** True when the rule fires on the prepared text. */
export function ruleMatches(rule: PolicyRule, text: string): boolean {
  return mayMatch(rule.needs, text) && rule.regex.test(text) && !(rule.unless?.test(text) ?? false);
}

/** The rules of one file and kind, in file order. */
export function rulesOf(policy: Policy, file: string, kind: string): PolicyRule[] {
  // Asked for on every message, so each (file, kind) list is filtered once per policy.
  let lists = byKind.get(policy);
  if (!lists) byKind.set(policy, (lists = new Map()));
  const key = `${file}\u0000${kind}`;
  let list = lists.get(key);
  if (!list) lists.set(key, (list = (policy.rules.get(file) ?? []).filter((r) => r.kind === kind)));
  return list;
}

const byKind = new WeakMap<Policy, Map<string, PolicyRule[]>>();

/** Each splitting rule's pattern with the global flag, compiled once per rule (asked for on every message). */
const splitters = new WeakMap<PolicyRule, RegExp>();

/** `text` cut at every match of each rule in turn (focus.yml clause breaks, smalltalk.yml part breaks), pieces trimmed, empty ones dropped. */
export function splitAtRules(text: string, rules: readonly PolicyRule[]): string[] {
  let pieces = [text];
  for (const rule of rules) {
    let splitter = splitters.get(rule);
    if (!splitter) splitters.set(rule, (splitter = new RegExp(rule.regex.source, 'g')));
    pieces = pieces.flatMap((p) => p.split(splitter));
  }
  return pieces.map((p) => p.trim()).filter((p) => p.length > 0);
}

/** The policy files of a directory, sorted. */
export function policyFiles(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.yml')).sort().map((f) => path.join(dir, f)) : [];
}

/**
 * The last large policy file parsed, by its text. The generated calibration file is ~350 KB of weights (tens of ms to
 * parse); every knowledge reload and test knowledge base would parse the same text again. Read-only downstream (zod
 * copies what it validates), so sharing the parsed object is safe; any edit changes the text and parses anew.
 */
let lastLarge: { text: string; data: unknown } | undefined;

/** YAML.parse, reusing the last parse of a large policy file with the same text (see lastLarge). */
export function parsePolicyYaml(text: string): unknown {
  if (text.length < 64_000) return YAML.parse(text);
  if (lastLarge?.text !== text) lastLarge = { text, data: YAML.parse(text) };
  return lastLarge.data;
}

/** Reads, validates and compiles every knowledge/policy/*.yml; throws KnowledgeError naming file, rule and problem. */
export function loadPolicy(dir: string): Policy {
  const problems: ArticleProblem[] = [];
  const parsed = new Map<string, PolicyFileData>();
  for (const file of policyFiles(dir)) {
    let data: unknown;
    try {
      data = parsePolicyYaml(fs.readFileSync(file, 'utf8')) ?? {};
    } catch (err) {
      problems.push({ file, field: 'yaml', message: `is not valid YAML (${(err as Error).message.split('\n')[0]})` });
      continue;
    }
    const result = PolicyFileSchema.safeParse(data);
    if (!result.success) {
      for (const issue of result.error.issues) problems.push({ file, field: issue.path.join('.') || 'file', message: issue.message });
    } else parsed.set(file, result.data);
  }
  if (parsed.size === 0 && problems.length === 0) problems.push({ file: dir, field: 'directory', message: 'contains no policy .yml files' });
  if (problems.length > 0) throw new KnowledgeError(problems);

  // Vocabularies are shared by all files, so "drug" is defined once.
  const vocab = new Map<string, string>();
  const vocabularyWords = new Set<string>();
  for (const [file, data] of parsed) {
    for (const [name, entries] of Object.entries(data.vocabularies)) {
      for (const e of entries) if (/^[a-z]+$/.test(e)) vocabularyWords.add(e);
      if (vocab.has(name)) problems.push({ file, field: `vocabularies.${name}`, message: 'is defined in two policy files' });
      vocab.set(name, `(?:${entries.map((e) => e.trim()).join('|')})`);
    }
  }
  const compile = (file: string, field: string, source: string): RegExp => {
    const expanded = source.replace(/\{([a-z_]+)\}/g, (whole, name: string) => {
      const v = vocab.get(name);
      if (v === undefined) problems.push({ file, field, message: `unknown vocabulary {${name}}` });
      return v ?? whole;
    });
    try {
      return new RegExp(expanded);
    } catch (err) {
      problems.push({ file, field, message: `is not a valid pattern (${(err as Error).message})` });
      return /(?!)/;
    }
  };

  const rules = new Map<string, PolicyRule[]>();
  const filler = new Set<string>();
  const offTopic = new Set<string>();
  const taskWords = new Set<string>();
  const wordClasses: WordClass[] = [];
  const listExamples = new Map<string, { match: string[]; nomatch: string[] }>();
  const modelExamples: Policy['modelExamples'] = { clinical: [], ehr: [] };
  const classFeatures: Policy['classFeatures'] = [];
  const labelled = new Map<string, string>();
  let calibration: AnswerCalibration | undefined;
  let urgencyModel: UrgencyModel | undefined;
  let clinicalCheck: BinaryModel | undefined;
  let articleModel: ArticleModel | undefined;
  // A fitted part may come from one policy file only: the later one is reported, and kept.
  const once = <T>(file: string, field: string, current: T | undefined, next: T | undefined): T | undefined => {
    if (next !== undefined && current !== undefined) problems.push({ file, field, message: 'is defined in two policy files' });
    return next ?? current;
  };
  for (const [file, data] of parsed) {
    articleModel = once(file, 'article_model', articleModel, data.article_model);
    calibration = once(file, 'calibration', calibration, data.calibration);
    urgencyModel = once(file, 'urgency_model', urgencyModel, data.urgency_model);
    clinicalCheck = once(file, 'clinical_model', clinicalCheck, data.clinical_model);
    for (const name of data.class_features ?? []) {
      const examples = data.class_examples?.[name];
      classFeatures.push({ name, regex: compile(file, `class_features.${name}`, `^(?:{${name}})$`), ...(examples ? { examples } : {}) });
    }
    for (const name of Object.keys(data.class_examples ?? {})) {
      if (!data.class_features?.includes(name)) problems.push({ file, field: `class_examples.${name}`, message: 'has examples but is not in class_features' });
    }
    for (const label of ['clinical', 'ehr'] as const) {
      for (const text of data[label] ?? []) {
        const key = text.toLowerCase();
        const before = labelled.get(key);
        if (before !== undefined) problems.push({ file, field: label, message: `"${text}" is listed twice${before === label ? '' : ' (as clinical and as ehr)'}` });
        labelled.set(key, label);
        modelExamples[label].push({ file, text });
      }
    }
    const name = path.basename(file, '.yml');
    const seen = new Set<string>();
    rules.set(
      name,
      data.rules.map((r) => {
        if (seen.has(r.id)) problems.push({ file, field: `rules.${r.id}`, message: 'duplicate rule id' });
        seen.add(r.id);
        const regex = compile(file, `rules.${r.id}.pattern`, r.pattern);
        const needs = requiredLiterals(regex.source);
        return {
          file,
          id: r.id,
          kind: r.kind,
          regex,
          ...(needs === undefined ? {} : { needs }),
          unless: r.unless === undefined ? undefined : compile(file, `rules.${r.id}.unless`, r.unless),
          ...(r.article === undefined ? {} : { article: r.article }),
          examples: r.examples,
        };
      }),
    );
    const words = Object.values(data.groups ?? {}).flat().map((w) => w.toLowerCase());
    if (name === 'filler') words.forEach((w) => filler.add(w));
    if (name === 'off-topic') words.forEach((w) => offTopic.add(w));
    if (name === 'task-words') words.forEach((w) => taskWords.add(w));
    if (data.examples) listExamples.set(name, data.examples);
    for (const [i, wc] of (data.word_classes ?? []).entries()) {
      const set = new Set(wc.words ?? []);
      const regex = wc.pattern === undefined ? undefined : compile(file, `word_classes.${i}.pattern`, wc.pattern);
      const min = wc.min_length ?? 0;
      wordClasses.push({ terms: wc.terms, examples: wc.examples, test: (t) => t.length >= min && (set.has(t) || (regex?.test(t) ?? false)) });
    }
  }
  if (problems.length > 0) throw new KnowledgeError(problems);
  return { rules, filler, offTopic, taskWords, wordClasses, listExamples, vocabularyWords, modelExamples, classFeatures, ...(calibration ? { calibration } : {}), ...(urgencyModel ? { urgencyModel } : {}), ...(clinicalCheck ? { clinicalCheck } : {}), ...(articleModel ? { articleModel } : {}), dir };
}

/** The policy shipped with the code (knowledge/policy beside this repository), for knowledge dirs that have none. */
export const BUNDLED_POLICY_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../knowledge/policy');

let bundled: Policy | undefined;

/** The bundled policy, loaded once. */
export function defaultPolicy(): Policy {
  bundled ??= loadPolicy(BUNDLED_POLICY_DIR);
  return bundled;
}

/** The policy of a knowledge directory: its policy/ folder, else the bundled one. */
export function policyFor(knowledgeDir: string): Policy {
  const dir = path.join(knowledgeDir, 'policy');
  return policyFiles(dir).length > 0 ? loadPolicy(dir) : defaultPolicy();
}
