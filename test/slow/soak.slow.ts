import { expect } from 'chai';
import { runSoak } from '../../scripts/soak.js';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 12);

describe(`Soak (short CI form, ${SECONDS} s)`, function () {
  this.timeout((SECONDS + 60) * 1000);

  it('serves a realistic mix with zero errors and bounded heap growth', async () => {
    const report = await runSoak({ seconds: SECONDS, connections: 16, warmupSeconds: Math.max(2, Math.round(SECONDS / 4)) });
    const { memory: m } = report;
    console.log(
      `      ${report.requests} requests, ${report.throughput} req/s, p50 ${report.latencyMs.p50} ms, p99 ${report.latencyMs.p99} ms; ` +
        `status ${JSON.stringify(report.statusCodes)}, errors ${report.errors}, timeouts ${report.timeouts}, apologies ${report.apologies}; ` +
        `heap ${m.heapWarmMB} -> ${m.heapEndMB} MB (${m.heapGrowthMB >= 0 ? '+' : ''}${m.heapGrowthMB}), RSS ${m.rssWarmMB} -> ${m.rssEndMB} MB, slope ${m.heapSlopeMBPerMin} MB/min`,
    );
    expect(report.requests).to.be.greaterThan(0);
    expect(report.errors, 'socket errors').to.equal(0);
    expect(report.timeouts, 'timeouts').to.equal(0);
    expect(report.non2xx, 'non-2xx responses').to.equal(0);
    expect(report.apologies, 'turn-error replies').to.equal(0);
    expect(m.heapGrowthMB, 'heap growth after warm-up').to.be.below(100);
  });
});
