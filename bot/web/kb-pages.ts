import type { Request, Response, Server } from 'restify';
import { isStale, type Article } from '../knowledge/article.js';
import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import { normalize } from '../knowledge/normalize.js';
import { search } from '../knowledge/search.js';
import type { AppContext } from '../context.js';
import { html, messagePage, page, sendHtml, trusted, type Html } from './html.js';

const ROLE_LABELS: Record<string, string> = { nurse: 'Nurses', physician: 'Physicians', everyone: 'Everyone' };
const MAX_QUERY_CHARS = 200;

function queryOf(req: Request): URLSearchParams {
  return new URL(req.url ?? '/', 'http://local').searchParams;
}

/** Where "Ask Elbow" goes: the local web chat, or a Teams chat with the bot when it is registered. */
function askLink(ctx: AppContext, question: string): string | null {
  if (ctx.config.localMode) return `/chat?q=${encodeURIComponent(question)}`;
  if (ctx.config.MicrosoftAppId) {
    return `https://teams.microsoft.com/l/chat/0/0?users=28:${encodeURIComponent(ctx.config.MicrosoftAppId)}&message=${encodeURIComponent(question)}`;
  }
  return null;
}

function articleItem(article: Article, extra?: Html): Html {
  return html`<li class="article-item">
<a class="article-link" href="/kb/${encodeURIComponent(article.id)}">${article.title}</a>${extra ?? ''}
<p class="quick">${article.quickAnswer.length > 220 ? `${article.quickAnswer.slice(0, 217)}…` : article.quickAnswer}</p>
<p class="tags">${article.tags.map((t) => html`<a class="tag" href="/kb?tag=${encodeURIComponent(t)}">${t}</a> `)}</p>
</li>`;
}

function searchForm(q: string): Html {
  return html`<form class="search" method="get" action="/kb" role="search">
<label for="q">Search the articles</label>
<input id="q" name="q" type="search" value="${q}" maxlength="${MAX_QUERY_CHARS}" placeholder="e.g. my patient list is missing patients" autocomplete="off">
<button type="submit">Search</button>
</form>`;
}

/** The article list: search results for ?q=, one tag for ?tag=, otherwise every article A–Z. */
export function kbListPage(kb: KnowledgeBase, params: URLSearchParams): string {
  const q = (params.get('q') ?? '').slice(0, MAX_QUERY_CHARS).trim();
  const tag = (params.get('tag') ?? '').slice(0, 100).trim();
  let content: Html;
  if (q) {
    const hits = search(kb, normalize(q, kb.synonyms), { limit: 10 }).filter((h) => h.coverage > 0);
    const found = hits.map((h) => kb.byId.get(h.id)).filter((a): a is Article => Boolean(a));
    content = found.length
      ? html`<p class="summary">${found.length} article${found.length === 1 ? '' : 's'} for “${q}”, best match first.</p><ol class="articles">${found.map((a) => articleItem(a))}</ol>`
      : html`<p class="summary">No article matches “${q}”. Try other words, or <a href="/kb">browse all articles</a>.</p>`;
  } else {
    const list = [...(tag ? kb.articles.filter((a) => a.tags.includes(tag)) : kb.articles)].sort((a, b) => a.title.localeCompare(b.title));
    const heading = tag ? html`<p class="summary">${list.length} article${list.length === 1 ? '' : 's'} tagged “${tag}” · <a href="/kb">all articles</a></p>` : html`<p class="summary">${list.length} articles, A–Z.</p>`;
    content = html`${heading}<ul class="articles">${list.map((a) => articleItem(a, a.urgent ? html` <span class="badge urgent">urgent topic</span>` : undefined))}</ul>`;
  }
  return page({ title: q ? `Search: ${q}` : 'Articles', body: html`<h1>EHR help articles</h1>${searchForm(q)}${content}` });
}

/**
 * One article: title, audience, review date, owner, the rendered body and an "Ask Elbow" link.
 * `bodyHtml` is `renderArticleBody(article.body)` (article-html.ts, loaded on the first article view).
 */
export function kbArticlePage(ctx: AppContext, article: Article, bodyHtml: string): string {
  const now = ctx.now();
  const ask = askLink(ctx, article.questions[0] ?? article.title);
  const body = html`<article class="kb-article">
<p class="crumbs"><a href="/kb">All articles</a></p>
<h1>${article.title}</h1>
<dl class="meta">
<dt>For</dt><dd>${article.roles.map((r) => ROLE_LABELS[r] ?? r).join(', ')}</dd>
<dt>Reviewed</dt><dd><time datetime="${article.reviewed}">${article.reviewed}</time>${isStale(article, now) ? html` <span class="badge stale">review overdue</span>` : ''}</dd>
<dt>Owner</dt><dd>${article.owner}</dd>
${article.urgent ? html`<dt>Priority</dt><dd><span class="badge urgent">urgent topic: call the help desk at ${ctx.config.HELP_DESK_PHONE} if a patient is waiting</span></dd>` : ''}
</dl>
<div class="body">${trusted(bodyHtml)}</div>
${ask ? html`<p class="ask"><a class="button" href="${ask}">Ask Elbow</a></p>` : ''}
<p class="tags">${article.tags.map((t) => html`<a class="tag" href="/kb?tag=${encodeURIComponent(t)}">${t}</a> `)}</p>
</article>`;
  return page({ title: article.title, body });
}

/** Registers GET /kb (list and search) and GET /kb/:id (one article, 404 page when unknown). */
export function registerKbPages(server: Server, ctx: AppContext): void {
  server.get('/kb', async (req: Request, res: Response) => {
    sendHtml(res, 200, kbListPage(ctx.knowledge.current(), queryOf(req)));
  });
  server.get('/kb/:id', async (req: Request, res: Response) => {
    const id = String(req.params?.id ?? '');
    const article = /^[a-z0-9-]{1,100}$/.test(id) ? ctx.knowledge.current().byId.get(id) : undefined;
    if (!article) {
      sendHtml(res, 404, messagePage('Article not found', 'There is no article at this address. It may have been renamed or retired.'));
      return;
    }
    // marked + sanitize-html cost ~0.2 s to load: not at start-up, only when someone reads an article.
    const { renderArticleBody } = await import('./article-html.js');
    sendHtml(res, 200, kbArticlePage(ctx, article, renderArticleBody(article.body)));
  });
}
