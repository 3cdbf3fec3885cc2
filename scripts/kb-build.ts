/** npm run kb:build : validates the articles, builds the lunr index and writes it to DATA_DIR/kb-index.json. */
import { buildKnowledgeBase, saveKnowledgeBase } from '../bot/knowledge/knowledge-base.js';
import { KnowledgeError } from '../bot/knowledge/load.js';
import { knowledgePaths, runMain } from './cli.js';

runMain(() => {
  const { knowledgeDir, indexFile } = knowledgePaths();
  const started = performance.now();
  try {
    const kb = buildKnowledgeBase(knowledgeDir);
    saveKnowledgeBase(kb, indexFile);
    console.log(`built ${kb.articles.length} articles into ${indexFile} in ${(performance.now() - started).toFixed(0)} ms`);
  } catch (err) {
    if (err instanceof KnowledgeError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
});
