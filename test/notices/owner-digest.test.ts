import { expect } from 'chai';
import { isoWeek } from '../../bot/notices/owner-digest.js';
import { WebhookReceiver } from '../escalation/receiver.js';
import { cardsOf, startTestApp, teamsMessage, type TestApp } from '../helpers/app.js';
import { waitFor } from '../helpers/wait-for.js';

const ADMIN_TOKEN = 'digest-admin-token-0123456789';

describe('weekly owner digest', function () {
  this.timeout(60_000);
  let receiver: WebhookReceiver;
  let app: TestApp;
  let clock = new Date('2026-11-29T10:00:00Z'); // a Sunday: ISO week 48

  before(async function () {
    this.timeout(180_000);
    receiver = new WebhookReceiver();
    await receiver.up();
    app = await startTestApp({ ADMIN_TOKEN, OWNER_DIGEST_WEBHOOK_URL: receiver.url }, { now: () => clock });
  });
  after(async () => {
    await app?.stop();
    await receiver?.down();
  });

  /** Moves the clock and waits until the background round at that time has run its burst check. */
  const roundAt = async (iso: string) => {
    clock = new Date(iso);
    await waitFor(async () => {
      const { lastCheck } = (await (await fetch(`${app.url}/admin/api/alerts`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json()) as { lastCheck: string };
      return lastCheck === clock.toISOString();
    }, 20_000, `the round at ${iso}`);
  };
  const digests = () => receiver.requests.map((r) => JSON.parse(r.body) as { type: string; owner: string; week: string; notSolved: Array<{ articleId: string; notSolved: number }> });

  it('numbers ISO weeks from Monday', () => {
    expect(isoWeek(new Date('2026-11-29T23:59:00Z'))).to.equal('2026-W48');
    expect(isoWeek(new Date('2026-11-30T00:00:00Z'))).to.equal('2026-W49');
    expect(isoWeek(new Date('2027-01-01T12:00:00Z'))).to.equal('2026-W53');
  });

  it('sends each owner their "Not solved" articles once per week', async () => {
    const user = '29:digest-nurse';
    const answer = await app.send(teamsMessage('my printer wont print', { user }));
    const notSolved = cardsOf(answer.activities)[0]!.actions.find((a: { title: string }) => a.title === 'Not solved');
    await app.send(teamsMessage(undefined, { user, value: notSolved.data }));

    clock = new Date('2026-11-30T10:00:00Z'); // Monday: week 49 begins
    await waitFor(() => digests().some((d) => d.week === '2026-W49' && d.owner === 'end-user-computing'), 20_000, 'the week 49 digest');
    const mine = digests().find((d) => d.week === '2026-W49' && d.owner === 'end-user-computing')!;
    expect(mine.type).to.equal('owner-digest');
    expect(mine.notSolved.map((a) => [a.articleId, a.notSolved])).to.deep.include(['printer-not-printing', 1]);

    // Later rounds in the same week send nothing again. Rounds run one after another, so once the round
    // after next has begun, every digest queued in week 49's first round has been delivered.
    await roundAt('2026-11-30T10:30:00Z');
    await roundAt('2026-11-30T10:45:00Z');
    const count = receiver.requests.length;
    await roundAt('2026-11-30T11:00:00Z');
    await roundAt('2026-11-30T11:15:00Z');
    const keys = digests().map((d) => `${d.owner}:${d.week}`);
    expect(new Set(keys).size).to.equal(keys.length);
    expect(receiver.requests.length).to.equal(count);
  });
});
