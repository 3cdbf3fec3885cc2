import regjsparser, { type AstNode } from 'regjsparser';

/**
 * A cheap test that most policy rules cannot match a text, so their regex never runs: the literal strings one
 * of which every match of the pattern must contain ("how much" for `\bhow much\b.{0,30}\b(?:mg|ml)\b`, or
 * {"mg", "ml"}). Derived from the pattern's syntax tree, never guessed: a part we cannot reason about (a
 * character class, an optional or negated part, a backreference) simply contributes no requirement.
 */

/** At most this many alternatives are tried with `includes`; a longer list (a whole vocabulary) is left to the regex. */
const MAX_ALTERNATIVES = 48;

type Requirement = string[] | null;

/** The strings one of which every match of `source` (a regex without flags) contains, or undefined if none is known. */
export function requiredLiterals(source: string): string[] | undefined {
  let root: AstNode;
  try {
    root = regjsparser.parse(source, '', { lookbehind: true, namedGroups: true }) as AstNode;
  } catch {
    return undefined;
  }
  const need = requirement(root);
  return need === null || need.length === 0 || need.some((s) => s.length === 0) ? undefined : need;
}

/** True unless the prefilter proves that no match is possible. */
export function mayMatch(needs: readonly string[] | undefined, text: string): boolean {
  return needs === undefined || needs.some((s) => text.includes(s));
}

function requirement(node: AstNode): Requirement {
  switch (node.type) {
    case 'value':
      return [String.fromCodePoint(node.codePoint)];
    case 'alternative':
      return sequence(node.body);
    case 'disjunction': {
      const all: string[] = [];
      for (const alt of node.body) {
        const need = requirement(alt);
        if (need === null) return null;
        all.push(...need);
      }
      const unique = [...new Set(all)];
      return unique.length <= MAX_ALTERNATIVES ? unique : null;
    }
    case 'group':
      // A negative lookaround requires nothing; a positive one, like a group, requires what its body requires.
      return node.behavior === 'negativeLookahead' || node.behavior === 'negativeLookbehind' ? null : sequence(node.body);
    case 'quantifier':
      return node.min >= 1 ? sequence(node.body) : null;
    default:
      return null;
  }
}

/** A sequence: each run of plain characters is required whole, as is each part's own requirement; the most selective wins. */
function sequence(body: readonly AstNode[]): Requirement {
  const candidates: string[][] = [];
  let run = '';
  for (const node of body) {
    if (node.type === 'value') {
      run += String.fromCodePoint(node.codePoint);
      continue;
    }
    if (run) candidates.push([run]);
    run = '';
    const need = requirement(node);
    if (need !== null) candidates.push(need);
  }
  if (run) candidates.push([run]);
  let best: Requirement = null;
  for (const c of candidates) if (best === null || better(c, best)) best = c;
  return best;
}

/** The candidate whose shortest string is longer (rarer in text) wins; then the one with fewer strings. */
function better(a: string[], b: string[]): boolean {
  const shortest = (x: string[]) => Math.min(...x.map((s) => s.length));
  return shortest(a) > shortest(b) || (shortest(a) === shortest(b) && a.length < b.length);
}
