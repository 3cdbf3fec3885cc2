/**
 * Fits several learned article rankings (article-model.ts) side by side, one worker_threads Worker per CPU: kb:calibrate
 * fits one model on every example and one per cross-fitting fold, and each fit is independent and CPU-bound (with 83
 * evaluation sets, ~25 s each on one core). The fit is deterministic, so a model fitted in a worker is the one the
 * main thread would have fitted.
 */
import os from 'node:os';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { mapWithLimit } from '../concurrency.js';
import { fitArticleModel, type ArticleExample, type ArticleModel } from './article-model.js';
import { startModuleWorker } from './module-worker.js';

/** An example as it crosses to a worker: the feature map as entries. */
type WireExample = { features: [string, number][]; article: string };
/** A fitted model as it crosses back. */
type WireModel = { articles: string[]; bias: number[]; weights: [string, [number, number][]][] };
type WorkerRequest = { examples: WireExample[] };

const toWire = (examples: ArticleExample[]): WireExample[] => examples.map((e) => ({ features: [...e.features], article: e.article }));
const fromWire = (examples: WireExample[]): ArticleExample[] => examples.map((e) => ({ features: new Map(e.features), article: e.article }));
const modelToWire = (m: ArticleModel): WireModel => ({ articles: m.articles, bias: m.bias, weights: [...m.weights] });
const modelFromWire = (m: WireModel): ArticleModel => ({ articles: m.articles, bias: m.bias, weights: new Map(m.weights) });

/** Fits one model in a worker thread. */
function fitInWorker(examples: ArticleExample[]): Promise<ArticleModel> {
  const request: WorkerRequest = { examples: toWire(examples) };
  const worker = startModuleWorker(import.meta.url, request);
  return new Promise((resolve, reject) => {
    worker.once('message', (reply: WireModel) => {
      resolve(modelFromWire(reply));
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`article fit worker exited (${code}) without a model`)));
  });
}

/**
 * Fits one model per example list, at most `threads` at a time (default: one per CPU); the models come back in the order of the lists. With one thread, or a
 * single list, the fits run on this thread.
 */
export async function fitArticleModelsInParallel(jobs: ArticleExample[][], threads = Math.max(1, os.availableParallelism())): Promise<ArticleModel[]> {
  if (threads <= 1 || jobs.length <= 1) return jobs.map((examples) => fitArticleModel(examples));
  return mapWithLimit(jobs, threads, fitInWorker);
}

if (!isMainThread && parentPort && (workerData as WorkerRequest | undefined)?.examples) {
  const { examples } = workerData as WorkerRequest;
  parentPort.postMessage(modelToWire(fitArticleModel(fromWire(examples))));
}
