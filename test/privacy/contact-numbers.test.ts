import { expect } from 'chai';
import { callbackNumber } from '../../bot/privacy/redact.js';

describe('callbackNumber', () => {
  const given: Array<[string, string]> = [
    ['call me at 617-555-1234', '617-555-1234'],
    ['my cell is (617) 555-1234, thanks', '(617) 555-1234'],
    ['reach me at ext 4455', 'ext 4455'],
    ['please call me back on +1 617 555 1234', '+1 617 555 1234'],
    ['pt Jones missing, page me at 555-1234 when fixed', '555-1234'],
    ["I'm at x4455 until 7", 'x4455'],
    ['my direct line: 617.555.1234 ext 12', '617.555.1234 ext 12'],
    ['callback 6175551234', '6175551234'],
  ];
  for (const [text, number] of given) it(`${text} -> ${number}`, () => expect(callbackNumber(text)).to.equal(number));

  const notTheirs = [
    "the patient's daughter's number is 617-555-9876",
    'pt phone 617-555-9876',
    'patient says call me at 617-555-9876',
    'her son: call me back at 617-555-9876',
    'family wants a callback at 617-555-9876',
    'call the help desk at x4357',
    'call me when it works',
    'the patient said, call me at 617-555-9876',
    '',
  ];
  for (const text of notTheirs) it(`none in: ${text || '(empty)'}`, () => expect(callbackNumber(text)).to.equal(null));

  it('takes the clinician’s number, not the patient’s, when both are there', () => {
    expect(callbackNumber('pt phone 617-555-9876 is wrong; call me at 617-555-1234')).to.equal('617-555-1234');
  });
  it('answers null for what is not text', () => expect(callbackNumber(42 as unknown as string)).to.equal(null));
});
