/**
 * Finding patients' names in free text, two ways:
 * - after a cue ("patient …", "pt …", "my patient, …", "Mrs. …", "name is …", "room 12 …"), where any word
 *   that is not ordinary vocabulary is taken for a name, and a list after the cue ("pts Smith, Jones and Lee")
 *   is taken whole;
 * - without a cue, in the forms a name takes in a message: "Maria Lopez", "Maria J. Lopez", "LOPEZ, MARIA",
 *   "Smith, John" — a census first name next to a census last name (or an unknown capitalised word), never a
 *   word from the not-names lists (EHR screens, products, devices, drugs, months, weekdays, common words).
 * "Dr. Name" is kept: clinicians are not patients, and the help desk needs to know whose account is affected.
 */
import { FIRST_NAMES, LAST_NAMES, NOT_NAMES } from './word-lists.js';

type Span = [number, number];

/**
 * How a cue treats the words after it. `weak` ("patient", "pt"): a capitalized common word ("Patient
 * List") is a name only next to an uncommon one ("Will Smith"); a lower-case word is a name unless it is
 * common. `strong` ("name is", "named"): any capitalized or uncommon word. `honorific` ("Mrs."): any
 * capitalized word ("Mrs. Rose"). `room` ("room 12", "bed 4B"): capitalized words, as after `weak`.
 */
type CueMode = 'weak' | 'strong' | 'honorific' | 'room';

const CUES: Array<{ pattern: RegExp; mode: CueMode }> = [
  { pattern: /\b(?:patients?|pts?)\b\.?/gi, mode: 'weak' },
  { pattern: /\bname\s*(?:is\b|was\b|[:=])|\bnamed\b/gi, mode: 'strong' },
  { pattern: /\b(?:Mr|Mrs|Ms|Mx|Miss)\b\.?|\b(?:MR|MRS|MS)\./g, mode: 'honorific' },
  { pattern: /\b(?:room|rm|bed|bay)\s*#?\s*\d{1,4}[A-Za-z]?\b/gi, mode: 'room' },
];

/** A word, with hyphens and inner apostrophes (O'Brien, Smith-Jones) but not a possessive 's. */
const WORD = /\p{L}(?:\p{L}|\p{M}|-(?=\p{L})|['’](?=\p{L}{2}))*/uy;
const INITIAL = /\p{Lu}\.?(?=[ \t])|\p{Ll}\.(?=[ \t])/uy;
const LOWERCASE_NOT_NAME = /(?:ing|ed|tion|sion|ly|ment|ness|able|ible|ize|ise|ful|less|ous|ive|ity|ies)$/;
const MAX_NAME_WORDS = 4;
/** What joins the names of a list after a cue: "Smith, Jones and Lee", "Smith & Lee", "Smith/Lee". */
const LIST_JOIN = /(?:[ \t]*,[ \t]*(?:and[ \t]+)?|[ \t]+(?:and|&)[ \t]+|[ \t]*\/[ \t]*)(?=\p{Lu})/uy;

/** certain: a name; maybe: a name only next to a certain one; stop: ends the name. */
type WordKind = 'certain' | 'maybe' | 'stop';

function classify(word: string, initial: boolean, mode: CueMode): WordKind {
  const capitalized = /^\p{Lu}/u.test(word);
  const common = NOT_NAMES.has(word.toLowerCase());
  if (initial) return mode === 'strong' ? 'certain' : 'maybe';
  if (capitalized) {
    if (!common) return 'certain';
    return mode === 'strong' || mode === 'honorific' ? 'certain' : 'maybe';
  }
  if (mode === 'honorific' || mode === 'room') return 'stop';
  return common || LOWERCASE_NOT_NAME.test(word) ? 'stop' : 'certain';
}

/** The span of the name that starts at `from`, if the words there make one. */
function nameAfter(text: string, from: number, mode: CueMode): Span | undefined {
  let pos = from;
  const gap = /(?:[ \t]*[:#,]|[ \t]+[-–])?[ \t]*/y;
  gap.lastIndex = pos;
  const gapText = gap.exec(text)?.[0] ?? '';
  pos += gapText.length;
  // "my patient, Ahmed Khan," names someone; "the patient, mark it reviewed" does not.
  const capitalizedOnly = gapText.includes(',');
  const words: Array<{ start: number; end: number; kind: WordKind }> = [];
  let casing: boolean | undefined;
  let comma = false;
  while (words.length < MAX_NAME_WORDS) {
    let start = pos;
    if (words.length > 0) {
      // Words are separated by spaces, or by a comma in "Doe, Jane" (between two certain name words).
      const sep = /[ \t]+|,[ \t]*/y;
      sep.lastIndex = pos;
      const s = sep.exec(text);
      if (!s) break;
      comma = s[0].startsWith(',');
      if (comma && words.at(-1)?.kind !== 'certain') break;
      start = pos + s[0].length;
    }
    INITIAL.lastIndex = start;
    const initial = INITIAL.exec(text);
    WORD.lastIndex = start;
    const word = initial ? initial : WORD.exec(text);
    if (!word) break;
    const end = start + word[0].length;
    if (!initial && /[\p{L}\p{N}_\]]/u.test(text[end] ?? '')) break; // part of a longer token (digits, placeholder)
    const bare = word[0].replace(/\.$/, '');
    if (!initial) {
      // A name is cased one way: "Jane Doe" or "jane doe"; "Jane Doe arrived" ends at "arrived".
      const capitalized = /^\p{Lu}/u.test(bare);
      if (capitalizedOnly && !capitalized) break;
      if (casing !== undefined && casing !== capitalized) break;
      casing = capitalized;
    }
    const kind = classify(bare, Boolean(initial), mode);
    if (kind === 'stop' || (comma && kind !== 'certain')) break;
    words.push({ start, end, kind });
    pos = end;
  }
  while (words.length > 0 && words.at(-1)!.kind !== 'certain') words.pop();
  if (words.length === 0) return undefined;
  return [words[0]!.start, words.at(-1)!.end];
}

/** Names after a cue, and the rest of a list of names that follows one ("pts Smith, Jones and Lee"). */
function cuedNames(text: string): Span[] {
  const spans: Span[] = [];
  for (const { pattern, mode } of CUES) {
    pattern.lastIndex = 0;
    for (const cue of text.matchAll(pattern)) {
      let span = nameAfter(text, cue.index + cue[0].length, mode);
      for (let items = 0; span && items < 8; items++) {
        spans.push(span);
        LIST_JOIN.lastIndex = span[1];
        const join = LIST_JOIN.exec(text);
        span = join ? nameAfter(text, span[1] + join[0].length, mode === 'strong' ? 'weak' : mode) : undefined;
        if (span && !/^\p{Lu}/u.test(text.slice(span[0]))) span = undefined;
      }
    }
  }
  return spans;
}

// ---------- names without a cue ----------

interface Token {
  start: number;
  end: number;
  key: string;
}

const TOKEN = /\p{L}[\p{L}\p{M}]*(?:['’-]\p{L}[\p{L}\p{M}]*)*\.?/gu;
const TITLE_CASE = /^\p{Lu}[\p{Ll}\p{M}]+(?:['’-]\p{Lu}?[\p{Ll}\p{M}]+)*$|^\p{Lu}{2,}(?:['’-]\p{Lu}+)*$/u;
const STAFF_TITLE = /^(?:dr|doctor|prof|professor|np|pa|rn|md|do)\.?$/i;
/** A word after a name that makes it a place, not a patient: "Henry Ford Hospital", "Jackson Memorial". */
const PLACE = /^(?:hospital|hospitals|medical|memorial|health|healthcare|clinic|center|centre|university|campus|institute|pharmacy|street|avenue|road|building|pavilion|school|college)$/i;

/** Capitalised words with their positions; a possessive 's is left outside the word. */
function tokens(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(TOKEN)) {
    let word = m[0];
    const possessive = /['’]s$/i.exec(word);
    if (possessive && !word.endsWith('.')) word = word.slice(0, -2);
    out.push({ start: m.index, end: m.index + word.length, key: word.replace(/\.$/, '') });
  }
  return out;
}

function isNameShaped(token: Token): boolean {
  return TITLE_CASE.test(token.key) && !NOT_NAMES.has(token.key.toLowerCase());
}
function isFirst(token: Token): boolean {
  return isNameShaped(token) && FIRST_NAMES.has(token.key.toLowerCase());
}
/** A census last name, or (title case only) a capitalised word no list knows: "Kowalczykowska". */
function isLast(token: Token): boolean {
  if (!isNameShaped(token)) return false;
  const key = token.key.toLowerCase();
  return LAST_NAMES.has(key) || (/^\p{Lu}\p{Ll}{2,}/u.test(token.key) && !FIRST_NAMES.has(key) && key.length >= 4);
}
function isInitial(token: Token, text: string): boolean {
  return /^\p{Lu}$/u.test(token.key) && text[token.end - 1] === '.';
}
function between(text: string, a: Token, b: Token): string {
  return text.slice(a.end, b.start);
}

/** "First Last", "First M. Last", "First Middle Last", "LAST, FIRST", "Last, First M." with no cue before them. */
function uncuedNames(text: string): Span[] {
  const words = tokens(text);
  const spans: Span[] = [];
  const spaced = (a: Token, b: Token) => /^[ \t]+$/.test(between(text, a, b));
  const push = (first: number, last: number) => {
    const next = words[last + 1];
    if (!(next && spaced(words[last]!, next) && PLACE.test(next.key))) spans.push([words[first]!.start, words[last]!.end]);
  };
  for (let i = 0; i + 1 < words.length; i++) {
    const [a, b, c] = [words[i]!, words[i + 1]!, words[i + 2]];
    if (i > 0 && STAFF_TITLE.test(words[i - 1]!.key) && spaced(words[i - 1]!, a)) continue;
    if (isFirst(a) && spaced(a, b)) {
      if (c && spaced(b, c) && (isInitial(b, text) || isFirst(b)) && isLast(c) && LAST_NAMES.has(c.key.toLowerCase())) {
        push(i, i + 2);
        i += 2;
        continue;
      }
      if (isLast(b)) {
        push(i, i + 1);
        i += 1;
        continue;
      }
    }
    if (LAST_NAMES.has(a.key.toLowerCase()) && isNameShaped(a) && /^,[ \t]*$/.test(between(text, a, b)) && isFirst(b)) {
      const end = c && spaced(b, c) && isInitial(c, text) ? c.end : b.end;
      spans.push([a.start, end]);
      i += 1;
    }
  }
  return spans;
}

/** What every pattern of CUES starts with (case folded, so a superset). */
const CUE_START = /\b(?:pt|patient|name|mr|ms|mx|miss|room|rm|bed|bay)/i;
const TWO_CAPITALS = /\p{Lu}[^]*\p{Lu}/u;

/** Replaces patients' names with [NAME]. */
export function redactNames(text: string): string {
  // Shortcuts only: every cue starts with one of CUE_START's words, and a name without a cue is two words
  // that each start with a capital letter.
  const spans = [...(CUE_START.test(text) ? cuedNames(text) : []), ...(TWO_CAPITALS.test(text) ? uncuedNames(text) : [])];
  if (spans.length === 0) return text;
  spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  let out = '';
  let cursor = 0;
  for (const [start, end] of spans) {
    if (start < cursor) {
      cursor = Math.max(cursor, end);
      continue;
    }
    out += `${text.slice(cursor, start)}[NAME]`;
    cursor = end;
  }
  return out + text.slice(cursor);
}
