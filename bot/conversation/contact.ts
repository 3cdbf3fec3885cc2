import { TeamsInfo, type TurnContext } from 'botbuilder';
import { withTimeout } from '../timeout.js';

/** How long a ticket waits for the clinician's Teams identity before going without it. */
const LOOKUP_TIMEOUT_MS = 1500;

/** The clinician's Teams identity as the help desk needs it to reach them. */
export interface TeamsContact {
  upn: string | null;
  email: string | null;
}

/**
 * The asker's UPN and email from Teams (TeamsInfo.getMember), or null: outside Teams, when Teams does not
 * answer within the timeout, or when the bot may not read the roster. A ticket never waits long for it.
 * Without credentials (local mode) only a connector on this machine (Emulator, a test connector) can answer,
 * so a remote one is not asked at all.
 */
export async function teamsContact(context: TurnContext, options: { anonymous: boolean; timeoutMs?: number }): Promise<TeamsContact | null> {
  const userId = context.activity.from?.id;
  if (context.activity.channelId !== 'msteams' || !userId) return null;
  if (options.anonymous && !isLoopback(context.activity.serviceUrl)) return null;
  const timeoutMs = options.timeoutMs ?? LOOKUP_TIMEOUT_MS;
  try {
    const member = await withTimeout(TeamsInfo.getMember(context, userId), timeoutMs, 'Teams member lookup');
    const upn = typeof member.userPrincipalName === 'string' && member.userPrincipalName ? member.userPrincipalName : null;
    const email = typeof member.email === 'string' && member.email ? member.email : null;
    return upn || email ? { upn, email } : null;
  } catch {
    return null;
  }
}

function isLoopback(serviceUrl: string | undefined): boolean {
  try {
    const host = new URL(String(serviceUrl)).hostname;
    return host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
  } catch {
    return false;
  }
}
