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
    case 'disjunction':
      return union(node.body, requirement);
    case 'group':
      // A negative lookaround requires nothing; a positive one, like a group, requires what its body requires.
      return node.behavior === 'negativeLookahead' || node.behavior === 'negativeLookbehind' ? null : sequence(node.body);
    case 'quantifier':
      return node.min >= 1 ? sequence(node.body) : null;
    default:
      return null;
  }
}

/**
 * A sequence: each run of plain characters is required whole, as is each part's own requirement, and so is each window
 * of neighbouring parts that can only match a few exact strings (" (?:or|vs) " requires " or " or " vs ", far rarer
 * than "or", which "order" and "for" contain); the most selective wins.
 */
function sequence(body: readonly AstNode[]): Requirement {
  const candidates: string[][] = [];
  let run = '';
  let window: string[] | null = null;
  const closeWindow = () => {
    if (window && window.every((w) => w.length > 0)) candidates.push(window);
    window = null;
  };
  for (const node of body) {
    if (node.type === 'value') {
      // A plain character extends the window as it extends the run, without building any list.
      const ch = String.fromCodePoint(node.codePoint);
      if (window === null) window = [ch];
      else for (let i = 0; i < window.length; i++) window[i] += ch;
      run += ch;
      continue;
    }
    const strings = exactStrings(node);
    if (strings === null) closeWindow();
    else {
      // Copies: the window is extended in place, and exactStrings' lists are shared.
      const joined: string[] | null = window === null ? [...strings] : product(window, strings);
      if (joined === null) {
        closeWindow();
        window = [...strings];
      } else window = joined;
    }
    if (run) candidates.push([run]);
    run = '';
    const need = requirement(node);
    if (need !== null) candidates.push(need);
  }
  closeWindow();
  if (run) candidates.push([run]);
  let best: Requirement = null;
  for (const c of candidates) if (best === null || better(c, best)) best = c;
  return best;
}

/** The strings of every alternative (`read` of each), or null when one has none or there are too many. */
function union(alternatives: readonly AstNode[], read: (node: AstNode) => string[] | null): string[] | null {
  const all: string[] = [];
  for (const alt of alternatives) {
    const strings = read(alt);
    if (strings === null) return null;
    all.push(...strings);
  }
  const unique = [...new Set(all)];
  return unique.length <= MAX_ALTERNATIVES ? unique : null;
}

/** Every concatenation of a string of `a` with one of `b`, unless there would be more than MAX_ALTERNATIVES. */
function product(a: readonly string[], b: readonly string[]): string[] | null {
  if (a.length * b.length > MAX_ALTERNATIVES) return null;
  if (a.length === 1 && b.length === 1) return [a[0] + b[0]];
  return [...new Set(a.flatMap((x) => b.map((y) => x + y)))];
}

/** exactStrings per syntax-tree node: sequence() asks again for the parts of the parts it has already read. */
const exactMemo = new WeakMap<AstNode, string[] | null>();

/**
 * The few exact strings a part can match (a zero-width assertion matches ""), or null when they are many or unknown:
 * plain characters, small character sets ("[- ]"), alternations, groups and "?" of those.
 */
function exactStrings(node: AstNode): string[] | null {
  if (node.type === 'value') return [String.fromCodePoint(node.codePoint)];
  let found = exactMemo.get(node);
  if (found === undefined) exactMemo.set(node, (found = exactStringsOf(node)));
  return found;
}

function exactStringsOf(node: AstNode): string[] | null {
  switch (node.type) {
    case 'anchor':
      return [''];
    case 'characterClass': {
      if (node.negative || node.body.some((n) => n.type !== 'value')) return null;
      const chars = node.body.map((n) => String.fromCodePoint((n as { codePoint: number }).codePoint));
      return chars.length > 0 && chars.length <= MAX_ALTERNATIVES ? [...new Set(chars)] : null;
    }
    case 'alternative':
      return exactSequence(node.body);
    case 'disjunction':
      // A whole vocabulary: more alternatives than strings allowed (each gives at least one), so none are read.
      return node.body.length > MAX_ALTERNATIVES ? null : union(node.body, exactStrings);
    case 'group':
      return node.behavior === 'normal' || node.behavior === 'ignore' ? exactSequence(node.body) : null;
    case 'quantifier': {
      if (node.min === 1 && node.max === 1) return exactSequence(node.body);
      if (node.min === 0 && node.max === 1) {
        const strings = exactSequence(node.body);
        return strings === null ? null : [...new Set(['', ...strings])];
      }
      return null;
    }
    default:
      return null;
  }
}

function exactSequence(body: readonly AstNode[]): string[] | null {
  let strings: string[] | null = [''];
  for (const node of body) {
    if (node.type === 'value') {
      const ch = String.fromCodePoint(node.codePoint);
      strings = strings.map((x) => x + ch);
      continue;
    }
    const next = exactStrings(node);
    if (next === null) return null;
    strings = product(strings, next);
    if (strings === null) return null;
  }
  return strings;
}

/** The candidate whose shortest string is longer (rarer in text) wins; then the one with fewer strings. */
function better(a: string[], b: string[]): boolean {
  const shortest = (x: string[]) => Math.min(...x.map((s) => s.length));
  return shortest(a) > shortest(b) || (shortest(a) === shortest(b) && a.length < b.length);
}
