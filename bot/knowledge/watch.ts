import fs from 'node:fs';
import path from 'node:path';
import type { KnowledgeHolder } from '../context.js';
import { buildInWorker } from './index-worker.js';
import { clinicalModelOf } from './clinical-model.js';
import { hashSources, knowledgeBaseFromSaved, type KnowledgeBase } from './knowledge-base.js';
import { policyFor } from './policy.js';
import { loadSynonyms } from './synonyms.js';

/** A knowledge holder that hot reload can swap. */
export interface MutableKnowledgeHolder extends KnowledgeHolder {
  /** Makes `kb` the one every later turn sees. */
  replace(kb: KnowledgeBase): void;
}

/** Holds the current knowledge base; `replace` swaps it in one assignment, so a turn sees one or the other. */
export function createKnowledgeHolder(kb: KnowledgeBase): MutableKnowledgeHolder {
  // Each base the bot serves has its clinical model trained before its first turn (clinical-model.ts).
  clinicalModelOf(kb);
  let current = kb;
  return {
    current: () => current,
    replace(next) {
      clinicalModelOf(next);
      current = next;
    },
  };
}

/** Options of `watchKnowledge`. */
export interface WatchOptions {
  /** The directory with articles/ and synonyms.yml. */
  knowledgeDir: string;
  /** Where the rebuilt index is saved (DATA_DIR/kb-index.json). */
  indexFile: string;
  /** Called with the rebuilt knowledge base after a valid change. */
  onReload: (kb: KnowledgeBase) => void;
  /** Called when a change does not build (KnowledgeError names file and field); the old one keeps serving. */
  onError: (err: Error) => void;
  /** Quiet time after the last file event before rebuilding (default 250 ms). */
  debounceMs?: number;
  /** Hash of the sources currently served, so an unchanged save does not rebuild (default: computed now). */
  initialHash?: string;
}

/** A running watcher. */
export interface KnowledgeWatcher {
  close(): void;
}

/**
 * Watches the articles directory, synonyms.yml and the policy directory and rebuilds the knowledge base when they change.
 * Directories are watched rather than files, because editors save by writing a new file and renaming
 * it over the old one; events are debounced, and a rebuild happens only when the sources' content
 * hash changed. A change that does not validate goes to `onError` and nothing is replaced.
 */
export function watchKnowledge(options: WatchOptions): KnowledgeWatcher {
  const { knowledgeDir, indexFile, onReload, onError } = options;
  const debounceMs = options.debounceMs ?? 250;
  const articlesDir = path.join(knowledgeDir, 'articles');
  let lastHash = options.initialHash ?? safeHash(knowledgeDir);
  let timer: NodeJS.Timeout | null = null;
  let closed = false;

  // One build at a time, in a worker thread (index-worker.ts) so turns keep being served; changes seen during a
  // build trigger one more.
  let building = false;
  let again = false;
  const rebuild = async () => {
    timer = null;
    if (closed) return;
    if (building) {
      again = true;
      return;
    }
    building = true;
    try {
      const hash = safeHash(knowledgeDir);
      if (hash === lastHash) return;
      let kb: KnowledgeBase;
      try {
        const data = await buildInWorker({ knowledgeDir, indexFile });
        kb = knowledgeBaseFromSaved(data, loadSynonyms(path.join(knowledgeDir, 'synonyms.yml')), policyFor(knowledgeDir));
        lastHash = kb.sourceHash;
      } catch (err) {
        // Remember the broken state too: the same broken files are reported once, not on every event.
        lastHash = hash;
        onError(err as Error);
        return;
      }
      if (!closed) onReload(kb);
    } finally {
      building = false;
      if (again && !closed) {
        again = false;
        schedule();
      }
    }
  };

  const schedule = () => {
    if (closed) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void rebuild(), debounceMs);
    timer.unref();
  };

  const watchers: fs.FSWatcher[] = [];
  const watch = (dir: string, accept: (file: string | null) => boolean) => {
    const watcher = fs.watch(dir, { persistent: false }, (_event, file) => {
      if (accept(file === null ? null : String(file))) schedule();
    });
    watcher.on('error', (err) => onError(err));
    watchers.push(watcher);
  };
  watch(articlesDir, (file) => file === null || file.endsWith('.md'));
  watch(knowledgeDir, (file) => file === null || file === 'synonyms.yml' || file === 'policy');
  const policyDir = path.join(knowledgeDir, 'policy');
  if (fs.existsSync(policyDir)) watch(policyDir, (file) => file === null || file.endsWith('.yml'));

  return {
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      for (const w of watchers) w.close();
    },
  };
}

function safeHash(knowledgeDir: string): string {
  try {
    return hashSources(knowledgeDir);
  } catch {
    return '';
  }
}
