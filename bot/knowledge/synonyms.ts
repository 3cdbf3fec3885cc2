import fs from 'node:fs';
import YAML from 'yaml';
import { z } from 'zod';
import { tokenize } from './tokenize.js';

/** A phrase the user may type (as tokens) and the tokens it stands for in our articles. */
export interface SynonymRule {
  phrase: string[];
  expansion: string[];
  /**
   * True when the phrase is replaced by the expansion instead of kept beside it: written `phrase: [=token]`
   * ("sign in: [=signin]" so that "sign" alone means signing orders), or `phrase: []` to ignore a phrase.
   */
  replace?: boolean;
}

/** Synonym rules indexed by their first token, longest phrase first. */
export interface SynonymMap {
  byFirstToken: Map<string, SynonymRule[]>;
  /**
   * Acronyms written in capitals in synonyms.yml ("IT", "HIM") that collide with ordinary words ("it", "him"):
   * they only apply where the user typed them in capitals.
   */
  caseSensitive?: { pattern: RegExp; expansion: string }[];
  size: number;
}

/** A key written in capitals only (2-10 characters) is a case-sensitive acronym. */
const CASE_SENSITIVE_KEY = /^[A-Z][A-Z0-9&]{1,9}$/;

const SynonymFileSchema = z.record(z.string(), z.union([z.string(), z.array(z.string())]));

/** Builds a synonym map from `{ phrase: [our words...] }` entries (see SynonymRule for `=` and `[]`). */
export function buildSynonymMap(entries: Record<string, string | string[]>): SynonymMap {
  const byFirstToken = new Map<string, SynonymRule[]>();
  const caseSensitive: { pattern: RegExp; expansion: string }[] = [];
  let size = 0;
  for (const [key, value] of Object.entries(entries)) {
    const phrase = tokenize(key);
    const values = Array.isArray(value) ? value : [value];
    const replace = values.length === 0 || values.some((v) => v.trim().startsWith('='));
    const expansion = [...new Set(values.flatMap((v) => tokenize(v)))];
    if (phrase.length === 0 || (expansion.length === 0 && !replace)) continue;
    if (CASE_SENSITIVE_KEY.test(key.trim())) {
      caseSensitive.push({ pattern: new RegExp(`(?<![\\p{L}\\p{N}])${key.trim()}(?![\\p{L}\\p{N}])`, 'gu'), expansion: expansion.join(' ') });
      size++;
      continue;
    }
    const rules = byFirstToken.get(phrase[0]) ?? [];
    rules.push(replace ? { phrase, expansion, replace } : { phrase, expansion });
    rules.sort((a, b) => b.phrase.length - a.phrase.length);
    byFirstToken.set(phrase[0], rules);
    size++;
  }
  return { byFirstToken, caseSensitive, size };
}

/** Replaces case-sensitive acronyms ("IT") typed in capitals with their expansion, before tokenizing. */
export function expandCaseSensitive(text: string, map: SynonymMap): string {
  let result = text;
  for (const { pattern, expansion } of map.caseSensitive ?? []) result = result.replace(pattern, ` ${expansion} `);
  return result;
}

/** Reads knowledge/synonyms.yml; throws with the file name when it is malformed. */
export function loadSynonyms(file: string): SynonymMap {
  if (!fs.existsSync(file)) return buildSynonymMap({});
  let data: unknown;
  try {
    data = YAML.parse(fs.readFileSync(file, 'utf8')) ?? {};
  } catch (err) {
    throw new Error(`${file}: not valid YAML (${(err as Error).message.split('\n')[0]})`);
  }
  const parsed = SynonymFileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file}: ${issue.path.join('.') || 'root'}: ${issue.message} (expected "phrase: [our words]")`);
  }
  return buildSynonymMap(parsed.data);
}

/** A run of user tokens after synonym matching: what the user typed and what we search for. */
export interface TokenGroup {
  /** The user's own token(s). */
  original: string[];
  /** The tokens to search for: the original when kept, plus expansions. */
  terms: string[];
  /** True when the group came from a synonym rule. */
  expanded: boolean;
}

/** A user token matches a rule token as written or as its plural ("smartphrases" matches "smartphrase"). */
function sameWord(userToken: string | undefined, ruleToken: string): boolean {
  return userToken === ruleToken || userToken === `${ruleToken}s` || userToken === `${ruleToken}es`;
}

/** The singular forms a plural-looking token may stand for, to find rules by first token. */
function singulars(token: string): string[] {
  const forms: string[] = [];
  if (token.length > 3 && token.endsWith('s')) forms.push(token.slice(0, -1));
  if (token.length > 4 && token.endsWith('es')) forms.push(token.slice(0, -2));
  return forms;
}

/** The longest rule matching at position i: exact words first, then allowing plurals. */
function ruleAt(tokens: string[], i: number, map: SynonymMap): SynonymRule | undefined {
  const own = map.byFirstToken.get(tokens[i]);
  const exact = own?.find((r) => r.phrase.every((t, k) => tokens[i + k] === t));
  if (exact) return exact;
  const forms = singulars(tokens[i]);
  // Most words start no rule in any form: answer without building the candidate lists (index builds call this per word).
  if (!own && !forms.some((form) => map.byFirstToken.has(form))) return undefined;
  const candidates = [tokens[i], ...forms].flatMap((first) => map.byFirstToken.get(first) ?? []);
  return candidates
    .filter((r) => r.phrase.every((t, k) => sameWord(tokens[i + k], t)))
    .sort((a, b) => b.phrase.length - a.phrase.length)[0];
}

/** Applies synonym rules to a token list, longest phrase first; unmatched tokens form their own group. */
export function applySynonyms(tokens: string[], map: SynonymMap): TokenGroup[] {
  const groups: TokenGroup[] = [];
  for (let i = 0; i < tokens.length; ) {
    const rule = ruleAt(tokens, i, map);
    if (rule) {
      const terms = rule.replace ? rule.expansion : [...new Set([...rule.phrase, ...rule.expansion])];
      groups.push({ original: rule.phrase, terms, expanded: true });
      i += rule.phrase.length;
    } else {
      groups.push({ original: [tokens[i]], terms: [tokens[i]], expanded: false });
      i++;
    }
  }
  return groups;
}
