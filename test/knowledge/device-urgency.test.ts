import { expect } from 'chai';
import { isUrgent } from '../../bot/knowledge/intents.js';

/** Issue 12: a device failing while care is given is urgent (knowledge/policy/urgency.yml, device-failing-during-care). */
describe('knowledge: a device failing during care', () => {
  it('is urgent while an infusion, a med pass or a procedure is under way', () => {
    expect(isUrgent('the iv pump just stopped in the middle of my vanco infusion and wont restart')).to.equal(true);
    expect(isUrgent('monitor froze during the procedure and the vitals stopped coming into the chart')).to.equal(true);
  });

  it('is not urgent as a how-to, a past event or an interface problem', () => {
    expect(isUrgent('how do i associate the pump to my patient when i start a new infusion')).to.equal(false);
    expect(isUrgent('the pump stopped during the heparin drip yesterday')).to.equal(false);
    expect(isUrgent('the pump stopped talking to the ehr')).to.equal(false);
  });
});
