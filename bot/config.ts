import path from 'node:path';
import { z } from 'zod';

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() !== '' ? v.trim() : undefined));

const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  MicrosoftAppId: optionalString,
  MicrosoftAppPassword: optionalString,
  MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
  MicrosoftAppTenantId: optionalString,
  /** Overrides of Bot Framework's token endpoints (sovereign clouds, or a local test issuer). */
  ToBotFromChannelOpenIdMetadataUrl: optionalString,
  ToBotFromChannelTokenIssuer: optionalString,
  ToBotFromEmulatorOpenIdMetadataUrl: optionalString,
  DATABASE_URL: optionalString,
  DATA_DIR: z.string().default('./data'),
  KNOWLEDGE_DIR: z.string().default('./knowledge'),
  ESCALATION_WEBHOOK_URL: optionalString,
  ESCALATION_WEBHOOK_TOKEN: optionalString,
  SUPPORT_TEAMS_CHANNEL_ID: optionalString,
  ADMIN_TOKEN: optionalString,
  TICKET_CALLBACK_TOKEN: optionalString,
  HELP_DESK_PHONE: z.string().default('x4357 (x-HELP)'),
  HELP_DESK_HOURS: z.string().default('24/7'),
  PUBLIC_BASE_URL: optionalString,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HOT_RELOAD: z
    .enum(['true', 'false', '1', '0'])
    .default('true')
    .transform((v) => v === 'true' || v === '1'),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  MAX_CONCURRENT_TURNS: z.coerce.number().int().min(1).default(64),
  /** Largest accepted request body, in bytes (413 above). */
  /** On SIGTERM, how long /readyz fails while requests are still served, before the port closes. */
  SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).max(30_000).default(1500),
  /** Interface to listen on; local mode (no MicrosoftAppId) defaults to 127.0.0.1, otherwise all interfaces. */
  HOST: optionalString,
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(256 * 1024),
  /** Direct Line site secrets (comma-separated, to rotate: tokens are signed with the first, any one is accepted). */
  DIRECT_LINE_SECRET: optionalString,
  /** Origins (scheme://host[:port]) whose pages may embed the chat and call /v3/directline from the browser. */
  EMBED_ALLOWED_ORIGINS: optionalString,
  DIRECT_LINE_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(1800),
});

export type RawConfig = z.infer<typeof ConfigSchema>;

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
