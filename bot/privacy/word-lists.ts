/**
 * The word lists redaction relies on, read once from bot/privacy/lists/ (plain text, one or more lower-case
 * words per line, '#' comments). They are data so that analysts can extend them without touching code:
 * - first-names.txt, last-names.txt: the 1990 US Census lists (see scripts/privacy-names.ts);
 * - common-words.txt, ehr-words.txt, drugs.txt: words that are never a patient's name.
 */
import fs from 'node:fs';

function readWords(file: string): Set<string> {
  const text = fs.readFileSync(new URL(`./lists/${file}`, import.meta.url), 'utf8');
  return new Set(text.replace(/#[^\n]*/g, '').toLowerCase().split(/\s+/).filter(Boolean));
}

/** Given names from the census (lower-case). */
export const FIRST_NAMES: ReadonlySet<string> = readWords('first-names.txt');
/** Family names from the census (lower-case). */
export const LAST_NAMES: ReadonlySet<string> = readWords('last-names.txt');
/** Words never taken for a name: common English, clinical and EHR vocabulary, products, devices, drugs, dates. */
export const NOT_NAMES: ReadonlySet<string> = new Set([
  ...readWords('common-words.txt'),
  ...readWords('ehr-words.txt'),
  ...readWords('drugs.txt'),
]);
