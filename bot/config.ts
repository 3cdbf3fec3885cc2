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
  /** On SIGTERM, how long /readyz fails while requests are still served, before the port closes. */
  SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).max(30_000).default(1500),
  /** Interface to listen on; local mode (no MicrosoftAppId) defaults to 127.0.0.1, otherwise all interfaces. */
  HOST: optionalString,
  /** Largest accepted request body, in bytes (413 above). */
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(256 * 1024),
  /** Longest a turn waits for a slot before it is answered 503 + Retry-After. */
  MAX_QUEUE_WAIT_MS: z.coerce.number().int().min(1).max(60_000).default(5000),
  /** Event-loop delay (p99 over the last second) above which new turns are answered 503 at once. */
  SHED_EVENT_LOOP_DELAY_MS: z.coerce.number().int().min(1).default(250),
  /** Fetching the identity provider's metadata and signing keys gives up after this (then 503 + Retry-After). */
  IDENTITY_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  /** Each outbound Bot Connector call (replies, proactive notices) gives up after this. */
  CONNECTOR_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  /** Local mode: extra Host names accepted besides localhost, 127.0.0.1 and [::1] (comma-separated). */
  ALLOWED_HOSTS: z
    .string()
    .optional()
    .transform((v) => (v ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean)),
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
  return {
    ...raw,
    localMode: !raw.MicrosoftAppId,
    knowledgeDir,
    articlesDir: path.join(knowledgeDir, 'articles'),
    dataDir: path.resolve(raw.DATA_DIR),
    publicBaseUrl: (raw.PUBLIC_BASE_URL ?? `http://localhost:${raw.PORT}`).replace(/\/$/, ''),
  };
}
