/**
 * Elbow's full turn for the benchmark: createApp with the environment's DATA_DIR / KNOWLEDGE_DIR (the parent
 * sets LOG_LEVEL silent, HOT_RELOAD false and a very high RATE_LIMIT_PER_MINUTE). Reports its start-up timings
 * and memory over IPC ({type:'ready'}), answers {type:'cpu-mark'} / {type:'memory'}, CPU-profiles between {type:'profile-start'} and
 * {type:'profile-stop', file} (so the profile holds the load only, not start-up), and closes on {type:'stop'}.
 * With BENCH_EXPERIMENT set, the app runs on a wrapped database (experiments.ts).
 */
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import { loadConfig } from '../../bot/config.js';
import { openDb } from '../../bot/store/open.js';
import type { Db } from '../../bot/store/db.js';
import { createApp, type AppOverrides } from '../../bot/app.js';
import { experimentalDb, type StatementCounts } from './experiments.js';
import { onParent, serveMeasurements, tellParent } from './ipc.js';

const config = loadConfig(process.env);
const experiment = process.env.BENCH_EXPERIMENT;
let counts: StatementCounts | undefined;
let ownDb: Db | undefined;
let overrides: AppOverrides = {};
if (experiment) {
  // What-if runs only (see experiments.ts): the app gets a wrapped database.
  ownDb = await openDb({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir });
  const wrapped = experimentalDb(ownDb, experiment);
  counts = wrapped.counts;
  overrides = { db: wrapped.db };
}
const app = await createApp(config, { host: '127.0.0.1', port: 0, ...overrides });
// performance.now() counts from process start: boot + module loading + createApp.
tellParent({ type: 'ready', url: app.url, timings: app.timings, processReadyMs: performance.now(), memory: process.memoryUsage() });

serveMeasurements(() => ({ statements: counts }));
let profiler: Session | undefined;
onParent('profile-start', async () => {
  profiler = new Session();
  profiler.connect();
  await profiler.post('Profiler.enable');
  await profiler.post('Profiler.setSamplingInterval', { interval: 200 });
  await profiler.post('Profiler.start');
  tellParent({ type: 'profile-started' });
});
onParent('profile-stop', async (message) => {
  const { profile } = await profiler!.post('Profiler.stop');
  fs.writeFileSync(String(message.file), JSON.stringify(profile));
  profiler!.disconnect();
  tellParent({ type: 'profile-stopped' });
});
onParent('stop', async () => {
  const forced = setTimeout(() => process.exit(1), 10_000);
  forced.unref();
  await app.close();
  await ownDb?.close();
  process.exit(0);
});
