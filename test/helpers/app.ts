import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../../bot/config.js';
import { createApp, type App, type AppOverrides } from '../../bot/app.js';
import { openKnowledgeBase } from '../../bot/knowledge/knowledge-base.js';
import { freshDataDir } from './engines.js';

/** A running app on a free port with its own temp DATA_DIR, plus helpers to talk to it. */
export interface TestApp extends App {
  dataDir: string;
  /** Posts an activity with deliveryMode expectReplies and returns the HTTP status and reply activities. */
  send(activity: Record<string, unknown>): Promise<{ status: number; activities: Array<Record<string, any>> }>;
  stop(): Promise<void>;
}

/** Starts Elbow for a test: local mode, silent logs, no hot reload unless asked; env overrides config. */
export async function startTestApp(env: Record<string, string> = {}, overrides: AppOverrides = {}): Promise<TestApp> {
  // A pre-migrated PGlite copy: a fresh PGlite initdb costs seconds per app.
  const dataDir = env.DATA_DIR ?? (await freshDataDir()).dir;
  const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', HOT_RELOAD: 'false', KNOWLEDGE_DIR: KNOWLEDGE, ...env, DATA_DIR: dataDir });
  if (!env.DATA_DIR && config.knowledgeDir === KNOWLEDGE) fs.copyFileSync(repositoryIndex(), path.join(dataDir, 'kb-index.json'));
  const app = await createApp(config, { host: '127.0.0.1', ...overrides });
  const send = async (activity: Record<string, unknown>) => {
    const res = await fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ deliveryMode: 'expectReplies', ...activity }),
    });
    const raw = await res.text();
    const body = res.status === 200 && raw ? (JSON.parse(raw) as { activities?: Array<Record<string, any>> }) : {};
    return { status: res.status, activities: body.activities ?? [] };
  };
  const stop = async () => {
    await app.close();
    if (!env.DATA_DIR) fs.rmSync(dataDir, { recursive: true, force: true });
  };
  return Object.assign(app, { dataDir, send, stop });
}

const KNOWLEDGE = path.resolve('knowledge');
let builtIndex: string | undefined;

/**
 * The repository knowledge's serialized index, built once per process. Copied into a fresh DATA_DIR, it lets the
 * app load its index (~0.2 s of CPU) instead of building it (~0.6 s); the app still checks it is current (newer
 * than every article, same source hash) and rebuilds otherwise. Tests of the build itself use their own DATA_DIR.
 */
function repositoryIndex(): string {
  if (!builtIndex) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'elbow-kb-index-'));
    process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    builtIndex = path.join(dir, 'kb-index.json');
    openKnowledgeBase(KNOWLEDGE, builtIndex);
  }
  return builtIndex;
}

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

/** A Teams-shaped message activity (personal chat unless `channel` is set). */
export function teamsMessage(text: string | undefined, opts: { user?: string; name?: string; channel?: boolean; value?: unknown; mention?: boolean } = {}): Record<string, unknown> {
  const user = opts.user ?? `29:${randomUUID()}`;
  const conversation = opts.channel
    ? { id: '19:general@thread.tacv2;messageid=1700000000000', conversationType: 'channel', isGroup: true, tenantId: TENANT }
    : { id: `a:${user}`, conversationType: 'personal', tenantId: TENANT };
  const withMention = text !== undefined && (opts.mention ?? opts.channel);
  return {
    type: 'message',
    id: `1700000${Math.floor(Math.random() * 1e6)}`,
    timestamp: new Date().toISOString(),
    serviceUrl: 'https://smba.trafficmanager.net/amer/',
    channelId: 'msteams',
    from: { id: user, name: opts.name ?? 'Test Clinician', aadObjectId: randomUUID() },
    conversation,
    recipient: { id: '28:elbow-bot', name: 'Elbow' },
    ...(text !== undefined ? { text: withMention ? `<at>Elbow</at> ${text}` : text, textFormat: 'plain' } : {}),
    ...(opts.value !== undefined ? { value: opts.value } : {}),
    locale: 'en-US',
    entities: withMention ? [{ type: 'mention', mentioned: { id: '28:elbow-bot', name: 'Elbow' }, text: '<at>Elbow</at>' }] : [],
    channelData: opts.channel
      ? { tenant: { id: TENANT }, teamsChannelId: '19:general@thread.tacv2', teamsTeamId: '19:team@thread.tacv2', channel: { id: '19:general@thread.tacv2' }, team: { id: '19:team@thread.tacv2' } }
      : { tenant: { id: TENANT } },
  };
}

/** The Adaptive Cards in a list of reply activities. */
export function cardsOf(activities: Array<Record<string, any>>): Array<Record<string, any>> {
  return activities.flatMap((a) => (a.attachments ?? []).filter((x: any) => x.contentType === 'application/vnd.microsoft.card.adaptive').map((x: any) => x.content));
}

/** All visible text in replies (message text and card TextBlocks / action titles). */
export function textOf(activities: Array<Record<string, any>>): string {
  const parts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (typeof o.text === 'string') parts.push(o.text);
      if (typeof o.title === 'string') parts.push(o.title);
      Object.values(o).forEach(walk);
    }
  };
  activities.forEach((a) => { if (typeof a.text === 'string') parts.push(a.text); walk(a.attachments); });
  return parts.join('\n');
}
