/**
 * Phone numbers that are not PHI and stay in a ticket: the clinician's own callback number, given for
 * themselves ("call me at 617-555-1234", "my cell is …", "reach me at ext 4455"), and the help desk's own
 * number. A number announced for someone else ("the patient's daughter's number is …", "pt phone …",
 * "patient says call me at …") is not the clinician's and is redacted as usual.
 */

type Span = [number, number];

/** A phone number as people type it: 617-555-1234, (617) 555 1234, +1 617.555.1234, +44 20 7946 0958, 555-1234, 6175551234, ext 4455, x4455. */
const NUMBER = String.raw`(?:(?:\+?1[\s.-]?)?(?:\(\d{3}\)[\s.-]?|\d{3}[\s.-]?)\d{3}[\s.-]?\d{4}|\+\d[\d\s().-]{6,18}\d|\d{3}[\s.-]\d{4}|(?:ext\.?|extension|x)[\s#:.]*\d{3,6}|\d{4,5})(?:[\s,]*(?:ext\.?|extension|x)[\s#:.]*\d{1,6})?(?![\d-])`;
/** Words by which a clinician gives their own number. */
const SELF_CUE = [
  String.raw`(?:call|text|page|reach|contact|ring|phone|try)\s+me(?:\s+back)?`,
  String.raw`(?:my|our)\s+(?:(?:cell|mobile|work|desk|office|direct|personal)\s*(?:phone|line|number|#)?|phone(?:\s+number)?|number|pager|ext(?:ension)?|call\s*back(?:\s+number)?|contact(?:\s+number)?)`,
  String.raw`(?:i\s*am|i['’]?m)\s+(?:at|on)`,
].join('|');
/** Cues that do not say whose number it is ("callback 555…"): the clinician's only if nobody else is named in the sentence. */
const BARE_CUE = String.raw`(?:best\s+)?call\s*back(?:\s+(?:number|no\.?|#))?|best\s+number(?:\s+(?:for|to\s+reach)\s+me)?`;
const SELF_NUMBER = new RegExp(String.raw`\b(?:(${SELF_CUE})|${BARE_CUE})\b[\s:#=-]*(?:(?:is|at|on|would\s+be)[\s:#=-]+)*(${NUMBER})`, 'gi');
/** Someone else named in the clause just before the cue: then "call me" is a quote, "callback" theirs. */
const THIRD_PARTY = /\b(?:patients?|pts?|family|daughter|son|wife|husband|mother|father|mom|dad|sister|brother|caregiver|guardian|spouse|parents?|relative|friend|neighbou?r|her|his|their|she|he|they)\b/i;

const SPEECH = /\b(?:says|said|asks|asked|wrote|writes|told\s+me|wants|wanted)\s*$/i;

/**
 * The clause before `at`, at most five words: back to the last sentence end or comma ("pt Jones missing,
 * call me at …" is the clinician's), unless the comma follows a quote ("the patient said, call me at …").
 */
function leadIn(text: string, at: number, wholeSentence: boolean): string {
  const sentence = text.slice(Math.max(0, at - 120), at).split(/[.;!?\n]/).at(-1) ?? '';
  if (wholeSentence) return sentence;
  const parts = sentence.split(',');
  let clause = parts.pop() ?? '';
  while (parts.length > 0 && SPEECH.test(parts.at(-1)!)) clause = `${parts.pop()!},${clause}`;
  return clause.trim().split(/\s+/).slice(-5).join(' ');
}

/** Spans of the numbers a clinician gives for themselves. */
export function selfNumberSpans(text: string): Span[] {
  const spans: Span[] = [];
  SELF_NUMBER.lastIndex = 0;
  for (const m of text.matchAll(SELF_NUMBER)) {
    if (THIRD_PARTY.test(leadIn(text, m.index, m[1] === undefined))) continue;
    const number = m[2]!;
    const start = m.index + m[0].length - number.length;
    spans.push([start, start + number.trimEnd().length]);
  }
  return spans;
}

/**
 * The callback number a clinician gave for themselves ("call me at 617-555-1234" -> "617-555-1234"), as
 * typed, or null when there is none. A ticket carries it so the help desk can call back.
 */
export function callbackNumber(text: string): string | null {
  if (typeof text !== 'string') return null;
  const [span] = selfNumberSpans(text);
  return span ? text.slice(span[0], span[1]) : null;
}

const PHONE_SHAPED = /(?<![\w+])\+?[\d(][\d\s().-]{5,20}\d(?!\d)/g;

/** Spans of phone numbers whose digits are one of `numbers` (e.g. the help desk's own, from config). */
export function knownNumberSpans(text: string, numbers: readonly string[]): Span[] {
  const wanted = numbers.map((n) => n.replace(/\D/g, '')).filter((d) => d.length >= 7);
  if (wanted.length === 0) return [];
  const spans: Span[] = [];
  for (const m of text.matchAll(PHONE_SHAPED)) {
    const digits = m[0].replace(/\D/g, '');
    if (wanted.some((w) => digits === w || (digits.length >= 7 && (w.endsWith(digits) || digits.endsWith(w))))) {
      spans.push([m.index, m.index + m[0].length]);
    }
  }
  return spans;
}
