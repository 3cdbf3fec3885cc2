import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * Starts the module at `moduleUrl` (pass `import.meta.url`) as a worker_threads Worker with `workerData`: the .js file
 * itself from dist/, or, for a .ts file under tsx (npm run dev, the tests, the kb: scripts), a bootstrap that registers
 * tsx's loader first (Node 20 does not apply --import loaders to a worker's entry file).
 */
export function startModuleWorker(moduleUrl: string, workerData: unknown): Worker {
  const file = fileURLToPath(moduleUrl);
  return file.endsWith('.ts')
    ? new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(moduleUrl)}); })`, { eval: true, workerData })
    : new Worker(file, { workerData });
}
