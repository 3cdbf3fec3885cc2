/**
 * npm start: runs the compiled bot (dist/bot/index.js). dist/ is built by `prepare` (npm ci / npm install);
 * if any file under bot/ is newer than that build (a checkout or an edit since), it is rebuilt first (~0.2 s),
 * so `npm start` never runs stale code. Plain JavaScript: no tsx at run time.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { OUT, SOURCE, STAMP, build, listFiles } from './build.mjs';

function builtAt() {
  try {
    return fs.statSync(STAMP).mtimeMs;
  } catch {
    return -Infinity;
  }
}

const stamp = builtAt();
if (listFiles(SOURCE).some((file) => fs.statSync(file).mtimeMs > stamp)) await build();
await import(pathToFileURL(path.join(OUT, 'bot', 'index.js')).href);
