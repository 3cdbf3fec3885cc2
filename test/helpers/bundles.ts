import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BANNER, EXTERNAL, ROOT } from '../../scripts/build.mjs';

/**
 * Files that tests start as their own process. Under `node --import tsx` each such start pays seconds of CPU
 * (tsx's loader resolving and transforming ~1,500 modules); bundled once per run with esbuild, as `npm start`
 * runs the server, a start reads one file. Paths are relative to the repository root.
 */
export const CHILD_ENTRIES = [
  'bot/index.ts',
  'scripts/kb-ask.ts',
  'scripts/kb-eval.ts',
  'scripts/kb-calibrate.ts',
  'scripts/kb-gaps.ts',
  'scripts/kb-lint.ts',
  'scripts/teams-package.ts',
  'test/store/fixtures/write-and-hold.ts',
  'test/escalation/fixtures/create-ticket.ts',
];

/** Names the run's bundle directory for the mocha workers (set by test/helpers/run-setup.ts). */
export const BUNDLES_ENV = 'ELBOW_TEST_BUNDLES';

/** Where bundles live: inside the repository, so the packages left external resolve from node_modules. */
const CACHE = path.join(ROOT, 'node_modules', '.cache', 'elbow-test-bundles');

/**
 * Bundles CHILD_ENTRIES into a new directory for this run and returns it. Every source's `import.meta.url` is
 * replaced by its own file's URL, so paths relative to it (migrations, word lists, knowledge/, the repository root)
 * resolve exactly as when tsx runs the sources.
 */
export async function buildChildBundles(): Promise<string> {
  const { build } = await import('esbuild');
  fs.mkdirSync(CACHE, { recursive: true });
  removeStale();
  const outdir = fs.mkdtempSync(path.join(CACHE, `run-${process.pid}-`));
  await build({
    entryPoints: CHILD_ENTRIES.map((entry) => path.join(ROOT, entry)),
    outbase: ROOT,
    outdir,
    bundle: true,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    external: EXTERNAL,
    banner: { js: BANNER },
    plugins: [
      {
        name: 'elbow-source-url',
        setup(b) {
          b.onLoad({ filter: /\.ts$/ }, async (args) => {
            const source = await fs.promises.readFile(args.path, 'utf8');
            return { contents: source.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)), loader: 'ts' };
          });
        },
      },
    ],
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
  return outdir;
}

/** Removes bundle directories of earlier runs that ended without their teardown (older than a day). */
function removeStale(): void {
  for (const name of fs.readdirSync(CACHE)) {
    const dir = path.join(CACHE, name);
    if (Date.now() - fs.statSync(dir).mtimeMs > 86_400_000) fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Removes this run's bundle directory. */
export function removeChildBundles(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * The node arguments that start `file` (one of CHILD_ENTRIES; absolute or relative to the repository root): its
 * bundle when this run built one, otherwise the source through tsx (the way npm runs it).
 */
export function nodeArgs(file: string): string[] {
  const entry = path.relative(ROOT, path.resolve(ROOT, file)).split(path.sep).join('/');
  if (!CHILD_ENTRIES.includes(entry)) throw new Error(`${entry} is not in CHILD_ENTRIES (test/helpers/bundles.ts)`);
  const dir = process.env[BUNDLES_ENV];
  const bundle = dir && path.join(dir, entry.replace(/\.ts$/, '.js'));
  return bundle && fs.existsSync(bundle) ? ['--disable-warning=DEP0111', bundle] : ['--import', 'tsx', path.join(ROOT, entry)];
}
