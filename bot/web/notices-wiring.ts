import type { CloudAdapter } from 'botbuilder';
import type { Server } from 'restify';
import type { AnalyticsSink } from '../analytics/events.js';
import type { NoticeDesk } from '../conversation/notice-desk.js';
import type { MutableKnowledgeHolder } from '../knowledge/watch.js';
import { registerAdminNotices } from './admin-notices.js';
import { registerAdminSuggestions } from './admin-suggestions.js';
import { registerNoticeRoutes } from './notices-routes.js';
import type { AppContext } from '../context.js';
import { alertDeliverers, deliverAlerts } from '../notices/alert-delivery.js';
import { NoticeBoard } from '../notices/board.js';
import { createBurstWatch } from '../notices/burst-watch.js';
import { createNoticeDesk, notifyFixed } from '../notices/desk.js';
import { Monitor, type MonitorTask } from '../notices/monitor.js';
import { isoWeek, queueOwnerDigests } from '../notices/owner-digest.js';

/** What the app needs to wire notices and alerts. */
export interface NoticesWiringOptions {
  ctx: AppContext;
  adapter: Pick<CloudAdapter, 'continueConversationAsync'>;
  knowledge: MutableKnowledgeHolder;
  analytics: AnalyticsSink;
  /** Run the background checks (off in tests that drive delivery themselves). */
  background: boolean;
}

/** The running notices part of the app. */
export interface NoticesWiring {
  board: NoticeBoard;
  desk: NoticeDesk;
  monitor: Monitor;
  /** When the burst check last ran (null before the first). */
  burstState: { lastCheck: Date | null };
  register(server: Server): void;
  stop(): Promise<void>;
}

/** Starts the notice board and the background checks; `register` adds the routes. */
export function startNoticesAndAlerts(options: NoticesWiringOptions): NoticesWiring {
  const { ctx, adapter } = options;
  const board = new NoticeBoard(ctx);
  board.start(ctx.config.HOT_RELOAD);
  const deliverers = alertDeliverers(ctx, adapter);
  const bursts = createBurstWatch(ctx, options.analytics, () => ['webhook', 'teams'].filter((c) => deliverers[c]));
  const tasks: MonitorTask[] = [
    { name: 'notice-fixed', run: () => notifyFixed(ctx, board, adapter) },
    { name: 'bursts', run: bursts.run },
    { name: 'owner-digest', run: () => digestOncePerWeek() },
    { name: 'alert-delivery', run: () => deliverAlerts(ctx, deliverers) },
  ];
  // The database keeps digests unique per owner and week; this only spares the queries on every round.
  let digestWeek = '';
  const digestOncePerWeek = async () => {
    const week = isoWeek(ctx.now());
    if (week === digestWeek) return;
    await queueOwnerDigests(ctx);
    digestWeek = week;
  };
  const monitor = new Monitor(tasks, ctx.logger);
  if (options.background) monitor.start();
  return {
    board,
    desk: createNoticeDesk(ctx, board),
    monitor,
    burstState: bursts.state,
    register(server) {
      registerNoticeRoutes(server, ctx, { board, kick: () => monitor.kick() });
      registerAdminNotices(server, ctx, board, bursts.state);
      registerAdminSuggestions(server, ctx, options.knowledge);
    },
    async stop() {
      board.stop();
      await monitor.stop();
    },
  };
}
