import { expect } from 'chai';
import { startChild } from '../../scripts/bench/ipc.js';

// Regression: `npm run bench -- --json` crashed with "write EPIPE" when a child exited before stop().
describe('bench ipc', function () {
  this.timeout(30_000);

  it('stop() after the child exited on its own neither throws nor crashes the parent', async () => {
    const errors: unknown[] = [];
    const onUncaught = (error: unknown): void => { errors.push(error); };
    process.on('uncaughtException', onUncaught);
    try {
      const child = startChild('../../test/bench/fixtures/exits-after-report.ts');
      const message = await child.waitFor('result');
      expect(message.value).to.equal(1);
      await new Promise((resolve) => child.process.once('exit', resolve).exitCode !== null && resolve(null));
      await child.stop();
      // Stop immediately after the report as well, racing the exit (the original crash).
      const racing = startChild('../../test/bench/fixtures/exits-after-report.ts');
      await racing.waitFor('result');
      await racing.stop();
      expect(() => racing.send({ type: 'memory' })).to.throw(/has exited/);
      await new Promise((resolve) => setImmediate(resolve));
      expect(errors).to.deep.equal([]);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });
});
