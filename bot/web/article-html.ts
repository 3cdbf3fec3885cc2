import { marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

/** What article markdown may become: text formatting, lists, tables, links; no scripts, styles or frames. */
const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [...sanitizeHtml.defaults.allowedTags, 'img'],
  allowedAttributes: { a: ['href', 'title', 'rel'], img: ['src', 'alt', 'title'], th: ['align'], td: ['align'], ol: ['start'] },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['data'] },
  allowProtocolRelative: false,
  transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer' }) },
};

/** An article's markdown body as safe HTML. Pure. */
export function renderArticleBody(markdown: string): string {
  return sanitizeHtml(marked.parse(markdown, { async: false, gfm: true }) as string, SANITIZE);
}
