import type { ConversationReference } from 'botbuilder';
import type { AdaptiveCard } from './cards.js';

/** What the bot needs from known-issue notices (implemented in bot/notices/desk.ts). */
export interface NoticeDesk {
  /** The card (and its plain-text fallback) with the active notices for these articles first. */
  decorate(articleIds: string[], card: AdaptiveCard, fallback: string): { card: AdaptiveCard; fallback: string };
  /** A line listing the active notices for the greeting, or undefined when there are none. */
  greeting(): string | undefined;
  /** "Tell me when it's fixed": remembers the clinician's conversation; resolves to the reply. */
  subscribe(noticeId: string, userKey: string, ref: Partial<ConversationReference>): Promise<string>;
}
