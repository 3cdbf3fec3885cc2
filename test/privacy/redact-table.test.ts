/**
 * The redaction table: what clinicians type, and what may be stored and sent. Leak rows must lose the
 * identifier; over-redaction rows must keep their words. Each row asserts the exact output.
 */
import { expect } from 'chai';
import { redact, redactClipped, type RedactOptions } from '../../bot/privacy/redact.js';

/** [typed, stored] */
type Row = [string, string];

const HELP_DESK: RedactOptions = { keepNumbers: ['617-555-4357'] };

const LEAKS: Record<string, Row[]> = {
  'names without a cue': [
    ['my patient, Ahmed Khan, is not on my list', 'my patient, [NAME], is not on my list'],
    ['LOPEZ, MARIA still shows in the old unit', '[NAME] still shows in the old unit'],
    ['Smith, John (MRN 1234567) has two charts', '[NAME] (MRN [MRN]) has two charts'],
    ['pt Maria Lopez in 12 cant get her meds scanned', 'pt [NAME] in 12 cant get her meds scanned'],
    ['Maria Lopez is missing from my list', '[NAME] is missing from my list'],
    ['can you merge the charts for John Smith', 'can you merge the charts for [NAME]'],
    ['MARIA LOPEZ WRISTBAND WONT PRINT', '[NAME] WRISTBAND WONT PRINT'],
    ['Maria J. Lopez has duplicate allergies', '[NAME] has duplicate allergies'],
    ['Garcia, Jose A. needs a new wristband', '[NAME] needs a new wristband'],
    ['I was charting on Robert Johnson and the screen froze', 'I was charting on [NAME] and the screen froze'],
    ["Jane Doe's allergies are gone", "[NAME]'s allergies are gone"],
    ['Mohammed Ali was discharged but is still on the census', '[NAME] was discharged but is still on the census'],
    ['Linda Nguyen in bed 4 has no orders', '[NAME] in bed 4 has no orders'],
    ['MRN 1234567 Wei Chen labs missing', 'MRN [MRN] [NAME] labs missing'],
    ['Can you unlock the chart for Kowalski, Anna', 'Can you unlock the chart for [NAME]'],
    ['new admit Maria Kowalczykowska not on my list', 'new admit [NAME] not on my list'],
    ['need help with David Brown, orders missing', 'need help with [NAME], orders missing'],
    ['NGUYEN, LINDA and GARCIA, JOSE both lost their diets', '[NAME] and [NAME] both lost their diets'],
    ['wrong chart opened: Robert Lee instead of Robert Tran', 'wrong chart opened: [NAME] instead of [NAME]'],
    ['Anna Maria Lopez shows twice in the census', '[NAME] shows twice in the census'],
  ],
  'names after a cue, and lists': [
    ['my patient, Ahmed, cannot use MyChart', 'my patient, [NAME], cannot use MyChart'],
    ['patients Smith, Jones and Lee are missing from 4 West', 'patients [NAME] and [NAME] are missing from 4 West'],
    ['pts Garcia & Patel both have no diet order', 'pts [NAME] & [NAME] both have no diet order'],
    ['pt Okonkwo in 12 has no MAR', 'pt [NAME] in 12 has no MAR'],
    ['patient: Haddad, Samir', 'patient: [NAME]'],
    ['Mrs. Kowalczyk wants her portal reset', 'Mrs. [NAME] wants her portal reset'],
    ['patient Tran/Nguyen merged by mistake', 'patient [NAME]/[NAME] merged by mistake'],
    ['pt maria lopez cant log into mychart', 'pt [NAME] cant log into mychart'],
  ],
  'record numbers with spaces or letters': [
    ['MRN 0012 3456 not found', 'MRN [MRN] not found'],
    ['record A12-3456 wont open', 'record [MRN] wont open'],
    ['MRN A12-3456 shows the wrong sex', 'MRN [MRN] shows the wrong sex'],
    ['mrn: 12-345-678 duplicate', 'mrn: [MRN] duplicate'],
    ['chart # 00 1234 5678 is locked', 'chart # [MRN] is locked'],
    ['record number 88 123 456 merged', 'record number [MRN] merged'],
    ['MRN1234567 wrong', 'MRN[MRN] wrong'],
    ['medical record # E4471234', 'medical record # [MRN]'],
    ['record B-88123 is a duplicate', 'record [MRN] is a duplicate'],
  ],
  'social security numbers': [
    ['last 4 of social are 6789', 'last 4 of social are [SSN]'],
    ['last four of her social is 6789', 'last four of her social is [SSN]'],
    ['social 6789 on the face sheet', 'social [SSN] on the face sheet'],
    ['SSN is 123-45-6789', 'SSN is [SSN]'],
    ['ss# 123456789 on the label', 'ss# [SSN] on the label'],
    ['social security no. 123 45 6789', 'social security no. [SSN]'],
    ['her social: 6789', 'her social: [SSN]'],
  ],
  'birth dates and years': [
    ['born in 1955, needs a new wristband', 'born in [DOB], needs a new wristband'],
    ['DOB 1955 and no MRN', 'DOB [DOB] and no MRN'],
    ['born 1955', 'born [DOB]'],
    ['birthday is March 14', 'birthday is [DOB]'],
    ['dob march 1961 wrong', 'dob [DOB] wrong'],
    ['birth year 1948', 'birth year [DOB]'],
    ['born on 3/14/1961', 'born on [DOB]'],
    ['date of birth is 14 March 1961', 'date of birth is [DOB]'],
  ],
  'Medicare ids': [
    // Found by the property test: a digit run glued to "…0x" is not a hex code.
    ['extension 0700x435712345', 'extension 0700x[ID]'],
    ['Medicare id 1EG4-TE5-MK72 rejected', 'Medicare id [ID] rejected'],
    ['MBI 1EG4TE5MK72', 'MBI [ID]'],
    ['medicare number 1eg4-te5-mk72 not found', 'medicare number [ID] not found'],
    ['insurance card says 9AA9-AA9-AA99', 'insurance card says [ID]'],
  ],
  'emails, also spelled out': [
    ['maria dot lopez at gmail dot com', '[EMAIL]'],
    ['her email is mlopez at yahoo dot com', 'her email is [EMAIL]'],
    ['mlopez (at) hotmail (dot) com', '[EMAIL]'],
    ['send it to maria.lopez at gmail please', 'send it to [EMAIL] please'],
    ['jane_doe @ outlook.com bounced', '[EMAIL] bounced'],
    ['portal email mlopez [at] comcast [dot] net is wrong', 'portal email [EMAIL] is wrong'],
    ['maria.lopez@example.org', '[EMAIL]'],
  ],
  'ages over 89': [
    ['92 year old in bed 3 fell', '[AGE] year old in bed 3 fell'],
    ['92yo female with no allergies listed', '[AGE]yo female with no allergies listed'],
    ['95 y/o on 4 West', '[AGE] y/o on 4 West'],
    ['pt is 101 years old and the age shows 1', 'pt is [AGE] years old and the age shows 1'],
    ['age 93, DOB wrong', 'age [AGE], DOB wrong'],
    ['a 90-year-old lady', 'a [AGE]-year-old lady'],
    ['aged 99', 'aged [AGE]'],
    ['91 yrs old', '[AGE] yrs old'],
  ],
  'street addresses': [
    ['lives at 12 Elm Street', 'lives at [ADDRESS]'],
    ['address 123 N. Main St, Apt 4 is wrong', 'address [ADDRESS] is wrong'],
    ['moved to 45 oak ave last week', 'moved to [ADDRESS] last week'],
    ['mail goes to PO Box 123', 'mail goes to [ADDRESS]'],
    ['77 Massachusetts Avenue in the demographics', '[ADDRESS] in the demographics'],
    ['zip Boston, MA 02139 wrong', 'zip Boston, [ADDRESS] wrong'],
    ['1600 Martin Luther King Blvd', '[ADDRESS]'],
  ],
  "someone else's phone number": [
    ["the patient's daughter's number is 617-555-9876", "the patient's daughter's number is [PHONE]"],
    ['pt phone 617-555-9876 wrong in demographics', 'pt phone [PHONE] wrong in demographics'],
    ['patient says call me at 617-555-9876', 'patient says call me at [PHONE]'],
    ["her husband's cell is 617 555 9876", "her husband's cell is [PHONE]"],
    ['family wants a callback at 617-555-9876', 'family wants a callback at [PHONE]'],
    ['call me at 617-555-1234 about pt phone 617-555-9876', 'call me at 617-555-1234 about pt phone [PHONE]'],
    ['daughter: call me back at 617-555-9876', 'daughter: call me back at [PHONE]'],
    ['pt John Smith not on my list, call me at 617-555-1234', 'pt [NAME] not on my list, call me at 617-555-1234'],
    ['the number on file 617.555.9876 is old', 'the number on file [PHONE] is old'],
  ],
};

const KEPT: Record<string, string[]> = {
  'EHR screens, buttons and tools': [
    'patient Care Team tab is empty',
    'Patient Care Team tab is empty',
    'the Media tab wont load for my patient',
    'In Basket messages are gone',
    'Order Entry freezes when I sign',
    'Chart Review shows nothing since Monday',
    'patient Media tab shows no scans',
    'pt Results Review blank',
    'Care Everywhere is not pulling outside records',
    'Hyperspace logs me out every 10 minutes',
    'Storyboard shows the wrong Attending',
    'Haiku and Canto both crash',
    'Secure Chat messages from Grace are not delivered',
    'patient lists for Cardiology Team are missing',
    'Epic Haiku wont load on my iPhone',
    'Rover scanner says wrong patient',
    'Brain activity is blank',
    'pt Synopsis tab frozen',
    'Patient Station and Patient Lookup freeze',
    'the Sign button on Order Entry is grey',
  ],
  'drugs and devices': [
    'pt Heparin drip not on the MAR',
    'pt on heparin needs the protocol order',
    'patient Vancomycin level order missing',
    'the Pyxis wont open for my patient',
    'patient Alaris pump not associating',
    'Omnicell says no patient selected',
    'pt Insulin Lispro scale wont fire',
    'Dragon mic stopped on Sunday night',
  ],
  'months, weekdays and people who are staff': [
    'since March 3 the Patient List is blank',
    'patient May appointment missing',
    'Tuesday April 3 downtime lost my notes',
    'Dr. John Smith cannot cosign',
    'Dr. Maria Lopez needs access to the ED track board',
    'ask Mark in IT about it',
    'Grace from pharmacy verified it',
    'Monday June 2 the interface went down',
    'Henry Ford Hospital labs are not crossing',
    'Jackson Memorial interface is down',
    'Patient Safety Net report wont submit',
    'Allen Street clinic printer is offline',
  ],
  'error codes, builds and tickets': [
    'error code 1234567',
    'Error: 80070005 when printing',
    'error 0x80070005',
    'ticket 1234567 still open',
    'INC 0012345 was closed',
    'event id 1000234 in the log',
    'build 20260314 broke the login',
    'error code 1EG4 on the scanner',
  ],
  'times, dates of events, rooms and doses': [
    'since 3 pm the list is empty',
    'since 0700 nothing prints',
    'at 19:00 the meds vanished',
    'on March 3 the printer stopped',
    'downtime on 3/14 lost notes',
    'every Monday at 7 the report fails',
    'since yesterday at 3:15 pm',
    'room 12 printer jammed',
    'bed 4B wristband printed blank',
    '4 West has no pumps',
    'a 90 minute wait on the phone',
    'give 95 mg over 30 minutes',
    '45 year old with no allergies listed',
    '89 yo and the banner is wrong',
    'the 2019 upgrade broke it',
    'record 3 sets of vitals',
    'social work consult 1234 missing',
    '4 pts on the way up from the ED',
    '3 West Dr Smith wants a callback',
  ],
  'the clinician\'s own callback number': [
    'call me at 617-555-1234',
    'my cell is 617-555-1234',
    'reach me at ext 4455',
    'please call me back on (617) 555-1234',
    'my direct line is 617.555.1234',
    'text me 6175551234',
    "I'm at x4455 until 7",
    'callback +1 555 222 3333 please',
    'page me at 555-1234 when fixed',
    'my pager 4455',
  ],
  'text that merely looks like an email': [
    'i am at the nurses station',
    'the error is at line 12',
    'log in at the desk',
  ],
};

const HELP_DESK_ROWS: Row[] = [
  ['I called the help desk at 617-555-4357 and nobody answered', 'I called the help desk at 617-555-4357 and nobody answered'],
  ['(617) 555-4357 rings out', '(617) 555-4357 rings out'],
  ['help desk 617-555-4357 told me to call 617-555-9876', 'help desk 617-555-4357 told me to call [PHONE]'],
  ['Call the help desk at +1 617 555 4357.', 'Call the help desk at +1 617 555 4357.'],
];

const CLIPPED: Array<[string, number, string]> = [
  ['his number is 617-555-9876', 19, 'his number is [CUT]'],
  ['call 617-555-9876 now', 8, 'call [CUT]'],
  ['MRN 0012 3456 is wrong', 8, 'MRN [MRN]'],
  ['acct 5551234567 stuck', 9, 'acct [ID]'],
  ['the list is empty since 0700', 100, 'the list is empty since 0700'],
  ['ssn 123-45-6789', 9, 'ssn [CUT]'],
  ['emoji 😀😀 then 12345678', 8, 'emoji 😀😀'],
  ['room 12 and 4455123', 16, 'room 12 and [CUT]'],
];

describe('redaction table', () => {
  let rows = 0;
  for (const [category, cases] of Object.entries(LEAKS)) {
    describe(`removes: ${category}`, () => {
      for (const [input, expected] of cases) {
        rows++;
        it(input, () => {
          expect(redact(input)).to.equal(expected);
          expect(redact(expected)).to.equal(expected);
        });
      }
    });
  }
  for (const [category, cases] of Object.entries(KEPT)) {
    describe(`keeps: ${category}`, () => {
      for (const input of cases) {
        rows++;
        it(input, () => expect(redact(input)).to.equal(input));
      }
    });
  }
  describe("keeps the help desk's own number (HELP_DESK_PHONE), and only that one", () => {
    for (const [input, expected] of HELP_DESK_ROWS) {
      rows++;
      it(input, () => {
        expect(redact(input, HELP_DESK)).to.equal(expected);
        expect(redact(input)).to.include('[PHONE]');
      });
    }
  });
  describe('redacts a number cut in half at the length limit', () => {
    for (const [input, max, expected] of CLIPPED) {
      rows++;
      it(`${input} (cut at ${max})`, () => expect(redactClipped(input, max)).to.equal(expected));
    }
  });

  it('has at least 150 rows', () => expect(rows).to.be.at.least(150));
});
