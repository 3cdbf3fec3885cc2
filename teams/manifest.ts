import type { TeamsManifestV1D30 } from '@microsoft/app-manifest';

/** The Teams app manifest shape Elbow targets (schema v1.30, the newest non-preview one in @microsoft/app-manifest). */
export type TeamsManifest = TeamsManifestV1D30.TeamsManifestV1D30;

/** Manifest schema version and the URL of its JSON schema. */
export const MANIFEST_VERSION = '1.30';
export const MANIFEST_SCHEMA_URL = `https://developer.microsoft.com/en-us/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`;

/** Used as app id and bot id when MicrosoftAppId is not set; Teams rejects it on upload, so callers warn. */
export const PLACEHOLDER_APP_ID = '00000000-0000-0000-0000-000000000000';
export const DEFAULT_PUBLIC_BASE_URL = 'https://elbow.example.org';
export const ACCENT_COLOR = '#0E7C86';
export const ICON_FILES = { color: 'color.png', outline: 'outline.png' } as const;

/** Bot scopes: personal chat, team channels and group chats. */
export const BOT_SCOPES = ['personal', 'team', 'groupChat'] as const;

/** The commands Teams suggests, each with a sample question (titles stay within the 32 characters older clients show). */
export const COMMANDS: ReadonlyArray<{ title: string; description: string }> = [
  { title: 'Patient list incomplete', description: 'Ask: "why is my patient list incomplete"' },
  { title: 'Reset my password', description: 'Ask: "reset my password" when you are locked out of the EHR' },
  { title: "Dispensing cabinet won't open", description: 'Ask: "dispensing cabinet won\'t open"' },
  { title: 'Talk to a person', description: 'Hand off to the help desk with this conversation attached' },
  { title: "What's new", description: 'See new and recently updated how-to articles' },
  { title: 'Change my role', description: 'Switch between nurse, physician and other, so the steps fit you' },
];

const GUID = /^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/i;

/** The settings the manifest reads; everything else in the environment is ignored. */
export interface ManifestEnv {
  MicrosoftAppId?: string;
  PUBLIC_BASE_URL?: string;
  TEAMS_DEVELOPER_NAME?: string;
}

/** Builds the Teams app manifest from settings and the app version (pure; throws on a malformed app id or URL). */
export function buildManifest(env: ManifestEnv, version: string): TeamsManifest {
  const appId = env.MicrosoftAppId?.trim() || PLACEHOLDER_APP_ID;
  if (!GUID.test(appId)) throw new Error(`MicrosoftAppId must be a GUID, got "${appId}"`);
  const base = publicBaseUrl(env);
  return {
    $schema: MANIFEST_SCHEMA_URL,
    manifestVersion: MANIFEST_VERSION,
    version,
    id: appId,
    developer: {
      name: env.TEAMS_DEVELOPER_NAME?.trim() || 'Elbow',
      websiteUrl: base.href.replace(/\/$/, ''),
      privacyUrl: new URL('privacy', base).href,
      termsOfUseUrl: new URL('terms', base).href,
    },
    name: { short: 'Elbow', full: 'Elbow – EHR help at your elbow' },
    description: {
      short: "Answers to clinicians' EHR how-to questions, with a help-desk handoff",
      full:
        "Answers clinicians' EHR how-to questions from curated articles and hands off to the help desk with the conversation attached. " +
        'Never gives clinical advice.',
    },
    icons: { ...ICON_FILES },
    accentColor: ACCENT_COLOR,
    bots: [
      {
        botId: appId,
        scopes: [...BOT_SCOPES],
        supportsFiles: false,
        isNotificationOnly: false,
        // One command list per scope, as the schema recommends.
        commandLists: BOT_SCOPES.map((scope) => ({ scopes: [scope], commands: COMMANDS.map((c) => ({ ...c })) })),
      },
    ],
    validDomains: [base.hostname],
  };
}

/** PUBLIC_BASE_URL as a URL with a trailing slash (so relative paths append), or the example default. */
function publicBaseUrl(env: ManifestEnv): URL {
  const raw = env.PUBLIC_BASE_URL?.trim() || DEFAULT_PUBLIC_BASE_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`PUBLIC_BASE_URL is not a URL: "${raw}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`PUBLIC_BASE_URL must be http(s): "${raw}"`);
  url.search = '';
  url.hash = '';
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}
