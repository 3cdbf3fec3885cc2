/** npm run docs:coverage : rewrites the coverage table of docs/architecture.md (which tests cover files without a mirror). */
import fs from 'node:fs';
import { withCoverageTable } from '../test/architecture/coverage.js';

const FILE = 'docs/architecture.md';
fs.writeFileSync(FILE, withCoverageTable(fs.readFileSync(FILE, 'utf8')));
console.log(`updated ${FILE}`);
