/**
 * npm run build (also run by `prepare`, i.e. by `npm ci`): compiles bot/ to dist/bot/ — one JavaScript file per
 * TypeScript file (esbuild, type-stripping only; `npm run typecheck` checks types) — and copies every other file
 * under bot/ (SQL migrations, web/public) beside it, so paths relative to import.meta.url resolve the same
 * from dist/ as from the sources. Plain JavaScript so it runs without tsx. Type checking stays with tsc.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SOURCE = path.join(ROOT, 'bot');
export const OUT = path.join(ROOT, 'dist');
/** Written last; its mtime says when dist/ was built (scripts/start.mjs compares sources against it). */
export const STAMP = path.join(OUT, '.built');

/** Every file under `dir`, recursively. */
export function listFiles(dir) {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath ?? entry.path, entry.name));
}

/** Builds dist/bot from bot/; returns the number of files written. */
export async function build() {
  const { build: esbuild } = await import('esbuild');
  const files = listFiles(SOURCE);
  const sources = files.filter((f) => f.endsWith('.ts'));
  fs.rmSync(path.join(OUT, 'bot'), { recursive: true, force: true });
  await esbuild({
    entryPoints: sources,
    outbase: ROOT,
    outdir: OUT,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  const assets = files.filter((f) => !f.endsWith('.ts'));
  for (const file of assets) {
    const target = path.join(OUT, path.relative(ROOT, file));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(file, target);
  }
  fs.writeFileSync(STAMP, `${new Date().toISOString()}\n`);
  return sources.length + assets.length;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  const count = await build();
  process.stderr.write(`built ${count} files into dist/ in ${Math.round(performance.now() - started)} ms\n`);
}
