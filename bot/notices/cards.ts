import type { AdaptiveCard, CardAction, CardElement } from '../adaptive-card.js';
import type { Notice } from '../knowledge/notices.js';

/** What the "Tell me when it's fixed" button sends back. */
export interface SubscribeValue {
  action: 'notice.subscribe';
  noticeId: string;
}

/** Label of the opt-in button. */
export const SUBSCRIBE_TITLE = "Tell me when it's fixed";

/** The words Elbow uses about notices. */
export const NOTICE_MESSAGES = {
  subscribed: (title: string) => `OK, I'll tell you here when "${title}" is fixed.`,
  unknown: 'That known issue is already over. If the problem is still there, ask me again or talk to a person.',
  fixed: (title: string) => `Good news: "${title}" is fixed. If it still isn't working for you, ask me again or talk to a person.`,
  greeting: (notices: Notice[]) => `Known issues right now:\n${notices.map((n) => `- **${n.title}**`).join('\n')}`,
};

function unitsNote(notice: Notice): string {
  return notice.units.length ? ` (${notice.units.join(', ')})` : '';
}

/** The warning container shown at the top of a card while a notice is active. */
export function noticeContainer(notice: Notice): CardElement {
  return {
    type: 'Container',
    style: 'warning',
    items: [
      { type: 'TextBlock', text: `Known issue: ${notice.title}${unitsNote(notice)}`, weight: 'Bolder', wrap: true },
      { type: 'TextBlock', text: notice.body, wrap: true },
    ],
  };
}

/** A card with the notices first and one "Tell me when it's fixed" button per notice. */
export function withNotices(card: AdaptiveCard, notices: Notice[]): AdaptiveCard {
  if (notices.length === 0) return card;
  const subscribe: CardAction[] = notices.map((n) => ({
    type: 'Action.Submit',
    title: notices.length === 1 ? SUBSCRIBE_TITLE : `${SUBSCRIBE_TITLE}: ${n.title}`.slice(0, 80),
    data: { action: 'notice.subscribe', noticeId: n.id } satisfies SubscribeValue,
  }));
  return { ...card, body: [...notices.map(noticeContainer), ...card.body], actions: [...subscribe, ...(card.actions ?? [])] };
}

/** The plain-text form of the notices, put before the answer on channels without cards. */
export function noticesText(notices: Notice[]): string {
  return notices.map((n) => `**Known issue: ${n.title}${unitsNote(n)}**\n${n.body}\n`).join('\n');
}
