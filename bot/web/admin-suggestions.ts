import fs from 'node:fs';
import path from 'node:path';
import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import { findGaps } from '../analytics/gaps.js';
import { notHelpfulArticles } from '../analytics/reports.js';
import { decideSuggestion, findSuggestions } from '../analytics/suggestions.js';
import { parseDuration, windowEndingAt } from '../analytics/window.js';
import { addQuestionToArticle, ArticleEditError, unifiedDiff } from '../knowledge/article-edit.js';
import { qualityGate, readEvalCases, runEval, type EvalMetrics } from '../knowledge/eval.js';
import { buildKnowledgeBase, createKnowledgeBase, type KnowledgeBase } from '../knowledge/knowledge-base.js';
import type { MutableKnowledgeHolder } from '../knowledge/watch.js';
import { ADMIN_NAV, adminOnly } from './admin-notices.js';
import type { AppContext } from '../context.js';
import { html, page, sendHtml } from './html.js';

const SUGGESTION_DAYS = 30;
const Decision = z.object({ articleId: z.string().min(1).max(100), question: z.string().trim().min(1).max(200) });

/** The golden-set figures shown before and after an accepted suggestion. */
export interface GoldenFigures {
  accuracy: number;
  top3: number;
  confidentlyWrongRate: number;
  gate: string[];
}

function figures(kb: KnowledgeBase, knowledgeDir: string): GoldenFigures | null {
  const file = path.join(knowledgeDir, 'eval', 'golden.yml');
  if (!fs.existsSync(file)) return null;
  const m: EvalMetrics = runEval(kb, readEvalCases(file)).metrics;
  return { accuracy: m.accuracy, top3: m.top3, confidentlyWrongRate: m.confidentlyWrongRate, gate: qualityGate(m) };
}

/** Writes a file through a temp file and a rename; false when the directory is read-only. */
function tryWrite(file: string, text: string): boolean {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
    return true;
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    if (['EACCES', 'EROFS', 'EPERM'].includes(String((err as NodeJS.ErrnoException).code))) return false;
    throw err;
  }
}

function percent(value: number | undefined): string {
  return value === undefined ? '–' : `${Math.round(value * 1000) / 10}%`;
}

/**
 * /admin/suggestions: suggested alternate questions with Accept / Dismiss. Accepting adds the question to
 * the article file (or, when the knowledge directory is read-only, answers with a patch), swaps in the
 * rebuilt knowledge base and re-runs the golden set, answering with the figures before and after.
 * Also GET /admin/api/gaps, which `kb:gaps` reads when the server holds the PGlite lock.
 */
export function registerAdminSuggestions(server: Server, ctx: AppContext, knowledge: MutableKnowledgeHolder): void {
  const since = () => new Date(ctx.now().getTime() - SUGGESTION_DAYS * 86_400_000);

  server.get('/admin/suggestions', adminOnly(ctx, false, async (_req, res) => {
    const suggestions = await findSuggestions(ctx.db, knowledge.current(), since());
    const body = html`<h1>Suggested questions</h1>
<p class="window">Questions clinicians asked that were answered only after a "Did you mean" pick, or marked Solved, in the last ${SUGGESTION_DAYS} days.
Accepting one adds it to the article's <code>questions:</code> and re-runs the golden set.</p>
<p id="suggestion-result" class="status" role="status"></p>
<p><a id="suggestion-download" class="button" hidden>Download patch</a></p>
<pre id="suggestion-patch" hidden></pre>
<section class="panel">${
      suggestions.length
        ? html`<table id="suggestions"><thead><tr><th scope="col">Question</th><th scope="col">Article</th><th scope="col">Why</th><th scope="col">Times</th><th scope="col"></th></tr></thead><tbody>${suggestions.map(
            (s) => html`<tr data-article="${s.articleId}" data-question="${s.question}"><td>${s.question}</td><td><a href="/kb/${encodeURIComponent(s.articleId)}">${s.title}</a></td><td>${s.source === 'solved' ? 'marked Solved' : 'clarify pick'}</td><td class="num">${s.count}</td><td><button type="button" class="suggestion-decision" data-id="${s.articleId}" data-decision="accept">Accept</button> <button type="button" class="suggestion-decision link" data-id="${s.articleId}" data-decision="dismiss">Dismiss</button></td></tr>`,
          )}</tbody></table>`
        : html`<p class="empty">No suggestions right now.</p>`
    }</section>`;
    sendHtml(res, 200, page({ title: 'Suggestions', body, bodyClass: 'admin', scripts: ['admin-actions.js'], nav: ADMIN_NAV }));
  }));

  server.get('/admin/api/suggestions', adminOnly(ctx, true, async (_req, res) => {
    res.header('Cache-Control', 'no-store');
    res.send(200, { suggestions: await findSuggestions(ctx.db, knowledge.current(), since()) });
  }));

  server.post('/admin/api/suggestions/dismiss', adminOnly(ctx, true, async (req, res) => {
    const input = Decision.safeParse(req.body);
    if (!input.success) return void res.send(400, { error: 'bad request: articleId and question are required' });
    await decideSuggestion(ctx.db, input.data.articleId, input.data.question, 'dismissed', ctx.now());
    res.send(200, { message: `Dismissed "${input.data.question}".` });
  }));

  server.post('/admin/api/suggestions/accept', adminOnly(ctx, true, async (req, res) => {
    const input = Decision.safeParse(req.body);
    if (!input.success) return void res.send(400, { error: 'bad request: articleId and question are required' });
    const kb = knowledge.current();
    const article = kb.byId.get(input.data.articleId);
    if (!article) return void res.send(404, { error: 'no such article' });
    const { knowledgeDir } = ctx.config;
    const before = figures(kb, knowledgeDir);
    const original = fs.readFileSync(article.file, 'utf8');
    let edited: string;
    try {
      edited = addQuestionToArticle(original, input.data.question);
    } catch (err) {
      if (err instanceof ArticleEditError) return void res.send(409, { error: `cannot edit ${path.basename(article.file)}: ${err.message}` });
      throw err;
    }
    const written = tryWrite(article.file, edited);
    let next: KnowledgeBase;
    if (written) {
      next = buildKnowledgeBase(knowledgeDir, ctx.now());
      knowledge.replace(next);
    } else {
      // Read-only knowledge: measure the change in memory; the analyst applies the patch in the repository.
      next = createKnowledgeBase(kb.articles.map((a) => (a.id === article.id ? { ...a, questions: [...a.questions, input.data.question] } : a)), kb.synonyms);
    }
    const after = figures(next, knowledgeDir);
    await decideSuggestion(ctx.db, article.id, input.data.question, 'accepted', ctx.now());
    const relative = path.relative(path.dirname(knowledgeDir), article.file).split(path.sep).join('/');
    const patch = written ? undefined : unifiedDiff(relative, original, edited);
    const gold = before && after ? ` Golden set: accuracy ${percent(before.accuracy)} → ${percent(after.accuracy)}, top 3 ${percent(before.top3)} → ${percent(after.top3)}${after.gate.length ? `; gate FAILS: ${after.gate.join('; ')}` : '; gate passes'}.` : '';
    const message = written
      ? `Added "${input.data.question}" to ${relative}.${gold}`
      : `${relative} is read-only: apply the patch below in the knowledge repository.${gold}`;
    ctx.logger.info({ articleId: article.id, written }, 'suggestion accepted');
    res.send(200, { message, written, file: relative, before, after, ...(patch ? { patch } : {}) });
  }));

  server.get('/admin/api/gaps', adminOnly(ctx, true, async (req, res) => {
    const params = new URL(req.url ?? '/', 'http://local').searchParams;
    const ms = parseDuration(params.get('since') ?? '30d') ?? 30 * 86_400_000;
    const limit = Math.min(200, Math.max(1, Number(params.get('limit')) || 20));
    const kb = knowledge.current();
    const window = windowEndingAt(ctx.now(), ms);
    res.header('Cache-Control', 'no-store');
    res.send(200, {
      window: { since: window.since.toISOString(), until: window.until.toISOString() },
      gaps: (await findGaps(ctx.db, kb, window)).slice(0, limit),
      notHelpful: await notHelpfulArticles(ctx.db, window, kb.articles, limit),
    });
  }));
}
