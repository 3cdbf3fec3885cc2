import { expect } from 'chai';
import { runOverload } from '../../scripts/soak-overload.js';

const SECONDS = Number(process.env.OVERLOAD_SECONDS ?? 8);

describe(`Overload: 400 clients for ${SECONDS} s against the real server`, function () {
  // Most of the time is starting the server in a child process; the flood itself is SECONDS long.
  this.timeout((SECONDS + 150) * 1000);

  it('sheds the excess with 503 + Retry-After: no client times out, no other error, /healthz keeps answering', async () => {
    const r = await runOverload({ seconds: SECONDS, connections: 400 });
    console.log(
      `      ${r.requests} requests, status ${JSON.stringify(r.statusCodes)}, timeouts ${r.timeouts}, errors ${r.errors}; ` +
        `/healthz ${r.healthz.probes} probes, p50 ${r.healthz.p50Ms} ms, max ${r.healthz.maxMs} ms`,
    );
    expect(r.requests).to.be.greaterThan(0);
    expect(r.timeouts, 'client timeouts').to.equal(0);
    expect(r.errors, 'socket errors').to.equal(0);
    expect(r.unexpected, 'answers other than 2xx or 503').to.equal(0);
    expect(r.statusCodes['503'] ?? 0, 'the excess is shed').to.be.greaterThan(0);
    expect(r.statusCodes['200'] ?? 0, 'admitted turns are served').to.be.greaterThan(0);
    // The 1 s figure is a measurement (npm run soak -- --profile overload), not a pass mark here: timing on a
    // shared CI machine would make it flaky. That /healthz answered every probe during the flood is asserted.
    expect(r.healthz.probes, '/healthz probed during the flood').to.be.greaterThan(0);
    expect(r.healthz.failed, '/healthz probes that failed or timed out').to.equal(0);
  });
});
