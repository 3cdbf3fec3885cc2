/**
 * A large knowledge base served the way an operator deploys it. Writes a knowledge directory (articles/*.md with front matter, plus the source directory's synonyms.yml and
 * policy/) from parsed articles: a synthetic base as an operator would deploy it, so `npm start` can serve it
 * the real way (index built on the first start and saved to DATA_DIR, loaded from there on a restart).
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import os from 'node:os';
import type { Article } from '../../bot/knowledge/article.js';
import { buildKnowledgeBase } from '../../bot/knowledge/knowledge-base.js';
import { measureNpmStart, type StartTimes } from './startup.js';
import { syntheticArticles } from './synthetic-kb.js';

/** Writes `articles` and `fromDir`'s synonyms and policy files into `toDir` (created). */
export function writeKnowledgeDir(articles: Article[], fromDir: string, toDir: string): void {
  const articlesDir = path.join(toDir, 'articles');
  fs.mkdirSync(articlesDir, { recursive: true });
  for (const a of articles) {
    const front = { id: a.id, title: a.title, roles: a.roles, questions: a.questions, tags: a.tags, owner: a.owner, reviewed: a.reviewed, ...(a.escalate ? { escalate: a.escalate } : {}), urgent: a.urgent };
    fs.writeFileSync(path.join(articlesDir, `${a.id}.md`), `---\n${YAML.stringify(front)}---\n${a.body}\n`);
  }
  for (const name of ['synonyms.yml', 'policy']) {
    const from = path.join(fromDir, name);
    if (fs.existsSync(from)) fs.cpSync(from, path.join(toDir, name), { recursive: true });
  }
}

/**
 * `npm start` on a knowledge directory of `count` synthetic articles made from `knowledgeDir`'s: the first start
 * (index built and saved; the database initialised too, unless `databaseFrom` names a stopped DATA_DIR whose
 * database is copied — a knowledge base replaced under an existing install), then a restart (index loaded from
 * DATA_DIR), each with the server's RSS when /readyz answered and after `settleMs` idle.
 */
export async function measureServedBase(count: number, knowledgeDir: string, settleMs = 15_000, databaseFrom?: string): Promise<{ first: StartTimes; restart: StartTimes }> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'elbow-served-'));
  try {
    const real = buildKnowledgeBase(knowledgeDir);
    const dir = path.join(work, 'knowledge');
    writeKnowledgeDir(syntheticArticles(real.articles, real.synonyms, { count }), knowledgeDir, dir);
    const dataDir = path.join(work, 'data');
    if (databaseFrom) fs.cpSync(path.join(databaseFrom, 'pglite'), path.join(dataDir, 'pglite'), { recursive: true });
    const first = await measureNpmStart(dataDir, { KNOWLEDGE_DIR: dir }, 900_000, settleMs);
    const restart = await measureNpmStart(dataDir, { KNOWLEDGE_DIR: dir }, 900_000, settleMs);
    return { first, restart };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
