import { randomBytes } from 'node:crypto';
import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import { errorSummary } from '../../conversation/bot.js';
import type { AppContext } from '../../context.js';
import { checkActivity } from '../activity-check.js';
import { corsHeaders, originAllowed, sendError } from './access.js';
import type { DirectLineStore } from './conversations.js';
import { BUSY_RETRY_AFTER_S } from '../turns.js';
import { WindowLimiter } from './rate-limit.js';
import { bearerToken } from '../../secrets.js';
import type { DirectLineGrant, TokenIssuer } from './tokens.js';
import { conversationStart, inboundActivity, type TurnRunner } from './turn.js';

/** What the Direct Line routes need. */
export interface RouteOptions {
  ctx: AppContext;
  store: DirectLineStore;
  tokens: TokenIssuer;
  runTurn: TurnRunner;
  /** A turn slot from the server's load shedder (released by calling it), or why there is none: then 503. */
  admit?: () => Promise<(() => void) | string>;
  serviceUrl: string;
}

/** Activities a client posts per conversation per minute (messages and card clicks), and reads (polling). */
const POSTS_PER_MINUTE = 60;
const READS_PER_MINUTE = 600;

const BASE = '/v3/directline';

const GenerateBody = z
  .object({
    user: z
      .object({
        id: z.string().min(1).max(256).optional(),
        name: z.string().max(256).optional(),
        role: z.enum(['nurse', 'physician', 'other']).optional(),
      })
      .optional(),
  })
  .optional();

/** What a client may set on an activity; channel, conversation and recipient are Elbow's to set. */
const ClientActivity = z.looseObject({
  type: z.enum(['message', 'event']),
  from: z.looseObject({ id: z.string().max(256).optional() }).optional(),
});

type Handler = (req: Request, res: Response) => Promise<void>;

/** Registers the Direct Line 3.0 REST API (tokens, conversations, activities) with CORS and per-token limits. */
export function registerDirectLineRoutes(server: Server, options: RouteOptions): void {
  const { ctx, store, tokens, runTurn, serviceUrl } = options;
  const admit = options.admit ?? (async () => () => undefined);
  /** Runs `work` in a turn slot, as /api/messages does; a full server answers 503 + Retry-After at once. */
  const inSlot = async (res: Response, work: () => Promise<void>): Promise<void> => {
    const slot = await admit();
    if (typeof slot !== 'function') {
      res.header('Retry-After', String(BUSY_RETRY_AFTER_S));
      return sendError(res, 503, 'ServiceUnavailable', 'busy, try again shortly');
    }
    try {
      await work();
    } finally {
      slot();
    }
  };
  const posts = new WindowLimiter(POSTS_PER_MINUTE, 60_000, ctx.now);
  const reads = new WindowLimiter(READS_PER_MINUTE, 60_000, ctx.now);

  /** Origin check, CORS, and a 4xx (never a 5xx) for anything unexpected. */
  const guarded = (handler: Handler): Handler => async (req, res) => {
    if (!originAllowed(ctx.config, req.headers)) return sendError(res, 403, 'Forbidden', 'origin not allowed');
    corsHeaders(req, res);
    try {
      await handler(req, res);
    } catch (err) {
      ctx.logger.error({ err: errorSummary(err), path: req.path?.() }, 'direct line request failed');
      if (!res.headersSent) sendError(res, 400, 'BadArgument', 'request could not be processed');
    }
  };

  /** The grant of the request's token, or a 401/403 sent and undefined. */
  const authorize = async (req: Request, res: Response, conversationId?: string): Promise<DirectLineGrant | undefined> => {
    const presented = bearerToken(req.headers.authorization);
    if (!presented) return void sendError(res, 401, 'Unauthorized', 'missing bearer token');
    const grant = await tokens.verify(presented);
    if (!grant) return void sendError(res, 403, 'TokenExpired', 'token is invalid or expired');
    if (conversationId !== undefined && grant.conversationId !== conversationId) return void sendError(res, 403, 'Forbidden', 'token is not valid for this conversation');
    return grant;
  };

  const limited = (limiter: WindowLimiter, key: string, res: Response): boolean => {
    if (limiter.take(key)) return false;
    res.header('Retry-After', String(limiter.retryAfter(key)));
    sendError(res, 429, 'TooManyRequests', 'too many requests for this conversation');
    return true;
  };

  const streamUrl = (req: Request, grant: DirectLineGrant, token: string, watermark: string): string => {
    const base = ctx.config.PUBLIC_BASE_URL ? ctx.config.publicBaseUrl : `http://${req.headers.host}`;
    const query = new URLSearchParams({ watermark, t: token });
    return `${base.replace(/^http/, 'ws')}${BASE}/conversations/${encodeURIComponent(grant.conversationId)}/stream?${query}`;
  };

  /** A new stream starts from the beginning (the greeting); a reconnect resumes at the client's watermark. */
  const conversationBody = (req: Request, grant: DirectLineGrant, token: string) => {
    const watermark = typeof req.query?.watermark === 'string' ? req.query.watermark : '';
    return { conversationId: grant.conversationId, token, expires_in: ctx.config.DIRECT_LINE_TOKEN_TTL_SECONDS, streamUrl: streamUrl(req, grant, token, watermark) };
  };

  const preflight = guarded(async (_req, res) => {
    res.send(204);
  });
  for (const path of ['/tokens/generate', '/tokens/refresh', '/conversations', '/conversations/:conversationId', '/conversations/:conversationId/activities']) {
    server.opts(`${BASE}${path}`, preflight);
  }

  server.post(`${BASE}/tokens/generate`, guarded(async (req, res) => {
    const presented = bearerToken(req.headers.authorization);
    if (!presented) return sendError(res, 401, 'Unauthorized', 'missing bearer secret');
    if (!tokens.secretMatches(presented)) return sendError(res, 403, 'Forbidden', 'wrong secret');
    const body = GenerateBody.safeParse(req.body ?? undefined);
    if (!body.success) return sendError(res, 400, 'BadArgument', `invalid body: ${body.error.issues[0].path.join('.')}: ${body.error.issues[0].message}`);
    const user = body.data?.user;
    const grant: DirectLineGrant = {
      conversationId: randomBytes(18).toString('base64url'),
      userId: user?.id ?? `dl_${randomBytes(12).toString('base64url')}`,
      userName: user?.name,
      role: user?.role,
    };
    res.send(200, await tokens.issue(grant));
  }));

  server.post(`${BASE}/tokens/refresh`, guarded(async (req, res) => {
    const grant = await authorize(req, res);
    if (grant) res.send(200, await tokens.issue(grant));
  }));

  server.post(`${BASE}/conversations`, guarded(async (req, res) => {
    const grant = await authorize(req, res);
    if (!grant) return;
    const asked = (req.body as { user?: { id?: unknown } } | undefined)?.user?.id;
    if (asked !== undefined && asked !== null && asked !== grant.userId) return sendError(res, 403, 'Forbidden', 'user id does not match the token');
    const conversation = store.open(grant.conversationId, grant.userId);
    if (!conversation) return sendError(res, 403, 'Forbidden', 'conversation belongs to another user');
    if (conversation.started) return res.send(200, conversationBody(req, grant, bearerToken(req.headers.authorization)));
    await inSlot(res, async () => {
      conversation.started = true;
      await runTurn(conversation, conversationStart(ctx, serviceUrl, grant), grant);
      res.send(201, conversationBody(req, grant, bearerToken(req.headers.authorization)));
    });
  }));

  server.get(`${BASE}/conversations/:conversationId`, guarded(async (req, res) => {
    const grant = await authorize(req, res, req.params.conversationId);
    if (!grant || limited(reads, grant.conversationId, res)) return;
    if (!store.open(grant.conversationId, grant.userId)) return sendError(res, 403, 'Forbidden', 'conversation belongs to another user');
    res.send(200, conversationBody(req, grant, bearerToken(req.headers.authorization)));
  }));

  server.get(`${BASE}/conversations/:conversationId/activities`, guarded(async (req, res) => {
    const grant = await authorize(req, res, req.params.conversationId);
    if (!grant || limited(reads, grant.conversationId, res)) return;
    const conversation = store.open(grant.conversationId, grant.userId);
    if (!conversation) return sendError(res, 403, 'Forbidden', 'conversation belongs to another user');
    const watermark = typeof req.query?.watermark === 'string' ? req.query.watermark : undefined;
    res.send(200, store.since(conversation, watermark));
  }));

  server.post(`${BASE}/conversations/:conversationId/activities`, guarded(async (req, res) => {
    const grant = await authorize(req, res, req.params.conversationId);
    if (!grant || limited(posts, grant.conversationId, res)) return;
    const parsed = ClientActivity.safeParse(req.body);
    if (!parsed.success) return sendError(res, 400, 'BadArgument', 'expected a message or event activity');
    const claimed = parsed.data.from?.id;
    if (claimed !== undefined && claimed !== grant.userId) return sendError(res, 403, 'Forbidden', 'from.id does not match the token');
    const activity = inboundActivity(ctx, serviceUrl, grant, req.body as Record<string, unknown>);
    const checked = checkActivity(JSON.parse(JSON.stringify(activity)));
    if (!checked.ok) return sendError(res, 400, 'BadArgument', checked.error);
    const conversation = store.open(grant.conversationId, grant.userId);
    if (!conversation) return sendError(res, 403, 'Forbidden', 'conversation belongs to another user');
    await inSlot(res, async () => {
      // The echo comes first: Web Chat shows a message as sent once it sees it come back with its id.
      const id = store.append(conversation, checked.activity);
      await runTurn(conversation, { ...checked.activity, id }, grant);
      res.send(200, { id });
    });
  }));
}
