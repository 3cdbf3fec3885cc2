import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import { bearerMatches } from '../secrets.js';
import { NoticeFieldsSchema, unknownArticleProblems } from '../knowledge/notices.js';
import type { NoticeBoard } from '../notices/board.js';
import { endNotice, saveNotice } from '../notices/store.js';
import { accessOf } from './admin-auth.js';
import type { AppContext } from '../context.js';

/** What the notice routes need besides the app context. */
export interface NoticeRoutesOptions {
  board: NoticeBoard;
  /** Runs the background checks now (e.g. the "fixed" messages after an end). */
  kick: () => void;
}

const PostBody = z.object({
  id: z.string().optional(),
  title: z.string(),
  articles: z.array(z.string()),
  starts: z.string().optional(),
  ends: z.string(),
  units: z.array(z.string()).optional(),
  body: z.string().trim().min(1, 'must say what to do meanwhile').max(2000, 'must be at most 2000 characters'),
});

function slug(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 50) || 'notice';
}

function problemsText(issues: Array<{ path: PropertyKey[]; message: string }>): string {
  return issues.map((i) => `${i.path.map(String).join('.') || 'body'}: ${i.message}`).join('; ');
}

/** Bearer TICKET_CALLBACK_TOKEN or ADMIN_TOKEN (the help desk's systems), or the /admin session (the form). */
export function mayPostNotices(req: Request, ctx: AppContext): boolean {
  const header = req.header('authorization');
  const tokens = [ctx.config.TICKET_CALLBACK_TOKEN, ctx.config.ADMIN_TOKEN].filter((t): t is string => Boolean(t));
  if (tokens.some((t) => bearerMatches(header, t))) return true;
  const { access } = accessOf(req, ctx);
  return access === 'granted';
}

function unauthorized(res: Response): void {
  res.header('WWW-Authenticate', 'Bearer');
  res.send(401, { error: 'unauthorized: send Authorization: Bearer <TICKET_CALLBACK_TOKEN or ADMIN_TOKEN>' });
}

/**
 * `POST /api/notices` {title, articles, ends, body, starts?, units?, id?} stores a notice in the database
 * (201 {id}); `POST /api/notices/:id/end` ends one now; `GET /api/notices` lists them. The same routes
 * under /admin/api/notices serve the /admin form (its session cookie is scoped to /admin).
 */
export function registerNoticeRoutes(server: Server, ctx: AppContext, { board, kick }: NoticeRoutesOptions): void {
  const guard = (handler: (req: Request, res: Response) => Promise<void>) => async (req: Request, res: Response) => {
    if (!ctx.config.TICKET_CALLBACK_TOKEN && !ctx.config.ADMIN_TOKEN) return void res.send(404, { error: 'not found' });
    if (!mayPostNotices(req, ctx)) return unauthorized(res);
    try {
      await handler(req, res);
    } catch (err) {
      ctx.logger.error({ err: (err as Error).message }, 'notice route failed');
      res.header('Retry-After', '5');
      res.send(503, { error: 'the notice store is unavailable; try again shortly' });
    }
  };

  const post = guard(async (req, res) => {
    const raw = PostBody.safeParse(req.body);
    if (!raw.success) return void res.send(400, { error: `bad request: ${problemsText(raw.error.issues)}` });
    const now = ctx.now();
    const fields = NoticeFieldsSchema.safeParse({
      id: raw.data.id?.trim() || `${slug(raw.data.title)}-${now.toISOString().slice(0, 10)}`,
      title: raw.data.title,
      articles: raw.data.articles,
      starts: raw.data.starts?.trim() || now.toISOString(),
      ends: raw.data.ends,
      units: raw.data.units ?? [],
    });
    if (!fields.success) return void res.send(400, { error: `bad request: ${problemsText(fields.error.issues)}` });
    const unknown = unknownArticleProblems('body', fields.data.articles, new Set(ctx.knowledge.current().articles.map((a) => a.id)));
    if (unknown.length) return void res.send(400, { error: `bad request: ${unknown.map((p) => `${p.field}: ${p.message}`).join('; ')}` });
    await saveNotice(ctx.db, { ...fields.data, body: raw.data.body }, now);
    await board.refresh();
    ctx.logger.info({ noticeId: fields.data.id, articles: fields.data.articles }, 'notice posted');
    res.send(201, { id: fields.data.id, starts: fields.data.starts.toISOString(), ends: fields.data.ends.toISOString() });
  });

  const end = guard(async (req, res) => {
    const id = String(req.params?.id ?? '');
    if (!board.get(id)) return void res.send(404, { error: 'no such notice' });
    await endNotice(ctx.db, id, ctx.now());
    await board.refresh();
    kick();
    ctx.logger.info({ noticeId: id }, 'notice ended');
    res.send(200, { id, ended: true });
  });

  const list = guard(async (_req, res) => {
    await board.refresh();
    const now = ctx.now();
    res.header('Cache-Control', 'no-store');
    res.send(200, { notices: board.all().map((n) => ({ ...n, active: board.active(now).some((a) => a.id === n.id) })) });
  });

  for (const base of ['/api/notices', '/admin/api/notices']) {
    server.post(base, post);
    server.post(`${base}/:id/end`, end);
    server.get(base, list);
  }
}
