import type { Response } from 'restify';
import { assetUrl } from './static.js';

/**
 * Server-rendered HTML for Elbow's pages: escaping, the shared page layout and sending.
 * Pages carry no inline scripts or styles (CSP `script-src 'self'; style-src 'self'`).
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** A tagged template that escapes every interpolated value unless it is already `Html`. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0];
  values.forEach((value, i) => {
    out += renderValue(value) + strings[i + 1];
  });
  return new Html(out);
}

/** Markup that is safe to insert as is (built by `html` or sanitized). */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Marks already-safe markup (sanitized HTML) for insertion. */
export function trusted(markup: string): Html {
  return new Html(markup);
}

function renderValue(value: unknown): string {
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(renderValue).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(value);
}

/** Options of the page layout. */
export interface PageOptions {
  title: string;
  body: Html;
  /** Extra script files (asset names from static.ts), loaded at the end of the body. */
  scripts?: string[];
  /** Class on <body>, for page-specific styles. */
  bodyClass?: string;
  /** Navigation links shown in the header. */
  nav?: Array<{ href: string; label: string }>;
}

/** The whole HTML document around a page body. */
export function page(options: PageOptions): string {
  const nav = options.nav ?? [{ href: '/kb', label: 'Articles' }];
  return `<!doctype html>${html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>${options.title} · Elbow</title>
<link rel="stylesheet" href="${assetUrl('elbow.css')}">
</head>
<body class="${options.bodyClass ?? ''}">
<header class="site"><a class="brand" href="/kb">Elbow</a><nav>${nav.map((n) => html`<a href="${n.href}">${n.label}</a>`)}</nav></header>
<main>
${options.body}
</main>
${(options.scripts ?? []).map((s) => html`<script src="${assetUrl(s)}"></script>\n`)}</body>
</html>`}`;
}

/** Sends an HTML document with a status code; never cached (pages show live data). */
export function sendHtml(res: Response, status: number, document: string, headers: Record<string, string> = {}): void {
  res.sendRaw(status, document, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    ...headers,
  });
}

/** A small "not found" / "disabled" page. */
export function messagePage(title: string, message: string): string {
  return page({ title, body: html`<section class="message"><h1>${title}</h1><p>${message}</p><p><a href="/kb">Browse all articles</a></p></section>` });
}
