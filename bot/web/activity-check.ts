import { z } from 'zod';

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
