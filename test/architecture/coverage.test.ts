import fs from 'node:fs';
import { expect } from 'chai';
import { coverageMap, withCoverageTable } from './coverage.js';

describe('architecture: every source file is tested', () => {
  const map = coverageMap();

  it('every bot/ file has a mirrored test file or is reached by a named test', () => {
    const untested = [...map].filter(([, tests]) => tests.length === 0).map(([source]) => source);
    expect(untested).to.deep.equal([]);
  });

  it('docs/architecture.md names the tests that cover the files without a mirror (npm run docs:coverage)', () => {
    const doc = fs.readFileSync('docs/architecture.md', 'utf8');
    expect(doc).to.equal(withCoverageTable(doc));
  });
});
