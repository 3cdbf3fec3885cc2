import restify, { type Next, type Request, type Response, type Server } from 'restify';
import type { ActivityHandler } from 'botbuilder';
import { z } from 'zod';
import type { ElbowAdapter } from './adapter.js';
import type { AppContext } from '../context.js';
import { escalationStatus } from '../escalation/ticket.js';
import type { LoadShedder } from './shed.js';
import { createTurnService, shedEarly } from './turns.js';

/** What the HTTP layer needs to serve the bot. */
export interface ServerOptions {
  ctx: AppContext;
  adapter: ElbowAdapter;
  bot: ActivityHandler;
  /** Decides whether a turn may run now (bounded slots, bounded line, event-loop delay). */
  shedder: LoadShedder;
  /** Readiness: false while starting or shutting down. */
  isReady: () => boolean;
}

/** Creates the restify server with the Bot Framework endpoint, health checks and body limits. */
export function createServer({ ctx, adapter, bot, shedder, isReady }: ServerOptions): Server {
  const server = restify.createServer({ name: 'elbow', handleUncaughtExceptions: false });
  const serveTurn = createTurnService({ ctx, adapter, bot, shedder });
  const reject = (req: Request, res: Response, status: number, error: string) => {
    ctx.logger.warn({ status, method: req.method, path: req.path?.(), reason: error }, 'request rejected');
    res.send(status, { error });
  };
  server.pre(shedEarly(shedder));
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(jsonBody(ctx.config.MAX_BODY_BYTES, reject));

  server.post('/api/messages', async (req: Request, res: Response) => {
    const checked = checkActivity(req.body);
    if (!checked.ok) {
      reject(req, res, 400, checked.error);
      return;
    }
    await serveTurn(req, res, checked.activity);
  });

  server.get('/healthz', async (_req: Request, res: Response) => {
    res.send(200, { status: 'ok' });
  });

  server.get('/readyz', async (_req: Request, res: Response) => {
    const load = shedder.snapshot();
    if (!isReady()) {
      res.send(503, { status: 'not ready', load });
      return;
    }
    // A full server is not ready for more: the load balancer should send the next clinician elsewhere.
    if (load.saturated || load.lagging) {
      res.send(503, { status: load.saturated ? 'saturated' : 'event loop lagging', load });
      return;
    }
    try {
      await withTimeout(ctx.db.ping(), READY_PING_MS);
      res.send(200, { status: 'ready', articles: ctx.knowledge.current().articles.length, db: ctx.db.engine, escalation: escalationStatus(ctx.config), load });
    } catch {
      res.send(503, { status: 'database unavailable', load });
    }
  });

  server.on('restifyError', (req: Request, res: Response, err: Error & { statusCode?: number }, callback: () => void) => {
    // Routing errors reach here: keep them short and free of request data.
    ctx.logger.warn({ status: err.statusCode, name: err.name, path: req.path?.() }, 'request rejected');
    callback();
  });
  return server;
}

/** How long /readyz waits for the database: a hung database must read as not ready, not hang the probe. */
const READY_PING_MS = 2000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// ---------- request bodies ----------

type Reject = (req: Request, res: Response, status: number, error: string) => void;

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** How much of an over-limit body is read (and thrown away) so the client gets its 413, before hanging up. */
const DISCARD_FACTOR = 16;

/**
 * Reads JSON request bodies, and only those: at most `maxBytes` as sent, no compression (a gzip bomb would
 * make the limit meaningless), no forms or multipart uploads (restify's parser stores uploads in the temp
 * directory, unauthenticated and unbounded). 413 when too large, 415 for other types, 400 for broken JSON.
 */
export function jsonBody(maxBytes: number, reject: Reject) {
  return (req: Request, res: Response, next: Next): void => {
    const length = req.headers['content-length'];
    const hasBody = length !== undefined ? Number(length) > 0 : req.headers['transfer-encoding'] !== undefined;
    if (!BODY_METHODS.has(req.method ?? '') || !hasBody) return next();
    const type = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'application/json' && !/^application\/[\w.-]+\+json$/.test(type)) {
      req.resume();
      reject(req, res, 415, 'expected Content-Type: application/json');
      return next(false);
    }
    const encoding = String(req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    if (encoding !== 'identity') {
      req.resume();
      reject(req, res, 415, 'compressed request bodies are not accepted');
      return next(false);
    }
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
    };
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received <= maxBytes) chunks.push(chunk);
      else if (received > maxBytes * DISCARD_FACTOR) {
        settle(() => {
          reject(req, res, 413, `request body larger than ${maxBytes} bytes`);
          res.once('finish', () => req.destroy());
          next(false);
        });
      }
    });
    req.once('error', () => settle(() => next(false)));
    req.once('aborted', () => settle(() => undefined));
    req.once('end', () =>
      settle(() => {
        if (received > maxBytes) {
          reject(req, res, 413, `request body larger than ${maxBytes} bytes`);
          return next(false);
        }
        try {
          req.body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          reject(req, res, 400, 'request body is not valid JSON');
          return next(false);
        }
        next();
      }),
    );
  };
}

// ---------- activities ----------

/** Deepest nesting accepted in an activity (card data is a few levels deep; thousands are an attack). */
const MAX_DEPTH = 64;

const id = z.string().min(1).max(1024);
const account = z.looseObject({ id });
const httpUrl = z
  .string()
  .max(2048)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL');

/**
 * The envelope of a Bot Framework activity, as every channel sends it. Only the fields botbuilder and Elbow
 * read are checked; the rest passes through. Anything else is a broken or hostile client: 400, not a turn.
 */
const ActivityEnvelope = z.looseObject({
  type: z.string().min(1).max(64),
  serviceUrl: httpUrl,
  channelId: z.string().min(1).max(64),
  conversation: z.looseObject({ id }),
  from: account,
  recipient: account,
  id: z.string().max(1024).optional(),
  replyToId: z.string().max(1024).optional(),
  text: z.string().optional(),
  name: z.string().max(256).optional(),
  deliveryMode: z.string().max(64).optional(),
  locale: z.string().max(64).optional(),
  membersAdded: z.array(account).optional(),
  membersRemoved: z.array(account).optional(),
  reactionsAdded: z.array(z.looseObject({ type: z.string() })).optional(),
  reactionsRemoved: z.array(z.looseObject({ type: z.string() })).optional(),
  attachments: z.array(z.looseObject({})).optional(),
  entities: z
    .array(z.looseObject({ type: z.string() }))
    .optional()
    .refine(
      (entities) => (entities ?? []).every((e) => !isMention(e) || (typeof e.text === 'string' && account.safeParse(e.mentioned).success)),
      'a mention needs text and mentioned.id',
    ),
}).refine((a) => typeof a.text === 'string' || !(a.entities ?? []).some(isMention), { message: 'a message with mentions needs text', path: ['text'] });

function isMention(entity: { type: string }): boolean {
  return entity.type.toLowerCase() === 'mention';
}

/** The result of checking a request body as an activity. */
export type ActivityCheck = { ok: true; activity: Record<string, unknown> } | { ok: false; error: string };

/**
 * Checks a parsed body against the activity envelope and makes every string storable: PostgreSQL text and
 * jsonb cannot hold U+0000 or unpaired surrogates, and one such character in a question would otherwise
 * fail every later save of the conversation, its ticket and the analytics batch it sits in.
 */
export function checkActivity(body: unknown): ActivityCheck {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { ok: false, error: 'expected a Bot Framework activity (JSON object)' };
  const clean = storable(body, 0);
  if (clean === TOO_DEEP) return { ok: false, error: `activity nested deeper than ${MAX_DEPTH} levels` };
  const parsed = ActivityEnvelope.safeParse(clean);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: `invalid activity: ${issue.path.join('.') || 'body'}: ${issue.message}` };
  }
  return { ok: true, activity: clean as Record<string, unknown> };
}

const TOO_DEEP = Symbol('too deep');

function storable(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return cleanString(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return TOO_DEEP;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) {
      const clean = storable(item, depth + 1);
      if (clean === TOO_DEEP) return TOO_DEEP;
      out.push(clean);
    }
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const clean = storable(item, depth + 1);
    if (clean === TOO_DEEP) return TOO_DEEP;
    // defineProperty: a "__proto__" key stays plain data instead of becoming the prototype.
    Object.defineProperty(out, cleanString(key), { value: clean, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function cleanString(text: string): string {
  return text.replace(/\u0000/g, '').replace(LONE_SURROGATE, '\uFFFD');
}
