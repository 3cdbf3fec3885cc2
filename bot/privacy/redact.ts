/**
 * PHI redaction for transcripts, tickets, analytics and logs. Pure and conservative: identifiers with a
 * shape (emails, also spelled out; SSNs; MRNs and record numbers, also with spaces or letters; Medicare ids;
 * phone numbers; dates; ages over 89; street addresses; long digit runs) are replaced wherever they appear;
 * names after a cue or in the forms names take in a message (see names.ts).
 *
 * Deliberate choices:
 * - Kept: "Dr. Name" (staff); the clinician's own callback number ("call me at …", see contact-numbers.ts);
 *   the help desk's own number (configureRedaction); error codes, versions, ticket and incident numbers
 *   ("error code 1234567"); dates without a year, ISO timestamps, times ("since 3 pm", 0700, 19:00),
 *   room/bed/unit numbers ("room 12", "4 West"), doses, extensions (x4357), ages up to 89, years alone
 *   except after "born"/"DOB", and unlabelled numbers up to 5 digits.
 * - Every email is redacted, staff or not: an email address identifies a person and the help desk reaches
 *   the user through Teams anyway.
 * - Dates with a year are redacted even without "DOB" ([DATE]); after "DOB"/"born" any date or year is [DOB].
 * The result is a fixed point, redact(redact(x)) === redact(x), and has no run of 6+ digits except inside a
 * clinician's own callback number or the help desk's number, or after an error-code label.
 */
import { knownNumberSpans, selfNumberSpans } from './contact-numbers.js';
import { redactNames } from './names.js';
import { NOT_NAMES } from './word-lists.js';

export { callbackNumber } from './contact-numbers.js';

/** How to redact one text. */
export interface RedactOptions {
  /** The text was cut at a length limit: a digit run at its very end may be half a number and goes too. */
  clipped?: boolean;
  /** Phone numbers that are not PHI (the help desk's own); defaults to what configureRedaction set. */
  keepNumbers?: readonly string[];
}

let defaultKeepNumbers: readonly string[] = [];

/** Sets process-wide defaults once at start-up: the help desk's phone number (HELP_DESK_PHONE) is kept. */
export function configureRedaction(options: { keepNumbers?: readonly string[] }): void {
  defaultKeepNumbers = [...(options.keepNumbers ?? [])];
}

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
/** What may follow "DOB": a full date, a date without a year, a month and year, a year, or a compact 6–8 digit date. */
const ANY_DATE = String.raw`${FULL_DATE}|\d{1,2}[/-]\d{1,2}|${MONTH}\s+\d{1,2}${ORDINAL}|(?:${MONTH}\s+(?:of\s+)?)?(?:19|20)\d{2}|\d{6,8}`;
/** Between a label and its value: "MRN: 123", "MRN# 123", "MRN is 123", "account number 123", "social are 6789". */
const LABEL_GAP = String.raw`[\s:#=]*(?:(?:no\.?|num(?:ber)?|is|was|are|of)[\s:#=]+)?`;
/** An identifier's value: "1234567", "E4471234", "A12-3456", "0012 3456". */
const ID_VALUE = String.raw`[A-Za-z]{0,3}-?\d+(?:[ -]\d{3,}|-\d+)*`;

const DOB = new RegExp(
  String.raw`(\b(?:d\.?o\.?b\b\.?|date\s+of\s+birth|birth\s*date|birthday|birth\s+year|born(?:\s+(?:on|in))?)${LABEL_GAP})(?:${ANY_DATE})(?![\d/])`,
  'gi',
);
const DATE = new RegExp(String.raw`(?<![\w/.-])(?:${FULL_DATE})(?![\w/]|[.-]\d)`, 'gi');
const EMAIL = /(?<![\w.%+-])[\w.%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;
/** "maria dot lopez at gmail dot com", "mlopez (at) yahoo (dot) com", "maria.lopez at gmail". */
const DOT = String.raw`(?:\s+dot\s+|\s*[([]dot[)\]]\s*|\.)`;
const SPELLED_EMAIL = new RegExp(
  String.raw`(?<![\w.+-])[\w+-]+(?:${DOT}[\w+-]+)*(?:\s+at\s+|\s*[([]at[)\]]\s*|\s+@\s*|\s*@\s+)(?:(?:gmail|g\s*mail|yahoo|hotmail|outlook|aol|icloud|comcast|verizon|msn|live|proton(?:mail)?)(?:${DOT}[a-z]{2,4}\b)?|[\w-]+(?:${DOT}[\w-]+)*?${DOT}(?:com|org|net|edu|gov|mil|us|io|co|uk|ca|info|biz)\b)`,
  'gi',
);
const SSN_LABELED = new RegExp(
  String.raw`(\b(?:ssn|ss#|soc(?:ial)?(?:\s+sec(?:urity)?)?(?:\s+(?:number|no\.?|#))?)${LABEL_GAP})(?:\d{3}[\s-]?\d{2}[\s-]?\d{4}|\d{4})(?!\d)`,
  'gi',
);
const SSN = /(?<![\d-])\d{3}([ -])\d{2}\1\d{4}(?![\d-])/g;
const MRN = new RegExp(
  String.raw`(\b(?:mrn|mr\s*#|mr\s*no\b\.?|medical\s+record(?:\s+(?:number|no\b\.?|#))?|med\s*rec\b)${LABEL_GAP})${ID_VALUE}`,
  'gi',
);
/** "record A12-3456", "chart # 0012 3456": weaker labels, so the value must have 4+ digits. */
const RECORD = new RegExp(String.raw`(\b(?:record|chart\s*(?:#|no\.?|number))${LABEL_GAP})(${ID_VALUE})`, 'gi');
const ACCOUNT = new RegExp(
  String.raw`(\b(?:acct|account|fin|csn|har|enc(?:ounter)?|visit|accession|specimen)\b${LABEL_GAP})[A-Za-z]{0,3}-?\d[\d-]{2,}\d`,
  'gi',
);
/** Medicare Beneficiary Identifier: 1EG4-TE5-MK72 (letters exclude S, L, O, I, B, Z). */
const MBI_LETTER = '[AC-HJKMNP-RT-Y]';
const MEDICARE = new RegExp(
  String.raw`\b[1-9]${MBI_LETTER}[0-9AC-HJKMNP-RT-Y]\d-?${MBI_LETTER}[0-9AC-HJKMNP-RT-Y]\d-?${MBI_LETTER}{2}\d{2}\b`,
  'gi',
);
/** Ages over 89 are identifiers (HIPAA Safe Harbor): "92 year old", "92yo", "92 y/o", "age 95", "aged 101". */
const OLD_AGE = String.raw`(?:9\d|1[0-2]\d)`;
const AGE_BEFORE_UNIT = new RegExp(String.raw`(?<![\d.])${OLD_AGE}(?=[\s-]*(?:years?|yrs?|y\.?\s?o\b\.?|y/o|yo\b)(?:[\s-]*old)?\b)`, 'gi');
const AGE_AFTER_LABEL = new RegExp(String.raw`(\bage[ds]?\b[\s:]*(?:is\s+|of\s+)?)${OLD_AGE}(?![\d.])`, 'gi');
/** "12 Elm Street", "123 N. Main St", "4 Oak Ave Apt 2", "PO Box 123", "Boston, MA 02139". */
const STREET_SUFFIX = String.raw`(?:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|place|pl|way|terrace|ter|circle|cir|parkway|pkwy|highway|hwy|square|sq)\b\.?`;
const ADDRESS = new RegExp(
  String.raw`\b\d{1,6}[A-Za-z]?\s+(?:[NSEW]\.?\s+)?((?:[A-Za-z][A-Za-z'’-]*\s+){1,3})${STREET_SUFFIX}(?:,?\s*(?:apt|apartment|unit|suite|ste|#)\.?\s*#?\s*\w{1,5})?`,
  'gi',
);
const PO_BOX = /\bp\.?\s?o\.?\s+box\s+\d+/gi;
const STATE_ZIP = /\b(?:A[KLRZ]|C[AOT]|D[CE]|FL|GA|HI|I[ADLN]|K[SY]|LA|M[ADEINOST]|N[CDEHJMVY]|O[HKR]|PA|RI|S[CD]|T[NX]|UT|V[AT]|W[AIVY]),?\s+\d{5}(?:-\d{4})?\b/g;
const PHONE_NANP = /(?<![\w+])(?:\+?1[\s.-]?)?(?:\(\d{3}\)[\s.-]?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?!\d)/g;
const PHONE_INTERNATIONAL = /(?<![\w+])\+\d[\d\s().-]{6,}\d(?!\d)/g;
const UNITS = String.raw`mg|mcg|ug|g|kg|ml|l|units?|u|iu|meq|mmol|mm|cm|min|mins|minutes|hrs?|hours?|ms|sec|seconds|cc`;
const PHONE_LOCAL = new RegExp(String.raw`(?<![\w.-])\d{3}-\d{4}(?![\w-]|\.\d|\s*(?:${UNITS}|%)(?![a-z]))`, 'gi');
/** Labels of numbers that are not about a patient: error codes, builds, tickets and incidents. */
const NOT_PHI_LABEL = String.raw`\b(?:error|err|code|exception|hresult|event\s+id|build|version|ver|incident|inc|ticket|ritm|req|chg|kb)(?:[\s:#=]*(?:code|number|no\.?|id|is|was))?[\s:#=]*(?:0x)?`;
const LONG_DIGITS = new RegExp(String.raw`(?<!\d)(?<!${NOT_PHI_LABEL})(?<!\b0x[\da-f]*)\d{6,}`, 'gi');
/** At the cut of a clipped text: a trailing number, possibly half of one. */
const CUT_NUMBER = /(?<![\w[])(?:[A-Za-z]{1,3}-?)?\d[\d\s().\/-]*$/;

function digitCount(text: string): number {
  return text.replace(/\D/g, '').length;
}

/** Rules that can only match where there is an '@' or a spelled-out "at". */
const emailRules: Rule[] = [(t) => t.replace(EMAIL, '[EMAIL]'), (t) => t.replace(SPELLED_EMAIL, '[EMAIL]')];

/** Every one of these patterns needs an ASCII digit, so a text without one skips them all. */
const digitRules: Rule[] = [
  (t) => t.replace(DOB, '$1[DOB]'),
  (t) => t.replace(SSN_LABELED, '$1[SSN]'),
  (t) => t.replace(SSN, '[SSN]'),
  (t) => t.replace(MRN, '$1[MRN]'),
  (t) => t.replace(RECORD, (m, label: string, value: string) => (digitCount(value) >= 4 ? `${label}[MRN]` : m)),
  (t) => t.replace(ACCOUNT, '$1[ID]'),
  (t) => t.replace(MEDICARE, '[ID]'),
  (t) => t.replace(AGE_BEFORE_UNIT, '[AGE]'),
  (t) => t.replace(AGE_AFTER_LABEL, '$1[AGE]'),
  (t) => t.replace(DATE, '[DATE]'),
  (t) => t.replace(ADDRESS, (m, words: string) => (isStreetName(words) ? '[ADDRESS]' : m)),
  (t) => t.replace(PO_BOX, '[ADDRESS]'),
  (t) => t.replace(STATE_ZIP, '[ADDRESS]'),
  (t) => t.replace(PHONE_NANP, '[PHONE]'),
  (t) => t.replace(PHONE_INTERNATIONAL, (m) => (digitCount(m) >= 8 ? '[PHONE]' : m)),
  (t) => t.replace(PHONE_LOCAL, '[PHONE]'),
];

const MAY_BE_EMAIL = /@|at/i;
const DIGIT = /\d/;

/**
 * One pass of every rule, in order. The guards are only shortcuts, tested on the text the skipped rules would see:
 * no placeholder adds a digit, so a text without one stays without; a placeholder may add "at" ("[DATE]"), which
 * only lets the email rules run where they find nothing. A skipped rule could not have matched.
 */
function applyRules(text: string): string {
  let t = text;
  if (MAY_BE_EMAIL.test(t)) t = emailRules.reduce((acc, rule) => rule(acc), t);
  const digits = DIGIT.test(t);
  if (digits) t = digitRules.reduce((acc, rule) => rule(acc), t);
  t = redactNames(t);
  return digits ? t.replace(LONG_DIGITS, '[ID]') : t;
}

/** Words of a ward's name ("4 West", "5 North Tower"): "3 West Dr Smith" is a ward and a doctor, not a street. */
const WARD_WORD = /^(?:north|south|east|west|tower|wing|pavilion|unit|floor)$/i;

/** "Elm", "N Main", "Martin Luther King", "oak": street names; not "pts on the" nor "West". */
function isStreetName(words: string): boolean {
  const list = words.trim().split(/\s+/);
  if (list.every((w) => WARD_WORD.test(w))) return false;
  return list.some((w) => /^\p{Lu}/u.test(w)) || !list.some((w) => NOT_NAMES.has(w.toLowerCase()));
}

// Kept spans are swapped for private-use placeholders while the rules run, so no rule can touch them.
const SENTINEL_OPEN = '\uE000';
const SENTINEL_CLOSE = '\uE001';
const SENTINEL = /\uE000([\uE100-\uE1FF])\uE001/g;
const PRIVATE_USE = /[\uE000-\uE1FF]/g;
const MAX_KEPT = 200;

function protect(text: string, keepNumbers: readonly string[]): { text: string; kept: string[] } {
  const spans = [...selfNumberSpans(text), ...knownNumberSpans(text, keepNumbers)].sort((a, b) => a[0] - b[0]);
  const kept: string[] = [];
  let out = '';
  let cursor = 0;
  for (const [start, end] of spans) {
    if (start < cursor || kept.length >= MAX_KEPT) continue;
    out += `${text.slice(cursor, start)}${SENTINEL_OPEN}${String.fromCharCode(0xe100 + kept.length)}${SENTINEL_CLOSE}`;
    kept.push(text.slice(start, end));
    cursor = end;
  }
  return { text: out + text.slice(cursor), kept };
}

/**
 * Replaces PHI in free text with placeholders: [NAME], [MRN], [ID], [DOB], [DATE], [PHONE], [SSN], [EMAIL],
 * [AGE], [ADDRESS], and [CUT] for a number at the cut of a clipped text.
 */
export function redact(text: string, options?: RedactOptions): string {
  if (typeof text !== 'string') return text;
  const opts = typeof options === 'object' && options !== null ? options : {};
  const { text: guarded, kept } = protect(text.replace(PRIVATE_USE, ''), opts.keepNumbers ?? defaultKeepNumbers);
  let current = guarded;
  // Rules never match their own placeholders, so this settles in one or two passes; looping to a fixed
  // point makes idempotence hold even where one rule's output completes another rule's pattern.
  for (let pass = 0; pass < 5; pass++) {
    const next = applyRules(current);
    if (next === current) break;
    current = next;
  }
  if (opts.clipped) current = current.replace(CUT_NUMBER, (m) => (m.trim() ? `[CUT]${m.slice(m.trimEnd().length)}` : m));
  return current.replace(SENTINEL, (_, index: string) => kept[index.charCodeAt(0) - 0xe100] ?? '');
}

/**
 * Cuts `text` to `maxChars` code points (never inside an emoji) and redacts it; a number cut in half at
 * the end is redacted too ([CUT]). Use it wherever a message is shortened before it is stored.
 */
export function redactClipped(text: string, maxChars: number, options: RedactOptions = {}): string {
  if (typeof text !== 'string') return text;
  const points = Array.from(text);
  if (points.length <= maxChars) return redact(text, options);
  return redact(points.slice(0, maxChars).join(''), { ...options, clipped: true });
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
