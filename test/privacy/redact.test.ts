import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import fc from 'fast-check';
import matter from 'gray-matter';
import YAML from 'yaml';
import { redact, redactDeep } from '../../bot/privacy/redact.js';

/** [what a clinician typed, what may be stored and sent]. */
const REDACTED: Array<[string, string]> = [
  ['pt John Smith MRN 1234567 not on my list', 'pt [NAME] MRN [MRN] not on my list'],
  ['Patient Jane Doe, DOB 3/14/1961, missing from census', 'Patient [NAME], DOB [DOB], missing from census'],
  ['mrn# 00482913 wont load in chart review', 'mrn# [MRN] wont load in chart review'],
  ['MRN:E4471234 shows two charts', 'MRN:[MRN] shows two charts'],
  ['medical record number 7781234 merged wrong', 'medical record number [MRN] merged wrong'],
  ['acct 55512345 stuck in billing hold', 'acct [ID] stuck in billing hold'],
  ['FIN 20240311 encounter wont discharge', 'FIN [ID] encounter wont discharge'],
  ['searched 8812345 and nothing comes up', 'searched [ID] and nothing comes up'],
  ['call her daughter at (555) 123-4567 about the portal', 'call her daughter at [PHONE] about the portal'],
  ['family cell 555-987-6543 wrong in demographics', 'family cell [PHONE] wrong in demographics'],
  ['his number is 1-800-555-0199', 'his number is [PHONE]'],
  ['uk number +44 20 7946 0958 on file', 'uk number [PHONE] on file'],
  ['ssn 123-45-6789 showing in the banner!!', 'ssn [SSN] showing in the banner!!'],
  ['social security number 123 45 6789 printed on label', 'social security number [SSN] printed on label'],
  ['last 4 of SSN: 6789', 'last 4 of SSN: [SSN]'],
  ['send results to jane.doe@example.org', 'send results to [EMAIL]'],
  ['Mrs. Rose in room 12 fell and the alert did not fire', 'Mrs. [NAME] in room 12 fell and the alert did not fire'],
  ['Mr. Garcia-Lopez wristband wont print', 'Mr. [NAME] wristband wont print'],
  ['room 12 Jane Doe labels print blank', 'room 12 [NAME] labels print blank'],
  ['bed 4B Smith has no orders', 'bed 4B [NAME] has no orders'],
  ['pt. O\'Brien chart locked by another user', 'pt. [NAME] chart locked by another user'],
  ['patient Will Smith born on March 14 1961', 'patient [NAME] born on [DOB]'],
  ['her name is Rose O\'Brien and she is not on my list', 'her name is [NAME] and she is not on my list'],
  ['Patient: SMITH, JOHN DOB 1961-03-14', 'Patient: [NAME] DOB [DOB]'],
  ['pt name: doe, jane', 'pt name: [NAME]'],
  ['patient j. smith cant log into mychart', 'patient [NAME] cant log into mychart'],
  ['patient José García in bay 3 has no wristband', 'patient [NAME] in bay 3 has no wristband'],
  ['for patient Nguyen the MAR is empty', 'for patient [NAME] the MAR is empty'],
  ['pt john smith not showing on my list', 'pt [NAME] not showing on my list'],
  ['dob 03/14/61', 'dob [DOB]'],
  ['D.O.B. 14 March 1961 wrong on wristband', 'D.O.B. [DOB] wrong on wristband'],
  ['date of birth: Mar 14th, 1961', 'date of birth: [DOB]'],
  ['born 3/14 per mom', 'born [DOB] per mom'],
  ['admitted 2025-03-01 and still no orders', 'admitted [DATE] and still no orders'],
  ['Patient Jane Doe\'s allergies are missing', 'Patient [NAME]\'s allergies are missing'],
  ['Dr. Patel says pt Kowalski has no MAR', 'Dr. Patel says pt [NAME] has no MAR'],
  ['named Tran, room 5', 'named [NAME], room 5'],
  ['order 1234567 wont sign', 'order [ID] wont sign'],
  ['Bed 12 Mr. Jones cant get his meds scanned', 'Bed 12 Mr. [NAME] cant get his meds scanned'],
  ['Pt Van Der Berg in 4W', 'Pt [NAME] in 4W'],
];

/** Messages with nothing to redact: they must come back exactly as typed. */
const UNCHANGED: string[] = [
  'the patient list is empty since 0700',
  'patient is waiting for 19:00 meds, 5 mg dose',
  'pt not on my list',
  'patient list missing my new admit',
  'Patient List and Patient Lookup both freeze',
  'Patient Station shows the wrong unit',
  "pt's chart is locked",
  'patients keep dropping off my list after 1900',
  'room 12 printer jammed',
  'bed 4B wristband printed blank',
  'help desk x4357 is busy, ext 4357 rings out',
  'order 12345 wont sign',
  'Dr. Patel cannot cosign verbal orders',
  'dose range 250-1000 mg not allowed',
  'shift is 0700-1900',
  'version 1.2.3 of the app crashed',
  'my password expires in 3 days',
  'the downtime on March 14 lost my notes',
  'patient-facing tablet is frozen',
  'pt specific order set missing',
  'I miss the old layout',
  'MS flare order set',
  '2 pts on the board with no bed',
  'PT eval order wont sign',
  'timestamp 2026-03-14T10:00:00.000Z in the error',
  'COWs on 4 West are all logged out',
  'patient portal says my account is locked',
  'how do I search for a patient by date of birth',
  'searched by mrn and nothing comes up',
  'call the help desk at x4357',
  'room 12 Dr. Patel wants a callback',
  'patient #2 wrong',
];

describe('redact', () => {
  describe('replaces PHI with placeholders', () => {
    for (const [input, expected] of REDACTED) {
      it(input, () => expect(redact(input)).to.equal(expected));
    }
  });

  describe('leaves ordinary help-desk text unchanged', () => {
    for (const input of UNCHANGED) {
      it(input, () => expect(redact(input)).to.equal(input));
    }
  });

  it('leaves every evaluation question and article line unchanged (no PHI there, plenty of "patient …")', () => {
    const lines: string[] = [];
    for (const file of ['golden.yml', 'holdout.yml']) {
      const full = path.resolve('knowledge/eval', file);
      if (fs.existsSync(full)) for (const entry of YAML.parse(fs.readFileSync(full, 'utf8')) as Array<{ q: string }>) lines.push(entry.q);
    }
    const articles = path.resolve('knowledge/articles');
    for (const file of fs.readdirSync(articles)) {
      const { data, content } = matter(fs.readFileSync(path.join(articles, file), 'utf8'));
      lines.push(String(data.title), ...((data.questions as string[] | undefined) ?? []), ...content.split('\n'));
    }
    expect(lines.length).to.be.greaterThan(500);
    const changed = lines.filter((l) => redact(l) !== l).map((l) => `${l} -> ${redact(l)}`);
    expect(changed).to.deep.equal([]);
  });

  const fragments = fc.constantFrom(
    'patient', 'pt', 'pt.', 'Mr.', 'Mrs.', 'name is', 'room 12', 'bed 4B', 'MRN', 'mrn#', 'DOB', 'born', 'acct', 'ssn', '[NAME]', '[MRN]',
    'John', 'Smith', 'O\'Brien', 'jane', 'List', 'Will', ',', ':', '-', '.', '#', '@', '(555)', '555-123-4567', '3/14/1961', '1961-03-14',
    'March', '14', '1961', '0700', '19:00', 'x4357', '+1', '123-45-6789', 'a@b.co', '12345', '1234567', 'é', '\n', ' ', '  ',
  );
  const messages = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.string({ unit: fc.constantFrom(...'0123456789 -/.:#()+[]aAbB'.split('')), maxLength: 120 }),
    fc.array(fragments, { maxLength: 25 }).map((parts) => parts.join(' ')),
    fc.array(fragments, { maxLength: 25 }).map((parts) => parts.join('')),
  );

  it('never throws, is idempotent and leaves no run of 7+ digits (property)', () => {
    fc.assert(
      fc.property(messages, (text) => {
        const once = redact(text);
        expect(redact(once)).to.equal(once);
        expect(once).not.to.match(/\d{7}/);
      }),
      { numRuns: 3000 },
    );
  });

  it('stays fast on long, hostile input', () => {
    const hostile = ['a'.repeat(20_000), '1-'.repeat(10_000), 'patient '.repeat(3_000), 'x@'.repeat(10_000), '+1 '.repeat(7_000)];
    redact('warm up: pt John Smith'); // loads the name lists once, outside the measured part
    const started = performance.now();
    for (const text of hostile) redact(text);
    // A guard against catastrophic backtracking (which takes minutes), not a speed goal: those live in npm run bench.
    expect(performance.now() - started).to.be.below(5_000);
  });
});

describe('redactDeep', () => {
  it('redacts strings at any depth and keeps everything else', () => {
    const when = new Date('2026-01-02T03:04:05Z');
    const input = {
      msg: 'pt John Smith',
      n: 1234567,
      ok: true,
      when,
      nested: { list: ['MRN 1234567', { phone: '555-123-4567' }], nothing: null },
      err: new Error('lookup failed for DOB 3/14/1961'),
    };
    const out = redactDeep(input);
    expect(out).to.deep.include({ msg: 'pt [NAME]', n: 1234567, ok: true, when });
    expect(out.nested).to.deep.equal({ list: ['MRN [MRN]', { phone: '[PHONE]' }], nothing: null });
    expect(out.err).to.deep.include({ type: 'Error', message: 'lookup failed for DOB [DOB]' });
    expect(input.msg).to.equal('pt John Smith');
  });

  it('survives cycles', () => {
    const a: Record<string, unknown> = { name: 'Mrs. Rose' };
    a.self = a;
    expect(redactDeep(a)).to.deep.equal({ name: 'Mrs. [NAME]', self: '[Circular]' });
  });
});
