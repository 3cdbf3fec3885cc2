/**
 * PHI redaction for transcripts, tickets and logs. Pure and conservative: identifiers with a shape
 * (emails, SSNs, MRNs, phone numbers, dates, long digit runs) are replaced wherever they appear;
 * names only where a cue announces them ("patient …", "pt …", "Mrs. …", "name is …", "room 12 …"),
 * because a name without a cue cannot be told from an ordinary word without a name dictionary.
 *
 * Deliberate choices:
 * - "Dr. Name" is kept: clinicians and staff are not patients, and the help desk needs to know whose
 *   account or order is affected. Patients named after "Dr." are not detected.
 * - Every email is redacted, staff or not: an email address identifies a person and the help desk
 *   reaches the user through Teams anyway.
 * - Dates with a year are redacted even without "DOB" ([DATE]); after "DOB"/"born" any date is [DOB].
 *   Dates without a year, ISO timestamps (2026-03-14T10:00), years alone, times (0700, 19:00),
 *   room/bed numbers, doses, extensions (x4357) and unlabelled numbers up to 5 digits stay.
 * - Ages, addresses, names without a cue and names after a common word ("pt Bill") are not detected.
 * The result is a fixed point: redact(redact(x)) === redact(x), and it never contains 6+ digits in a row.
 */
import { COMMON_WORDS } from './common-words.js';

type Rule = (text: string) => string;

const MONTH = String.raw`(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?`;
const ORDINAL = String.raw`(?:st|nd|rd|th)?`;
/** A date with a year: 3/14/1961, 03-14-61, 14.03.1961, 1961-03-14, March 14 1961, 14th of March, 1961. */
const FULL_DATE = [
  String.raw`\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})`,
  String.raw`\d{1,2}-\d{1,2}-(?:\d{4}|\d{2})`,
  String.raw`\d{1,2}\.\d{1,2}\.\d{4}`,
  String.raw`\d{4}-\d{1,2}-\d{1,2}`,
  String.raw`\d{4}/\d{1,2}/\d{1,2}`,
  String.raw`${MONTH}\s+\d{1,2}${ORDINAL},?\s+\d{4}`,
  String.raw`\d{1,2}${ORDINAL}\s+(?:of\s+)?${MONTH},?\s+\d{4}`,
].join('|');
/** What may follow "DOB": a full date, a date without a year, or a compact 6–8 digit date. */
const ANY_DATE = String.raw`${FULL_DATE}|\d{1,2}[/-]\d{1,2}|${MONTH}\s+\d{1,2}${ORDINAL}|\d{1,2}${ORDINAL}\s+(?:of\s+)?${MONTH}|\d{6,8}`;
/** Between a label and its value: "MRN: 123", "MRN# 123", "MRN is 123", "account number 123". */
const LABEL_GAP = String.raw`[\s:#=]*(?:(?:no\.?|num(?:ber)?|is|was|of)[\s:#=]+)?`;

const DOB = new RegExp(
  String.raw`(\b(?:d\.?o\.?b\b\.?|date\s+of\s+birth|birth\s*date|birthday|born(?:\s+on)?)${LABEL_GAP})(?:${ANY_DATE})(?![\d/])`,
  'gi',
);
const DATE = new RegExp(String.raw`(?<![\w/.-])(?:${FULL_DATE})(?![\w/]|[.-]\d)`, 'gi');
const EMAIL = /(?<![\w.%+-])[\w.%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;
const SSN_LABELED = new RegExp(
  String.raw`(\b(?:ssn|ss#|soc(?:ial)?\s+sec(?:urity)?(?:\s+(?:number|no\.?|#))?)${LABEL_GAP})(?:\d{3}[\s-]?\d{2}[\s-]?\d{4}|\d{4})(?!\d)`,
  'gi',
);
const SSN = /(?<![\d-])\d{3}([ -])\d{2}\1\d{4}(?![\d-])/g;
const MRN = new RegExp(
  String.raw`(\b(?:mrn|mr\s*#|mr\s*no\b\.?|medical\s+record(?:\s+(?:number|no\b\.?|#))?|med\s*rec\b)${LABEL_GAP})[A-Za-z]{0,3}-?\d(?:[\d-]*\d)?`,
  'gi',
);
const ACCOUNT = new RegExp(
  String.raw`(\b(?:acct|account|fin|csn|har|enc(?:ounter)?|visit|accession|specimen)\b${LABEL_GAP})[A-Za-z]{0,3}-?\d[\d-]{2,}\d`,
  'gi',
);
const PHONE_NANP = /(?<![\w+])(?:\+?1[\s.-]?)?(?:\(\d{3}\)[\s.-]?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?!\d)/g;
const PHONE_INTERNATIONAL = /(?<![\w+])\+\d[\d\s().-]{6,}\d(?!\d)/g;
const UNITS = String.raw`mg|mcg|ug|g|kg|ml|l|units?|u|iu|meq|mmol|mm|cm|min|mins|minutes|hrs?|hours?|ms|sec|seconds|cc`;
const PHONE_LOCAL = new RegExp(String.raw`(?<![\w.-])\d{3}-\d{4}(?![\w-]|\.\d|\s*(?:${UNITS}|%)(?![a-z]))`, 'gi');
const LONG_DIGITS = /\d{6,}/g;

function digitCount(text: string): number {
  return text.replace(/\D/g, '').length;
}

const rules: Rule[] = [
  (t) => t.replace(EMAIL, '[EMAIL]'),
  (t) => t.replace(DOB, '$1[DOB]'),
  (t) => t.replace(SSN_LABELED, '$1[SSN]'),
  (t) => t.replace(SSN, '[SSN]'),
  (t) => t.replace(MRN, '$1[MRN]'),
  (t) => t.replace(ACCOUNT, '$1[ID]'),
  (t) => t.replace(DATE, '[DATE]'),
  (t) => t.replace(PHONE_NANP, '[PHONE]'),
  (t) => t.replace(PHONE_INTERNATIONAL, (m) => (digitCount(m) >= 8 ? '[PHONE]' : m)),
  (t) => t.replace(PHONE_LOCAL, '[PHONE]'),
  redactNames,
  (t) => t.replace(LONG_DIGITS, '[ID]'),
];

/** Replaces PHI in free text with placeholders: [NAME], [MRN], [ID], [DOB], [DATE], [PHONE], [SSN], [EMAIL]. */
export function redact(text: string): string {
  if (typeof text !== 'string') return text;
  let current = text;
  // Rules never match their own placeholders, so this settles in one or two passes; looping to a fixed
  // point makes idempotence hold even where one rule's output completes another rule's pattern.
  for (let pass = 0; pass < 5; pass++) {
    const next = rules.reduce((t, rule) => rule(t), current);
    if (next === current) break;
    current = next;
  }
  return current;
}

/** Redacts every string inside a log object (arrays, nested objects, Error messages); returns a copy. */
export function redactDeep<T>(value: T): T {
  return deep(value, new WeakSet(), 0) as T;
}

function deep(value: unknown, seen: WeakSet<object>, depth: number): unknown {
  if (typeof value === 'string') return redact(value);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date || ArrayBuffer.isView(value)) return value;
  if (seen.has(value)) return '[Circular]';
  if (depth > 12) return '[Too deep]';
  seen.add(value);
  try {
    if (value instanceof Error) {
      return { type: value.name, message: redact(value.message), stack: value.stack === undefined ? undefined : redact(value.stack) };
    }
    if (Array.isArray(value)) return value.map((v) => deep(v, seen, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = deep(v, seen, depth + 1);
    return out;
  } finally {
    seen.delete(value);
  }
}

// ---------- names ----------

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

/** certain: a name; maybe: a name only next to a certain one; stop: ends the name. */
type WordKind = 'certain' | 'maybe' | 'stop';

function classify(word: string, initial: boolean, mode: CueMode): WordKind {
  const capitalized = /^\p{Lu}/u.test(word);
  const common = COMMON_WORDS.has(word.toLowerCase());
  if (initial) return mode === 'strong' ? 'certain' : 'maybe';
  if (capitalized) {
    if (!common) return 'certain';
    return mode === 'strong' || mode === 'honorific' ? 'certain' : 'maybe';
  }
  if (mode === 'honorific' || mode === 'room') return 'stop';
  return common || LOWERCASE_NOT_NAME.test(word) ? 'stop' : 'certain';
}

/** The span of the name that starts at `from`, if the words there make one. */
function nameAfter(text: string, from: number, mode: CueMode): [number, number] | undefined {
  let pos = from;
  const gap = /(?:[ \t]*[:#]|[ \t]+[-–])?[ \t]*/y;
  gap.lastIndex = pos;
  pos += gap.exec(text)?.[0].length ?? 0;
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

function redactNames(text: string): string {
  const spans: Array<[number, number]> = [];
  for (const { pattern, mode } of CUES) {
    pattern.lastIndex = 0;
    for (const cue of text.matchAll(pattern)) {
      const span = nameAfter(text, cue.index + cue[0].length, mode);
      if (span) spans.push(span);
    }
  }
  if (spans.length === 0) return text;
  spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  let out = '';
  let cursor = 0;
  for (const [start, end] of spans) {
    if (start < cursor) continue;
    out += `${text.slice(cursor, start)}[NAME]`;
    cursor = end;
  }
  return out + text.slice(cursor);
}
