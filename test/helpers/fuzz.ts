import fc from 'fast-check';
import type { Article } from '../../bot/knowledge/article.js';

/**
 * fast-check arbitraries for hostile input: what a confused, careless or malicious client could send to Elbow.
 * Used by the property tests of the pure functions and by the HTTP fuzz test.
 */

/** Strings that have broken chat bots, search engines and templating before. */
export const NASTY_STRINGS = [
  '',
  ' ',
  '\n\n\t\r',
  'patient:list^10 +foo -bar~2 *',
  '*',
  '~',
  '^',
  ':',
  '+',
  '-',
  'title:* body:~ +-^:',
  '"unterminated',
  "'; DROP TABLE tickets; --",
  "' OR '1'='1",
  '1; SELECT pg_sleep(10)',
  '$1 $2 $$',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<at>Elbow</at>',
  '<at>unterminated mention',
  '<at></at><at></at>',
  '&lt;script&gt;&amp;&#39;&nbsp;',
  '{{user.name}} ${process.exit()} #{7*7} <%= 7*7 %>',
  '${jndi:ldap://127.0.0.1/a}',
  '../../../../etc/passwd',
  '%s%s%s%n%x',
  '\u0000\u0001\u0007\u001b[31m',
  '\u202e\u0644\u0627 \u05e9\u05dc\u05d5\u05dd mixed RTL \u202d',
  'مرحبا كيف يمكنني إعادة تعيين كلمة المرور',
  'שלום, הסורק לא קורא את הצמיד',
  '病人列表不完整 患者リスト',
  '👩‍⚕️🏥💉🩺 scanner 🙃',
  '👍',
  '\ufeffBOM first',
  '\ud800 lone surrogate \udfff',
  'Z̸̢̧̛̛͇̗a̴̡̛͈͠l̵̢̛g̶̢͝o̷̢̧͝ printer',
  'a'.repeat(5000),
  'why '.repeat(400),
  'talk to a person',
  'pt John Smith MRN 12345678 DOB 01/02/1960 phone 555-123-4567 cannot print',
  'what is the dose of heparin',
  'EPIC IS DOWN code blue stat',
  'null',
  'undefined',
  'NaN',
  '[object Object]',
  '__proto__',
  'constructor',
  '{"action":"feedback"}',
] as const;

/** Any hostile text: known nasty strings, random unicode, graphemes, control characters, mixtures, long messages. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 120 }) },
  { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom(...':^~+-*"\\<>/&;%$#@!(){}[]|`\'\u0000\n\t '), maxLength: 60 }) },
  {
    weight: 3,
    arbitrary: fc
      .array(fc.oneof(fc.constantFrom(...NASTY_STRINGS), fc.constantFrom('patient', 'list', 'printer', 'password', 'scanner', 'order', 'pt', 'Mr.'), fc.string({ maxLength: 12 })), { maxLength: 12 })
      .map((parts) => parts.join(' ')),
  },
  { weight: 1, arbitrary: fc.integer({ min: 1000, max: 20_000 }).map((n) => 'how do I print the wristband '.repeat(Math.ceil(n / 29)).slice(0, n)) },
);

/** JSON values of any shape, including deep and wide ones. */
export const garbageValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  { weight: 1, arbitrary: fc.integer({ min: 10, max: 50 }).map((depth) => nest(depth)) },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 3000 }).map((width) => Object.fromEntries(Array.from({ length: width }, (_, i) => [`k${i}`, 'v'.repeat(i % 17)]))) },
  { weight: 1, arbitrary: fc.constantFrom(null, 42, -1, 1e308, true, 'string', '', [], {}, JSON.parse('{"__proto__":{"polluted":true}}'), { constructor: { prototype: { polluted: true } } }) },
);

function nest(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { deeper: value };
  return value;
}

const ACTIONS = ['role', 'feedback', 'escalate', 'pick', 'none-of-these', 'whats-new', 'my-tickets'] as const;

/** Card-submit values: ours with garbage fields, and values that are not ours at all. */
export const cardSubmitValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.record(
    {
      action: fc.oneof(fc.constantFrom(...ACTIONS), fc.string(), fc.integer(), fc.constant(null)),
      role: fc.oneof(fc.constantFrom('nurse', 'physician', 'other', 'admin', ''), garbageValue),
      value: fc.oneof(fc.constantFrom('solved', 'not-solved', 'maybe'), garbageValue),
      articleId: fc.oneof(fc.constantFrom('patient-list-incomplete', 'no-such-article', '../../etc/passwd', 'x'.repeat(500)), hostileText, garbageValue),
      turnId: fc.oneof(fc.string(), garbageValue),
    },
    { requiredKeys: [] },
  ),
  garbageValue,
);

const ACTIVITY_TYPES = [
  'message', 'conversationUpdate', 'invoke', 'messageReaction', 'installationUpdate', 'event', 'typing', 'endOfConversation',
  'deleteUserData', 'messageUpdate', 'messageDelete', 'contactRelationUpdate', 'handoff', 'trace', 'command', 'unknownType',
] as const;

/** Options for `hostileActivity`. */
export interface HostileActivityOptions {
  /** serviceUrl for most activities (a local fake connector). */
  serviceUrl: string;
}

const validAccount = (prefix: string) => fc.uuid().map((id) => ({ id: `${prefix}:${id}`, name: 'Fuzz Clinician', aadObjectId: id }));
const invokeNames = fc.constantFrom(
  'adaptiveCard/action', 'composeExtension/query', 'task/fetch', 'task/submit', 'signin/verifyState', 'signin/tokenExchange',
  'healthCheck', 'application/search', 'config/fetch', 'actionableMessage/executeAction', 'fileConsent/invoke', 'unknown/thing',
);

/**
 * Activities whose envelope is well formed (as any channel sends it) but whose content is hostile: any activity
 * type, any text, garbage card values, attachments, entities and members. This is what reaches the turn logic.
 */
export function hostileContentActivity({ serviceUrl }: HostileActivityOptions): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .record(
      {
        type: fc.oneof({ weight: 10, arbitrary: fc.constant('message') }, { weight: 6, arbitrary: fc.constantFrom(...ACTIVITY_TYPES) }, { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 20 }) }),
        id: fc.oneof(fc.uuid(), fc.string({ maxLength: 300 })),
        timestamp: fc.oneof(fc.constant(new Date().toISOString()), fc.constantFrom('not a date', '9999-99-99T99:99:99Z')),
        serviceUrl: fc.oneof({ weight: 12, arbitrary: fc.constant(serviceUrl) }, { weight: 1, arbitrary: fc.constant('http://127.0.0.1:1/') }),
        channelId: fc.constantFrom('msteams', 'webchat', 'directline', 'emulator', 'test', 'slack', 'sms'),
        from: validAccount('29'),
        recipient: fc.constant({ id: '28:elbow-bot', name: 'Elbow' }),
        conversation: fc.oneof(
          fc.uuid().map((id) => ({ id: `a:${id}`, conversationType: 'personal', tenantId: 'tenant' })),
          fc.constant({ id: '19:general@thread.tacv2;messageid=1', conversationType: 'channel', isGroup: true }),
          fc.uuid().map((id) => ({ id: `19:${id}@thread.v2`, conversationType: 'groupChat', isGroup: true })),
        ),
        text: hostileText,
        textFormat: fc.constantFrom('plain', 'markdown', 'xml'),
        locale: fc.constantFrom('en-US', 'ar-SA', 'he-IL', 'zz', ''),
        value: fc.oneof({ weight: 3, arbitrary: cardSubmitValue }, { weight: 1, arbitrary: garbageValue }),
        attachments: fc.array(
          fc.record({ contentType: fc.oneof(fc.constantFrom('image/png', 'application/vnd.microsoft.card.adaptive', 'text/html'), fc.string()), contentUrl: fc.constantFrom('http://127.0.0.1:1/x.png', 'not a url'), content: garbageValue }, { requiredKeys: [] }),
          { maxLength: 3 },
        ),
        entities: fc.oneof(
          fc.constant([{ type: 'mention', mentioned: { id: '28:elbow-bot', name: 'Elbow' }, text: '<at>Elbow</at>' }]),
          fc.array(fc.record({ type: fc.constantFrom('mention', 'clientInfo', 'other'), mentioned: validAccount('28'), text: hostileText }), { maxLength: 3 }),
        ),
        channelData: fc.oneof(fc.constant({ tenant: { id: 'tenant' } }), garbageValue),
        membersAdded: fc.array(fc.oneof(validAccount('29'), fc.constant({ id: '28:elbow-bot' })), { maxLength: 4 }),
        membersRemoved: fc.array(validAccount('29'), { maxLength: 2 }),
        name: fc.oneof(invokeNames, fc.string({ maxLength: 40 })),
        action: fc.constantFrom('add', 'remove', 'add-upgrade'),
        reactionsAdded: fc.array(fc.record({ type: fc.oneof(fc.constantFrom('like', 'heart'), fc.string()) }), { maxLength: 3 }),
        replyToId: fc.uuid(),
        deliveryMode: fc.oneof({ weight: 12, arbitrary: fc.constant('expectReplies') }, { weight: 1, arbitrary: fc.constantFrom('normal', 'notification', 'ExpectReplies') }),
      },
      { requiredKeys: ['type', 'serviceUrl', 'channelId', 'from', 'recipient', 'conversation', 'deliveryMode'] },
    )
    .map((a) => {
      // Channels only send mention entities with the text that contains them.
      if (a.text === undefined) delete a.entities;
      return a;
    });
}

/** Activities whose envelope itself is broken: missing or wrong-typed fields anywhere (text: 42, from: null …). */
export function brokenEnvelopeActivity({ serviceUrl }: HostileActivityOptions): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .tuple(
      hostileContentActivity({ serviceUrl }),
      fc.constantFrom('type', 'id', 'serviceUrl', 'channelId', 'from', 'recipient', 'conversation', 'text', 'value', 'attachments', 'entities', 'membersAdded', 'reactionsAdded', 'name', 'deliveryMode', 'locale', 'replyToId'),
      fc.oneof(
        fc.constantFrom(undefined, null, 42, -1, true, '', 'string', [], {}, { id: 42 }, { id: null }, [null], [42], ['x'], [{ type: 'mention' }], [{ type: 'Mention', text: 'x' }], 'not a url', 'file:///etc/passwd', 'javascript:alert(1)', nest(100)),
        garbageValue,
      ),
    )
    .map(([activity, field, junk]) => {
      const broken: Record<string, unknown> = { ...activity };
      if (junk === undefined) delete broken[field];
      else broken[field] = junk;
      return broken;
    });
}

/** Hostile activities: mostly well-formed envelopes with hostile content, some with a broken envelope. */
export function hostileActivity(options: HostileActivityOptions): fc.Arbitrary<Record<string, unknown>> {
  return fc.oneof({ weight: 4, arbitrary: hostileContentActivity(options) }, { weight: 1, arbitrary: brokenEnvelopeActivity(options) });
}

/** A card click as Teams sends it: a message with no text and our (or a garbage) value. */
export function cardClickActivity(serviceUrl: string): fc.Arbitrary<Record<string, unknown>> {
  return fc.tuple(fc.uuid(), cardSubmitValue).map(([user, value]) => ({
    type: 'message',
    id: `click-${user}`,
    serviceUrl,
    channelId: 'msteams',
    from: { id: `29:${user}`, name: 'Fuzz Clinician' },
    recipient: { id: '28:elbow-bot', name: 'Elbow' },
    conversation: { id: `a:${user}`, conversationType: 'personal' },
    value,
    deliveryMode: 'expectReplies',
  }));
}

const kebab = fc
  .array(fc.stringMatching(/^[a-z0-9]{1,8}$/), { minLength: 1, maxLength: 6 })
  .map((parts) => parts.join('-'));

/** Articles with random (valid-typed) content: any text in titles, steps and sections. */
export const randomArticle: fc.Arbitrary<Article> = fc.record({
  id: kebab,
  title: hostileText,
  roles: fc.subarray(['nurse', 'physician', 'everyone'] as const, { minLength: 1 }).map((r) => [...r]),
  questions: fc.array(hostileText, { maxLength: 4 }),
  tags: fc.array(fc.string({ maxLength: 20 }), { maxLength: 4 }),
  owner: fc.constantFrom('clinical-apps-team', 'it-service-desk'),
  reviewed: fc.date({ min: new Date('2000-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  escalate: fc.option(fc.constantFrom('clinical-apps', 'service-desk'), { nil: undefined }),
  urgent: fc.boolean(),
  quickAnswer: hostileText,
  steps: fc.array(hostileText, { maxLength: 12 }),
  roleSections: fc.record({ nurse: hostileText, physician: hostileText }, { requiredKeys: [] }),
  stillStuck: hostileText,
  body: hostileText,
  file: kebab.map((id) => `knowledge/articles/${id}.md`),
});
