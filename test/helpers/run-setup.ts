import { dropLeftovers, pgliteTemplate } from './engines.js';

// Loaded by mocha (.mocharc.json "require") once per run, and once per worker with --parallel.

/** Before any worker starts: makes (or finds) the PGlite template, so no worker or child pays initdb again. */
export async function mochaGlobalSetup(): Promise<void> {
  await pgliteTemplate();
}

/** Root hooks: with --parallel they run around each file, serially around the whole run. */
export const mochaHooks = {
  async afterAll(): Promise<void> {
    await dropLeftovers();
  },
};
