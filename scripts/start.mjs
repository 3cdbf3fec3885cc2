/**
 * npm start: runs the bundled bot (dist/bot/index.js). dist/ is built by `prepare` (npm ci / npm install);
 * if any file under bot/ or the lock file (the bundle inlines node_modules) is newer than that build (a checkout,
 * an edit or an install since), it is rebuilt first (~1-2 s), so `npm start` never runs stale code.
 * Plain JavaScript: no tsx at run time.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { OUT, ROOT, SOURCE, STAMP, build, listFiles } from './build.mjs';

function builtAt() {
  try {
    return fs.statSync(STAMP).mtimeMs;
  } catch {
    return -Infinity;
  }
}

const stamp = builtAt();
const inputs = [...listFiles(SOURCE), path.join(ROOT, 'package-lock.json')].filter((file) => fs.existsSync(file));
if (inputs.some((file) => fs.statSync(file).mtimeMs > stamp)) await build();
await import(pathToFileURL(path.join(OUT, 'bot', 'index.js')).href);
