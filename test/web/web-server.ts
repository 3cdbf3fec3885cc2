import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pino } from 'pino';
import restify from 'restify';
import { loadConfig } from '../../bot/config.js';
import { buildKnowledgeBase, type KnowledgeBase } from '../../bot/knowledge/knowledge-base.js';
import { createKnowledgeHolder, type MutableKnowledgeHolder } from '../../bot/knowledge/watch.js';
import type { Db } from '../../bot/store/db.js';
import { openDb } from '../../bot/store/open.js';
import { registerAdmin } from '../../bot/web/admin.js';
import { registerChat } from '../../bot/web/chat-page.js';
import type { AppContext } from '../../bot/context.js';
import { registerKbPages } from '../../bot/web/kb-pages.js';
import { securityHeaders } from '../../bot/web/security.js';
import { registerStatic } from '../../bot/web/static.js';
import { freshDataDir, type FreshDataDir } from '../helpers/engines.js';

/** A restify server with only the web pages of this area (static, /kb, /admin, /chat) on a free port. */
export interface WebServer {
  url: string;
  ctx: AppContext;
  knowledge: MutableKnowledgeHolder;
  close(): Promise<void>;
}

/** Options: settings (env-style), an existing database, a knowledge base, a clock. */
export interface WebServerOptions {
  env?: Record<string, string>;
  db?: Db;
  kb?: KnowledgeBase;
  now?: () => Date;
}

let sharedKb: KnowledgeBase | undefined;
let shared: Promise<{ db: Db; data: FreshDataDir }> | undefined;

/** One PGlite database for all page tests of this process (opening one costs seconds); closed after the run. */
function sharedDb(): Promise<{ db: Db; data: FreshDataDir }> {
  shared ??= (async () => {
    const data = await freshDataDir();
    const db = await openDb({ dataDir: data.dir });
    return { db, data };
  })();
  return shared;
}

// A root-level hook (registered while mocha loads the test files): closes the shared database at the end.
if (typeof after === 'function') {
  after(async () => {
    if (!shared) return;
    const { db, data } = await shared;
    await db.close();
    data.remove();
  });
}

/** Starts the pages with a real knowledge base and a real (PGlite, shared) database unless one is given. */
export async function startWebServer(options: WebServerOptions = {}): Promise<WebServer> {
  const data = options.db ? undefined : (await sharedDb()).data;
  const db = options.db ?? (await sharedDb()).db;
  const kb = options.kb ?? (sharedKb ??= buildKnowledgeBase(path.resolve('knowledge')));
  const knowledge = createKnowledgeHolder(kb);
  const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', KNOWLEDGE_DIR: path.resolve('knowledge'), DATA_DIR: data?.dir ?? '/nonexistent', ...options.env });
  const ctx: AppContext = { config, db, knowledge, logger: pino({ level: 'silent' }), now: options.now ?? (() => new Date()) };
  const server = restify.createServer({ name: 'elbow-web-test' });
  server.pre(securityHeaders());
  registerStatic(server);
  registerKbPages(server, ctx);
  registerAdmin(server, ctx);
  registerChat(server, ctx);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    ctx,
    knowledge,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** GETs a path and returns status, headers and body text (redirects are not followed). */
export async function get(base: string, pathAndQuery: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; body: string }> {
  const res = await fetch(`${base}${pathAndQuery}`, { headers, redirect: 'manual' });
  return { status: res.status, headers: res.headers, body: await res.text() };
}

/** Every <script> tag of a page, and whether any carries inline code or inline style attributes exist. */
export function inlineCodeOf(page: string): { inlineScripts: string[]; styleAttributes: number; styleTags: number } {
  const scripts = [...page.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
  return {
    inlineScripts: scripts.filter(([, attrs, body]) => !/\bsrc=/.test(attrs) && !/type="application\/json"/.test(attrs) && body.trim() !== '').map(([m]) => m),
    styleAttributes: (page.match(/\sstyle=/gi) ?? []).length,
    styleTags: (page.match(/<style\b/gi) ?? []).length,
  };
}
