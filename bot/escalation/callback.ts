/**
 * A callback number the clinician gives for themselves ("call me at 617-555-1234", "reach me on x4521",
 * "my cell is (617) 555 1234"), or null. Only numbers right after a first-person cue count: a patient's or a
 * relative's number ("call his wife at …") is not the clinician's and stays redacted in the transcript.
 */
export function callbackNumber(text: string): string | null {
  const match = SELF_NUMBER.exec(text);
  if (!match) return null;
  const number = match[1]!.trim().replace(/\s+/g, ' ');
  const digits = number.replace(/\D/g, '');
  return digits.length >= 4 && digits.length <= 15 ? number : null;
}

/** A first-person cue, then a phone number (with separators) or an extension. */
const CUE = String.raw`(?:call\s+me(?:\s+back)?|reach\s+me|text\s+me|page\s+me|ring\s+me|my\s+(?:cell|mobile|phone|number|extension|ext|pager|direct\s+line|callback(?:\s+number)?)(?:\s+(?:number|no\.?))?|call\s*back(?:\s+number)?|i\s*(?:'|’)?\s*m\s+(?:at|on))`;
const NUMBER = String.raw`((?:\+?\(?\d[\d\s().-]{5,18}\d)|(?:(?:x|ext\.?\s*)\d{3,6}))`;
const SELF_NUMBER = new RegExp(String.raw`\b${CUE}\s*(?:is|at|on|:|-)?\s*(?:at|on)?\s*${NUMBER}`, 'i');
