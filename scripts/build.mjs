/**
 * npm run build (also run by `prepare`, i.e. by `npm ci`): bundles bot/ into dist/bot/index.js (the server; what
 * bot/app.ts imports once the port is open is a chunk beside it) and dist/bot/knowledge/index-worker.js (the
 * index-build worker), with the node_modules that bundle
 * cleanly inlined (esbuild, type-stripping only; `npm run typecheck` checks types): one file to read and compile
 * instead of ~1,500 module resolutions and reads at every start. Every other file under bot/ (SQL migrations,
 * web/public, word lists) is copied to the same place under dist/bot/, and each source's `import.meta.url` is
 * rewritten to the URL its own file would have had there, so paths relative to it resolve as from the sources.
 * Plain JavaScript so it runs without tsx.
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

/** The bundles: entry source -> output file (the worker is started by file name, so it is its own bundle). */
const ENTRIES = ['index.ts', 'knowledge/index-worker.ts'];

/**
 * Packages left to Node's loader: they find files next to their own code (WebAssembly, word lists, worker
 * scripts) through import.meta.url / __dirname, load native or optional modules, or are only needed by one engine.
 */
export const EXTERNAL = ['@electric-sql/pglite', 'pg', 'pg-native', 'dtrace-provider', 'word-list', 'pino', 'thread-stream', 'esbuild', 'tsx'];

/** CommonJS packages inside an ES module bundle call require() for Node's built-ins: give them a real one. */
export const BANNER = "import { createRequire as __elbowCreateRequire } from 'node:module'; const require = __elbowCreateRequire(import.meta.url);";

/** Rewrites `import.meta.url` in each bot/ source to the URL its file would have under dist/ (relative to the bundle). */
function sourceUrlPlugin(bundleDir) {
  return {
    name: 'elbow-source-url',
    setup(b) {
      b.onLoad({ filter: /[\\/]bot[\\/].*\.ts$/ }, async (args) => {
        const source = await fs.promises.readFile(args.path, 'utf8');
        const asBuilt = path.join(OUT, path.relative(ROOT, args.path)).replace(/\.ts$/, '.js');
        const relative = path.relative(bundleDir, asBuilt).split(path.sep).join('/');
        const url = `new URL(${JSON.stringify(relative.startsWith('.') ? relative : `./${relative}`)}, import.meta.url).href`;
        return { contents: source.replaceAll('import.meta.url', url), loader: 'ts' };
      });
    },
  };
}

/** Builds dist/bot from bot/; returns the number of files written. */
export async function build() {
  const { build: esbuild } = await import('esbuild');
  const files = listFiles(SOURCE);
  const sources = files.filter((f) => f.endsWith('.ts'));
  fs.rmSync(path.join(OUT, 'bot'), { recursive: true, force: true });
  for (const entry of ENTRIES) {
    // Dynamic imports (the part of the app loaded after the port opens) become chunks in the entry's own folder,
    // so one relative path per source file is right in every output file.
    const outdir = path.dirname(path.join(OUT, 'bot', entry));
    await esbuild({
      entryPoints: [path.join(SOURCE, entry)],
      outdir,
      entryNames: '[name]',
      chunkNames: '[name]-[hash]',
      splitting: true,
      bundle: true,
      external: EXTERNAL,
      banner: { js: BANNER },
      plugins: [sourceUrlPlugin(outdir)],
      format: 'esm',
      platform: 'node',
      target: 'node20',
      sourcemap: 'linked',
      logLevel: 'warning',
    });
  }
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
