import type { CloudAdapter } from 'botbuilder';
import type { NoticeDesk } from '../conversation/notice-desk.js';
import type { AppContext } from '../context.js';
import type { NoticeBoard } from './board.js';
import { NOTICE_MESSAGES, noticesText, withNotices } from './cards.js';
import { claimSubscribers, pendingSubscriptionNotices, subscribe } from './store.js';

/** The bot's view of the notice board: decorates answers, lists notices in the greeting, takes subscriptions. */
export function createNoticeDesk(ctx: AppContext, board: NoticeBoard): NoticeDesk {
  return {
    decorate(articleIds, card, fallback) {
      const notices = board.forArticles(articleIds);
      if (notices.length === 0) return { card, fallback };
      return { card: withNotices(card, notices), fallback: `${noticesText(notices)}\n${fallback}` };
    },
    greeting() {
      const active = board.active();
      return active.length ? NOTICE_MESSAGES.greeting(active) : undefined;
    },
    async subscribe(noticeId, userKey, ref) {
      const notice = board.get(noticeId);
      if (!notice || board.isOver(noticeId)) return NOTICE_MESSAGES.unknown;
      await subscribe(ctx.db, noticeId, userKey, ref, ctx.now());
      return NOTICE_MESSAGES.subscribed(notice.title);
    },
  };
}

/**
 * Sends the proactive "fixed" message to every subscriber of a notice that is over, through the same
 * continueConversation path as ticket status updates. Returns how many were told.
 */
export async function notifyFixed(ctx: AppContext, board: NoticeBoard, adapter: Pick<CloudAdapter, 'continueConversationAsync'>): Promise<number> {
  let told = 0;
  for (const noticeId of await pendingSubscriptionNotices(ctx.db)) {
    if (!board.isOver(noticeId)) continue;
    const title = board.get(noticeId)?.title ?? noticeId;
    for (const ref of await claimSubscribers(ctx.db, noticeId, ctx.now())) {
      try {
        await adapter.continueConversationAsync(ctx.config.MicrosoftAppId ?? '', ref, async (context) => {
          await context.sendActivity(NOTICE_MESSAGES.fixed(title));
        });
        told += 1;
      } catch (err) {
        ctx.logger.warn({ noticeId, err: (err as Error).message }, 'could not tell a clinician a notice is fixed');
      }
    }
  }
  return told;
}
