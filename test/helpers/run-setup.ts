import { BUNDLES_ENV, buildChildBundles, removeChildBundles } from './bundles.js';
import { dropLeftovers, pgliteTemplate } from './engines.js';

// Loaded by mocha (.mocharc.json "require") once per run, and once per worker with --parallel.

/**
 * Before any worker starts: makes (or finds) the PGlite template, so no worker or child pays initdb again, and
 * bundles the files tests start as child processes (test/helpers/bundles.ts), so no child pays tsx's loader.
 */
export async function mochaGlobalSetup(): Promise<void> {
  const [bundles] = await Promise.all([buildChildBundles(), pgliteTemplate()]);
  process.env[BUNDLES_ENV] = bundles;
}

/** After the run: removes its bundles. */
export function mochaGlobalTeardown(): void {
  const bundles = process.env[BUNDLES_ENV];
  if (bundles) removeChildBundles(bundles);
}

/** Root hooks: with --parallel they run around each file, serially around the whole run. */
export const mochaHooks = {
  async afterAll(): Promise<void> {
    await dropLeftovers();
  },
};
