/**
 * npm test [-- mocha options]: the type check (tsc --noEmit) and the mocha suite (three workers) side by side, instead
 * of one after the other: alone, tsc keeps one core busy for ~20 s while the other waits. Its output is printed once
 * mocha has finished; the run fails if either fails.
 *
 * Mocha's workers take the test files in the order given, so the files that cost the most run first (FIRST, from
 * measured CPU time): a long file started last would leave one core idle at the end. Three workers on two cores: many
 * tests wait on child processes, browsers and timers, and a third worker fills that time (quiet 2-core machine: 266 s
 * with two, ~215 s with three). MOCHA_JOBS overrides. Plain JavaScript (no tsx).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The costliest test files, most first (per file: CPU from `/usr/bin/time npx mocha FILE`, ties broken by wall time
 * in a full parallel run: a file that waits on child processes should not start last); the rest follow by name.
 */
const FIRST = [
  'test/reliability/shutdown.test.ts',
  'test/reliability/faults.test.ts',
  'test/web/hot-reload.test.ts',
  'test/notices/bursts.test.ts',
  'test/reliability/fuzz.test.ts',
  'test/browser/admin-notices.test.ts',
  'test/browser/directline.test.ts',
  'test/scripts/cli.test.ts',
  'test/analytics/kb-gaps-cli.test.ts',
  'test/browser/pages.test.ts',
  'test/knowledge/lunr-builder.test.ts',
  'test/reliability/limits.test.ts',
  'test/reliability/identity.test.ts',
  'test/scripts/build.test.ts',
  'test/notices/owner-digest.test.ts',
];

/** Every test file under test/, FIRST first. */
function testFiles() {
  const all = fs.readdirSync(path.join(ROOT, 'test'), { recursive: true })
    .map((name) => `test/${String(name).split(path.sep).join('/')}`)
    .filter((name) => name.endsWith('.test.ts'))
    .sort();
  const missing = FIRST.filter((name) => !all.includes(name));
  if (missing.length > 0) throw new Error(`scripts/test.mjs lists test files that do not exist: ${missing.join(', ')}`);
  return [...FIRST, ...all.filter((name) => !FIRST.includes(name))];
}

/** Runs node with `args` from the repository root; resolves with the exit code (and the output, if captured). */
function run(args, capture) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    let output = '';
    if (capture) {
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
    }
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
}

const files = testFiles();
const started = performance.now();
const [typecheck, mocha] = await Promise.all([
  run(['node_modules/typescript/bin/tsc', '--noEmit'], true),
  run(['node_modules/mocha/bin/mocha.js', '--parallel', '--jobs', process.env.MOCHA_JOBS ?? '3', ...process.argv.slice(2), ...files], false),
]);
if (typecheck.code === 0) {
  process.stdout.write('tsc --noEmit: no type errors\n');
} else {
  process.stdout.write(`\ntsc --noEmit failed (exit ${typecheck.code}):\n${typecheck.output}\n`);
}
process.stdout.write(`npm test: ${((performance.now() - started) / 1000).toFixed(1)} s wall (type check and mocha side by side)\n`);
process.exitCode = typecheck.code !== 0 || mocha.code !== 0 ? 1 : 0;
