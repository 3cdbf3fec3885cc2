/**
 * npm run kb:lint : validates every article, the synonym file and the policy files (knowledge/policy/*.yml), and runs
 * every policy example through the real classifier; exits 1 naming file, field (or rule and example) and problem.
 */
import fs from 'node:fs';
import path from 'node:path';
import { calibrationFile, calibrationInputsHash, savedInputsHash } from '../bot/knowledge/calibrate.js';
import { isStale } from '../bot/knowledge/article.js';
import { KnowledgeError, loadArticles } from '../bot/knowledge/load.js';
import { loadNotices } from '../bot/knowledge/notices.js';
import { loadSynonyms } from '../bot/knowledge/synonyms.js';
import { loadPolicy } from '../bot/knowledge/policy.js';
import { checkPolicyExamples } from '../bot/knowledge/policy-check.js';
import { crossCheckExamples, MODEL_FLOOR } from '../bot/knowledge/clinical-model.js';
import { knowledgePaths, runMain } from './cli.js';

const percent = (x: number) => `${(x * 100).toFixed(1)} %`;

runMain(() => {
  const { knowledgeDir } = knowledgePaths();
  try {
    const articles = loadArticles(path.join(knowledgeDir, 'articles'));
    const synonyms = loadSynonyms(path.join(knowledgeDir, 'synonyms.yml'));
    const policy = loadPolicy(path.join(knowledgeDir, 'policy'));
    const failures = checkPolicyExamples(policy, synonyms);
    for (const f of failures) console.log(`error  policy/${f.file}.yml  rule ${f.rule}: "${f.example}": ${f.message}`);
    if (failures.length > 0) {
      process.stderr.write(`${failures.length} policy example(s) disagree with the classifier\n`);
      process.exit(1);
    }
    // The clinical-advice classifier: leave-one-out accuracy of each example list, failed below its floor.
    const checks = crossCheckExamples(policy, articles);
    for (const c of checks) for (const m of c.misses) console.log(`info  ${path.basename(m.file)}  ${c.label}: "${m.text}": leave-one-out P(clinical) ${m.probability.toFixed(2)}`);
    const low = checks.filter((c) => c.accuracy < MODEL_FLOOR[c.label]);
    for (const c of low) console.log(`error  clinical model: ${c.label} examples ${c.correct}/${c.total} right when left out (${percent(c.accuracy)}), below the floor of ${percent(MODEL_FLOOR[c.label])}: check the sentences listed above for a wrong list, or add examples of the missed kinds (docs/quality.md)`);
    if (low.length > 0) {
      process.stderr.write('the clinical-advice classifier is below its leave-one-out floor\n');
      process.exit(1);
    }
    const rules = [...policy.rules.values()].reduce((n, r) => n + r.length, 0);
    const articleIds = new Set(articles.map((a) => a.id));
    const unknown = [...policy.rules.values()].flat().filter((r) => r.article !== undefined && !articleIds.has(r.article));
    if (unknown.length > 0) throw new KnowledgeError(unknown.map((r) => ({ file: r.file, field: `rules.${r.id}.article`, message: `names unknown article ${r.article}` })));
    // Notices: unknown article ids, ends before starts, bad dates (file and field named).
    const notices = loadNotices(path.join(knowledgeDir, 'notices'), new Set(articles.map((a) => a.id)));
    if (notices.problems.length > 0) throw new KnowledgeError(notices.problems);
    // The answer calibration and urgency model are fitted on these files: after a change they need refitting.
    if (fs.existsSync(calibrationFile(knowledgeDir)) && savedInputsHash(knowledgeDir) !== calibrationInputsHash(knowledgeDir)) {
      console.log('warning  policy/answer-calibration.yml  fitted on other knowledge or eval sets: run npm run kb:calibrate and commit it (CI fails until then)');
    }
    const now = new Date();
    const stale = articles.filter((a) => isStale(a, now));
    for (const a of stale) console.log(`warning  ${a.id}.md  reviewed: ${a.reviewed} is older than 365 days`);
    console.log(`ok  ${articles.length} articles, ${synonyms.size} synonym rules, ${rules} policy rules, ${notices.notices.length} notices, ${stale.length} stale; clinical model leave-one-out ${checks.map((c) => `${c.label} ${percent(c.accuracy)}`).join(', ')}`);
  } catch (err) {
    if (err instanceof KnowledgeError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
});
