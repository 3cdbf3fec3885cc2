import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import lunr from 'lunr';
import type { Article } from './article.js';
import { shareBodyText } from './body.js';
import { buildIndex, shareEmptyMetadata } from './index-builder.js';
import { loadArticles } from './load.js';
import { compactIndexOf, indexFromCompact, type CompactIndex } from './index-file.js';
import { defaultPolicy, policyFiles, policyFor, type Policy } from './policy.js';
import { loadSynonyms, type SynonymMap } from './synonyms.js';
import { compactLunrIndex, compileTermIndex, forEachTermSpread } from './term-index.js';

/** Everything search needs: the articles, the synonym map and the lunr index over them. */
export interface KnowledgeBase {
  articles: Article[];
  byId: Map<string, Article>;
  synonyms: SynonymMap;
  /** The analysts' word lists and phrase rules (knowledge/policy), reloaded with the articles. */
  policy: Policy;
  index: lunr.Index;
  /** The index's stemmed vocabulary, for typo tolerance. */
  vocabulary: lunr.TokenSet;
  /** Inverse document frequency per stemmed term. */
  idf: Map<string, number>;
  /** Hash of the source files this index was built from. */
  sourceHash: string;
  builtAt: Date;
}

/**
 * Bumped whenever the way articles are indexed or saved changes (tokenizing, synonym rules, the file format), so
 * old files are rebuilt. 5: the file keeps term-search postings (index-file.ts), not lunr's JSON.
 */
export const SERIALIZED_VERSION = 5;

/** A knowledge base with lunr's JSON index (what the hot-reload worker posts back). */
export interface SerializedKnowledgeBase {
  version: number;
  sourceHash: string;
  builtAt: string;
  articles: Article[];
  index: object;
}

/** Assembles a knowledge base from already-parsed articles and synonyms (builds the index). */
export function createKnowledgeBase(
  articles: Article[],
  synonyms: SynonymMap,
  sourceHash = '',
  builtAt = new Date(),
  policy: Policy = defaultPolicy(),
): KnowledgeBase {
  return fromIndex(articles, synonyms, buildIndex(articles, synonyms), sourceHash, builtAt, policy);
}

/**
 * idf weighting. bodyDocumentWeight: how much an article that mentions a word only in its body counts towards the word's document frequency.
 * Bodies share a lot of procedure words ("call the help desk", "sign out and back in"), so a word that is
 * in many bodies but few titles, questions or tags still tells articles apart.
 */
export const IDF_TUNING = { bodyDocumentWeight: 0.35 };

function fromIndex(articles: Article[], synonyms: SynonymMap, index: lunr.Index, sourceHash: string, builtAt: Date, policy: Policy): KnowledgeBase {
  // search() runs Elbow's term search over this index's postings (term-search.ts): same results as lunr's query.
  compileTermIndex(index);
  const idf = new Map<string, number>();
  const n = articles.length;
  forEachTermSpread(index, 'body', (term, keyDocs, bodyOnly) => {
    const df = keyDocs + IDF_TUNING.bodyDocumentWeight * bodyOnly;
    idf.set(term, Math.log(1 + (n - df + 0.5) / (df + 0.5)));
  });
  return {
    articles,
    byId: new Map(articles.map((a) => [a.id, a])),
    synonyms,
    policy,
    index,
    vocabulary: (index as unknown as { tokenSet: lunr.TokenSet }).tokenSet,
    idf,
    sourceHash,
    builtAt,
  };
}

/** Paths of the files a knowledge base is built from. */
export function sourceFiles(knowledgeDir: string): string[] {
  const articlesDir = path.join(knowledgeDir, 'articles');
  const articles = fs.existsSync(articlesDir)
    ? fs.readdirSync(articlesDir).filter((f) => f.endsWith('.md')).sort().map((f) => path.join(articlesDir, f))
    : [];
  const synonyms = path.join(knowledgeDir, 'synonyms.yml');
  return [...articles, ...(fs.existsSync(synonyms) ? [synonyms] : []), ...policyFiles(path.join(knowledgeDir, 'policy'))];
}

/** A content hash of the knowledge sources, so a stale serialized index is never served. */
export function hashSources(knowledgeDir: string): string {
  const hash = crypto.createHash('sha256');
  for (const file of sourceFiles(knowledgeDir)) {
    hash.update(path.basename(file)).update('\0').update(fs.readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

/** Loads, validates and indexes the knowledge base in a directory (articles/ + synonyms.yml + policy/). */
export function buildKnowledgeBase(knowledgeDir: string, now = new Date()): KnowledgeBase {
  const articles = loadArticles(path.join(knowledgeDir, 'articles'));
  const synonyms = loadSynonyms(path.join(knowledgeDir, 'synonyms.yml'));
  return createKnowledgeBase(articles, synonyms, hashSources(knowledgeDir), now, policyFor(knowledgeDir));
}

/** The serializable form of a (not yet compacted) knowledge base. */
export function serializeKnowledgeBase(kb: KnowledgeBase): SerializedKnowledgeBase {
  return { version: SERIALIZED_VERSION, sourceHash: kb.sourceHash, builtAt: kb.builtAt.toISOString(), articles: kb.articles, index: kb.index.toJSON() };
}

/** A served (compacted) knowledge base from its serialized form and the current synonyms. */
export function knowledgeBaseFromSerialized(data: SerializedKnowledgeBase, synonyms: SynonymMap, policy: Policy = defaultPolicy()): KnowledgeBase {
  const index = shareEmptyMetadata(lunr.Index.load(data.index));
  const kb = fromIndex(data.articles, synonyms, index, data.sourceHash, new Date(data.builtAt), policy);
  compactLunrIndex(kb.index);
  return kb;
}

/** The saved file's form (DATA_DIR/kb-index.json): the articles and the index's term-search data. */
export interface SavedKnowledgeBase {
  version: number;
  sourceHash: string;
  builtAt: string;
  articles: Article[];
  index: CompactIndex;
}

/** The saved file's form of a knowledge base (articles + term-search postings, index-file.ts); compacted or not. */
export function savedFormOf(kb: KnowledgeBase): SavedKnowledgeBase {
  return { version: SERIALIZED_VERSION, sourceHash: kb.sourceHash, builtAt: kb.builtAt.toISOString(), articles: kb.articles, index: compactIndexOf(kb.index) };
}

/** Writes the knowledge base (or its saved form, when already made) to a JSON file, atomically. */
export function saveKnowledgeBase(kb: KnowledgeBase | SavedKnowledgeBase, file: string): void {
  const saved = 'byId' in kb ? savedFormOf(kb) : kb;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(saved));
  fs.renameSync(tmp, file);
}

/** A served (compacted) knowledge base from the saved file's contents; throws if they are not a valid saved index. */
export function knowledgeBaseFromSaved(data: SavedKnowledgeBase, synonyms: SynonymMap, policy: Policy = defaultPolicy()): KnowledgeBase {
  if (data.version !== SERIALIZED_VERSION || !Array.isArray(data.articles) || typeof data.index !== 'object' || data.index === null) throw new Error('unknown format');
  // One copy of each article's text: the parsed file holds the shown parts again beside the body.
  const kb = fromIndex(data.articles.map(shareBodyText), synonyms, indexFromCompact(data.index), data.sourceHash, new Date(data.builtAt), policy);
  compactLunrIndex(kb.index);
  return kb;
}

/** How a knowledge base was obtained at start-up. */
export type KnowledgeSource = 'serialized' | 'built' | 'rebuilt-corrupt' | 'rebuilt-stale';

/**
 * The served index keeps only what search reads (term-index.ts compiled postings): lunr's own postings and
 * field vectors are dropped, so the returned `kb.index` cannot be lunr-queried or turned into lunr's JSON.
 * Loads the serialized index when it is newer than every source file and matches their hash;
 * otherwise (missing, stale or corrupt) rebuilds from the articles and rewrites it.
 */
export function openKnowledgeBase(knowledgeDir: string, indexFile: string): { kb: KnowledgeBase; source: KnowledgeSource } {
  const synonymsFile = path.join(knowledgeDir, 'synonyms.yml');
  if (fs.existsSync(indexFile)) {
    const indexTime = fs.statSync(indexFile).mtimeMs;
    const newest = Math.max(0, ...sourceFiles(knowledgeDir).map((f) => fs.statSync(f).mtimeMs));
    const dirTime = fs.existsSync(path.join(knowledgeDir, 'articles')) ? fs.statSync(path.join(knowledgeDir, 'articles')).mtimeMs : 0;
    if (indexTime >= newest && indexTime >= dirTime) {
      try {
        const data = JSON.parse(fs.readFileSync(indexFile, 'utf8')) as SavedKnowledgeBase;
        if (data.version !== SERIALIZED_VERSION || !Array.isArray(data.articles)) throw new Error('unknown format');
        const hash = hashSources(knowledgeDir);
        if (data.sourceHash === hash) {
          return { kb: knowledgeBaseFromSaved(data, loadSynonyms(synonymsFile), policyFor(knowledgeDir)), source: 'serialized' };
        }
        return rebuild('rebuilt-stale');
      } catch {
        return rebuild('rebuilt-corrupt');
      }
    }
    return rebuild('rebuilt-stale');
  }
  return rebuild('built');

  function rebuild(source: KnowledgeSource) {
    const kb = buildKnowledgeBase(knowledgeDir);
    try {
      saveKnowledgeBase(kb, indexFile);
    } catch {
      // A read-only data directory must not stop the bot: the in-memory index still serves.
    }
    compactLunrIndex(kb.index);
    return { kb, source };
  }
}
