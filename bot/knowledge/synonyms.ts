import fs from 'node:fs';
import YAML from 'yaml';
import { z } from 'zod';
import { tokenize } from './tokenize.js';

/** A phrase the user may type (as tokens) and the tokens it stands for in our articles. */
export interface SynonymRule {
  phrase: string[];
  expansion: string[];
}

/** Synonym rules indexed by their first token, longest phrase first. */
export interface SynonymMap {
  byFirstToken: Map<string, SynonymRule[]>;
  size: number;
}

const SynonymFileSchema = z.record(z.string(), z.union([z.string(), z.array(z.string())]));

/** Builds a synonym map from `{ phrase: [our words...] }` entries. */
export function buildSynonymMap(entries: Record<string, string | string[]>): SynonymMap {
  const byFirstToken = new Map<string, SynonymRule[]>();
  let size = 0;
  for (const [key, value] of Object.entries(entries)) {
    const phrase = tokenize(key);
    const expansion = [...new Set((Array.isArray(value) ? value : [value]).flatMap((v) => tokenize(v)))];
    if (phrase.length === 0 || expansion.length === 0) continue;
    const rules = byFirstToken.get(phrase[0]) ?? [];
    rules.push({ phrase, expansion });
    rules.sort((a, b) => b.phrase.length - a.phrase.length);
    byFirstToken.set(phrase[0], rules);
    size++;
  }
  return { byFirstToken, size };
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

/** Applies synonym rules to a token list, longest phrase first; unmatched tokens form their own group. */
export function applySynonyms(tokens: string[], map: SynonymMap): TokenGroup[] {
  const groups: TokenGroup[] = [];
  for (let i = 0; i < tokens.length; ) {
    const rules = map.byFirstToken.get(tokens[i]) ?? [];
    const rule = rules.find((r) => r.phrase.every((t, k) => tokens[i + k] === t));
    if (rule) {
      groups.push({ original: rule.phrase, terms: [...new Set([...rule.phrase, ...rule.expansion])], expanded: true });
      i += rule.phrase.length;
    } else {
      groups.push({ original: [tokens[i]], terms: [tokens[i]], expanded: false });
      i++;
    }
  }
  return groups;
}
