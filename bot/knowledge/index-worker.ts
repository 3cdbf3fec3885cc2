/**
 * Builds a knowledge base off the serving thread (hot reload at large sizes takes seconds: lunr's Builder and GC).
 * `buildInWorker` starts this file as a worker_threads Worker; the worker builds, saves the serialized index to
 * `indexFile` (best effort, as before) and posts the saved form back (index-file.ts); the main thread only loads it
 * (several times cheaper than building). Validation errors come back as KnowledgeError.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { buildKnowledgeBase, saveKnowledgeBase, savedFormOf, type SavedKnowledgeBase } from './knowledge-base.js';
import { KnowledgeError } from './load.js';
import { startModuleWorker } from './module-worker.js';

interface BuildRequest {
  knowledgeDir: string;
  indexFile: string;
}

type BuildReply = { ok: true; data: SavedKnowledgeBase } | { ok: false; message: string; problems?: KnowledgeError['problems'] };

/** Builds (and saves) the knowledge base of `knowledgeDir` in a worker thread; resolves with its serialized form. */
export function buildInWorker(request: BuildRequest): Promise<SavedKnowledgeBase> {
  const worker = startModuleWorker(import.meta.url, request);
  return new Promise((resolve, reject) => {
    worker.once('message', (reply: BuildReply) => {
      if (reply.ok) resolve(reply.data);
      else reject(reply.problems ? new KnowledgeError(reply.problems) : new Error(reply.message));
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`index build worker exited (${code}) without a result`)));
  });
}

if (!isMainThread && parentPort && (workerData as BuildRequest | undefined)?.indexFile) {
  const { knowledgeDir, indexFile } = workerData as BuildRequest;
  let reply: BuildReply;
  try {
    // The saved file's form (term-search postings as two base64 blocks), not lunr's JSON: far less to clone and load.
    // Made once: written to the file and posted back.
    const saved = savedFormOf(buildKnowledgeBase(knowledgeDir));
    try {
      saveKnowledgeBase(saved, indexFile);
    } catch {
      // A read-only data directory must not stop the reload: the main thread serves the posted copy.
    }
    reply = { ok: true, data: saved };
  } catch (err) {
    reply = err instanceof KnowledgeError ? { ok: false, message: err.message, problems: err.problems } : { ok: false, message: (err as Error).message ?? String(err) };
  }
  parentPort.postMessage(reply);
}

