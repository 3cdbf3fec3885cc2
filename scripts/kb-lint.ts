/** npm run kb:lint : validates every article and the synonym file; exits 1 naming file, field and problem. */
import path from 'node:path';
import { isStale } from '../bot/knowledge/article.js';
import { KnowledgeError, loadArticles } from '../bot/knowledge/load.js';
import { loadNotices } from '../bot/knowledge/notices.js';
import { loadSynonyms } from '../bot/knowledge/synonyms.js';
import { knowledgePaths, runMain } from './cli.js';

runMain(() => {
  const { knowledgeDir } = knowledgePaths();
  try {
    const articles = loadArticles(path.join(knowledgeDir, 'articles'));
    const synonyms = loadSynonyms(path.join(knowledgeDir, 'synonyms.yml'));
    // Notices: unknown article ids, ends before starts, bad dates (file and field named).
    const notices = loadNotices(path.join(knowledgeDir, 'notices'), new Set(articles.map((a) => a.id)));
    if (notices.problems.length > 0) throw new KnowledgeError(notices.problems);
    const now = new Date();
    const stale = articles.filter((a) => isStale(a, now));
    for (const a of stale) console.log(`warning  ${a.id}.md  reviewed: ${a.reviewed} is older than 365 days`);
    console.log(`ok  ${articles.length} articles, ${synonyms.size} synonym rules, ${notices.notices.length} notices, ${stale.length} stale`);
  } catch (err) {
    if (err instanceof KnowledgeError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
});
