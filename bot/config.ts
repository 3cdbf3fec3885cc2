import path from 'node:path';
import { z } from 'zod';

/** Groups of settings, in the order .env.example and the README list them. */
export const SETTING_SECTIONS = ['Server', 'Bot Framework / Teams', 'Login-page chat (Direct Line)', 'Storage', 'Escalation to the help desk', 'Analysts', 'Limits'] as const;
export type SettingSection = (typeof SETTING_SECTIONS)[number];

/** What a setting means, for people: the one place each setting is described (docs are generated from it). */
export interface SettingDoc {
  section: SettingSection;
  description: string;
  /** Shown commented out in .env.example when the setting has no default. */
  example?: string;
  /** The default as people should read it, when the schema's default is not the whole story. */
  defaultText?: string;
}

function setting<T extends z.ZodType>(schema: T, doc: SettingDoc): T {
  return schema.meta({ ...doc }) as T;
}

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() !== '' ? v.trim() : undefined));

const flag = (fallback: 'true' | 'false') =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(fallback)
    .transform((v) => v === 'true' || v === '1');

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone !== '';
  } catch {
    return false;
  }
}

const ConfigSchema = z.object({
  // --- Server
  PORT: setting(z.coerce.number().int().min(0).max(65535).default(3978), {
    section: 'Server',
    description: 'Port the bot listens on (Bot Framework endpoint: POST /api/messages).',
  }),
  HOST: setting(optionalString, {
    section: 'Server',
    description: 'Interface to listen on. Local mode (anonymous) stays on this machine unless set.',
    defaultText: '127.0.0.1 in local mode, else 0.0.0.0',
    example: '0.0.0.0',
  }),
  SHUTDOWN_DRAIN_MS: setting(z.coerce.number().int().min(0).max(30_000).default(1500), {
    section: 'Server',
    description: 'On SIGTERM, milliseconds /readyz reports not-ready while requests are still served, before the port closes.',
  }),
  ALLOWED_HOSTS: setting(
    z
      .string()
      .optional()
      .transform((v) => (v ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean)),
    {
      section: 'Server',
      description:
        'Local mode: Host names accepted besides localhost, 127.0.0.1, [::1] and the PUBLIC_BASE_URL host (comma-separated); any other Host gets 403, so a web page cannot drive the anonymous endpoint through DNS rebinding.',
      example: 'elbow-dev.hospital.example.org',
    },
  ),
  PUBLIC_BASE_URL: setting(optionalString, {
    section: 'Server',
    description: 'Public https address of this bot; used for article links in answer cards.',
    defaultText: 'http://localhost:PORT',
    example: 'https://elbow.hospital.example.org',
  }),
  LOG_LEVEL: setting(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'), {
    section: 'Server',
    description: 'fatal | error | warn | info | debug | trace | silent. Logs are JSON (pino), one line per turn, PHI redacted.',
  }),

  // --- Bot Framework / Teams
  MicrosoftAppId: setting(optionalString, {
    section: 'Bot Framework / Teams',
    description: 'The Azure Bot app id. Unset = local mode (anonymous, /chat on); set = every request needs a valid Bot Framework token (401 otherwise).',
    example: '00000000-0000-0000-0000-000000000000',
  }),
  MicrosoftAppPassword: setting(optionalString, { section: 'Bot Framework / Teams', description: 'The app secret.', example: '' }),
  MicrosoftAppType: setting(z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'), {
    section: 'Bot Framework / Teams',
    description: 'MultiTenant | SingleTenant | UserAssignedMSI.',
  }),
  MicrosoftAppTenantId: setting(optionalString, { section: 'Bot Framework / Teams', description: 'Tenant for SingleTenant / MSI.', example: '' }),
  TEAMS_DEVELOPER_NAME: setting(optionalString, {
    section: 'Bot Framework / Teams',
    description: 'Developer name shown in the Teams app package (npm run teams:package), at most 32 characters.',
    defaultText: 'Elbow',
    example: 'Elbow',
  }),
  ToBotFromChannelOpenIdMetadataUrl: setting(optionalString, {
    section: 'Bot Framework / Teams',
    description: 'Advanced: OpenID metadata for channel tokens (sovereign clouds, or a local test issuer).',
    defaultText: 'Bot Framework public cloud',
    example: '',
  }),
  ToBotFromChannelTokenIssuer: setting(optionalString, {
    section: 'Bot Framework / Teams',
    description: 'Advanced: issuer of channel tokens.',
    defaultText: 'Bot Framework public cloud',
    example: '',
  }),
  ToBotFromEmulatorOpenIdMetadataUrl: setting(optionalString, {
    section: 'Bot Framework / Teams',
    description: 'Advanced: OpenID metadata for Emulator tokens.',
    defaultText: 'Bot Framework public cloud',
    example: '',
  }),

  // --- Login-page chat (Direct Line)
  DIRECT_LINE_SECRET: setting(optionalString, {
    section: 'Login-page chat (Direct Line)',
    description:
      'Direct Line site secrets, comma-separated to rotate (tokens are signed with the first, any one is accepted; at least 16 characters each). Unset = /v3/directline off. The login page\'s backend calls POST /v3/directline/tokens/generate with it.',
    example: '',
  }),
  EMBED_ALLOWED_ORIGINS: setting(optionalString, {
    section: 'Login-page chat (Direct Line)',
    description: 'Origins (scheme://host[:port], comma-separated) whose pages may embed the chat (/embed.js) and call /v3/directline from the browser.',
    example: 'https://ehr-login.hospital.example.org',
  }),
  DIRECT_LINE_TOKEN_TTL_SECONDS: setting(z.coerce.number().int().min(60).max(86_400).default(1800), {
    section: 'Login-page chat (Direct Line)',
    description: 'Lifetime of a Direct Line token; the page refreshes it with POST /v3/directline/tokens/refresh.',
  }),

  // --- Storage
  DATABASE_URL: setting(optionalString, {
    section: 'Storage',
    description: 'PostgreSQL connection string. Unset = embedded PGlite under DATA_DIR (one instance). Set it to run several instances sharing one database.',
    example: 'postgres://elbow:secret@db.hospital.example.org:5432/elbow',
  }),
  DATA_DIR: setting(z.string().default('./data'), { section: 'Storage', description: 'Directory for the embedded database and the serialized search index.' }),
  DATA_DIR_LOCK_WAIT_MS: setting(z.coerce.number().int().min(0).max(120_000).default(15_000), {
    section: 'Storage',
    description:
      'At start-up, how long to wait for another live process on this machine to release DATA_DIR (a restart while the old process still drains) before giving up with "DATA_DIR in use".',
  }),
  KNOWLEDGE_DIR: setting(z.string().default('./knowledge'), {
    section: 'Storage',
    description: 'Directory holding articles/*.md, synonyms.yml and the analysts\' policy files.',
  }),
  HOT_RELOAD: setting(flag('true'), { section: 'Storage', description: 'Re-index when the knowledge directory changes, without a restart (true | false).' }),

  // --- Escalation
  ESCALATION_WEBHOOK_URL: setting(optionalString, {
    section: 'Escalation to the help desk',
    description:
      'Where new tickets are POSTed as JSON (Idempotency-Key: <ticket key>:webhook), retried with backoff until delivered. The body\'s key is a random UUID, unique across deployments; id (ELB-n) is the short number for people, unique only within one database, and may jump by ~32 after a kill -9 on PGlite (sequence caching). With neither this nor SUPPORT_TEAMS_CHANNEL_ID, Elbow promises no contact, gives HELP_DESK_PHONE, and warns at start-up, on /readyz and on /admin.',
    example: 'https://servicedesk.hospital.example.org/api/elbow-tickets',
  }),
  ESCALATION_WEBHOOK_TOKEN: setting(optionalString, { section: 'Escalation to the help desk', description: 'Bearer token sent with the webhook.', example: '' }),
  SUPPORT_TEAMS_CHANNEL_ID: setting(optionalString, {
    section: 'Escalation to the help desk',
    description: 'Teams channel (19:...@thread.tacv2) that receives ticket cards with a "Take it" button; help-desk buttons are honoured only from it.',
    example: '',
  }),
  TICKET_CALLBACK_TOKEN: setting(optionalString, {
    section: 'Escalation to the help desk',
    description: 'Bearer token the service desk uses to call POST /api/tickets/:id/status (unset = callback disabled).',
    example: '',
  }),
  HELP_DESK_PHONE: setting(z.string().default('x4357 (x-HELP)'), {
    section: 'Escalation to the help desk',
    description: 'Shown to clinicians whenever a person is needed or the store is down.',
  }),
  HELP_DESK_HOURS: setting(z.string().default('24/7'), { section: 'Escalation to the help desk', description: 'Shown with the phone number.' }),
  HELP_DESK_TIME_ZONE: setting(z.string().trim().default('UTC').refine(isTimeZone, 'must be an IANA time zone such as America/New_York or UTC'), {
    section: 'Escalation to the help desk',
    description: 'IANA time zone of the times in "my tickets" and ticket status answers (e.g. America/New_York).',
  }),

  // --- Analysts
  ADMIN_TOKEN: setting(optionalString, {
    section: 'Analysts',
    description: 'Token for /admin (unset = dashboard disabled). Use a long random value.',
    example: '',
  }),

  BURST_USERS: setting(z.coerce.number().int().min(2).default(5), {
    section: 'Analysts',
    description: 'Different clinicians landing on one article (or one cluster of unanswered questions) within BURST_MINUTES, well above its usual rate, that count as an outage burst: the help desk gets one alert.',
  }),
  BURST_MINUTES: setting(z.coerce.number().int().min(1).max(24 * 60).default(15), {
    section: 'Analysts',
    description: 'The window of a burst, in minutes.',
  }),
  OWNER_DIGEST_WEBHOOK_URL: setting(optionalString, {
    section: 'Analysts',
    description: 'Where the weekly digest for each article owner ("Not solved" feedback, stale articles) is POSTed as JSON (unset = no digest).',
    example: 'https://teams-webhooks.hospital.example.org/kb-owners',
  }),

  // --- Limits
  RATE_LIMIT_PER_MINUTE: setting(z.coerce.number().int().min(1).default(30), {
    section: 'Limits',
    description: 'Messages per user per minute before a kind "slow down" reply.',
  }),
  MAX_CONCURRENT_TURNS: setting(z.coerce.number().int().min(1).default(64), {
    section: 'Limits',
    description: 'Turns processed at once; up to 4x more wait (at most MAX_QUEUE_WAIT_MS), beyond that 503 + Retry-After.',
  }),
  MAX_QUEUE_WAIT_MS: setting(z.coerce.number().int().min(1).max(60_000).default(5000), {
    section: 'Limits',
    description: 'Longest a turn waits for a slot before it is answered 503 + Retry-After.',
  }),
  SHED_EVENT_LOOP_DELAY_MS: setting(z.coerce.number().int().min(1).default(250), {
    section: 'Limits',
    description: 'Event-loop delay (p99 over the last second) above which new turns are answered 503 at once, so /healthz stays fast.',
  }),
  IDENTITY_TIMEOUT_MS: setting(z.coerce.number().int().min(100).max(60_000).default(5000), {
    section: 'Limits',
    description: "Fetching the identity provider's metadata and signing keys gives up after this (then 503 + Retry-After; known keys keep serving).",
  }),
  CONNECTOR_TIMEOUT_MS: setting(z.coerce.number().int().min(100).max(60_000).default(5000), {
    section: 'Limits',
    description: 'Each outbound Bot Connector call (replies, proactive notices) gives up after this.',
  }),
  MAX_BODY_BYTES: setting(z.coerce.number().int().min(1024).default(256 * 1024), {
    section: 'Limits',
    description: 'Largest request body in bytes (413 above).',
  }),
});

export type RawConfig = z.infer<typeof ConfigSchema>;

/** One setting as documented: name, section, description, default and example. */
export interface SettingInfo extends SettingDoc {
  name: string;
  /** The default as text ('' when there is none). */
  defaultValue: string;
}

/** Every setting with its documentation, in schema order (the source of .env.example and the README table). */
export function describeSettings(): SettingInfo[] {
  return Object.entries(ConfigSchema.shape).map(([name, schema]) => {
    const doc = schema.meta() as SettingDoc | undefined;
    if (!doc) throw new Error(`setting ${name} has no description`);
    const def = (schema as unknown as { _zod: { def: { type: string; defaultValue?: unknown; in?: { _zod: { def: { defaultValue?: unknown } } } } } })._zod.def;
    const raw = def.type === 'default' ? def.defaultValue : def.in?._zod.def.defaultValue;
    return { name, ...doc, defaultValue: raw === undefined ? '' : String(raw) };
  });
}

/** Everything Elbow needs from its environment, validated once. */
export interface Config extends RawConfig {
  /** True when no MicrosoftAppId is set: anonymous activities, /chat enabled. */
  localMode: boolean;
  knowledgeDir: string;
  articlesDir: string;
  dataDir: string;
  publicBaseUrl: string;
  /** DIRECT_LINE_SECRET split; empty = Direct Line off. */
  directLineSecrets: string[];
  /** EMBED_ALLOWED_ORIGINS normalized to URL origins. */
  embedAllowedOrigins: string[];
}

/** Shortest Direct Line secret accepted: it signs tokens, so it must not be guessable. */
const MIN_SECRET_LENGTH = 16;

function listOf(value: string | undefined): string[] {
  return (value ?? '').split(',').map((v) => v.trim()).filter(Boolean);
}

function origins(value: string | undefined): string[] {
  return listOf(value).map((entry) => {
    let url: URL;
    try {
      url = new URL(entry);
    } catch {
      throw new ConfigError(`Invalid configuration: EMBED_ALLOWED_ORIGINS: "${entry}" is not an origin like https://ehr.example.org`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError(`Invalid configuration: EMBED_ALLOWED_ORIGINS: "${entry}" must be http(s)`);
    return url.origin;
  });
}

/** Thrown at start-up when the environment is invalid; names each bad setting. */
export class ConfigError extends Error {}

/** Parses and validates settings from an env-like object (process.env by default). */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`Invalid configuration: ${problems}`);
  }
  const raw = parsed.data;
  const knowledgeDir = path.resolve(raw.KNOWLEDGE_DIR);
  const directLineSecrets = listOf(raw.DIRECT_LINE_SECRET);
  if (directLineSecrets.some((s) => s.length < MIN_SECRET_LENGTH)) {
    throw new ConfigError(`Invalid configuration: DIRECT_LINE_SECRET: each secret needs at least ${MIN_SECRET_LENGTH} characters`);
  }
  return {
    ...raw,
    localMode: !raw.MicrosoftAppId,
    knowledgeDir,
    articlesDir: path.join(knowledgeDir, 'articles'),
    dataDir: path.resolve(raw.DATA_DIR),
    publicBaseUrl: (raw.PUBLIC_BASE_URL ?? `http://localhost:${raw.PORT}`).replace(/\/$/, ''),
    directLineSecrets,
    embedAllowedOrigins: origins(raw.EMBED_ALLOWED_ORIGINS),
  };
}
