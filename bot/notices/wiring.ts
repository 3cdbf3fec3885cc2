import type { CloudAdapter } from 'botbuilder';
import type { Server } from 'restify';
import type { AnalyticsSink } from '../analytics/events.js';
import type { NoticeDesk } from '../conversation/notice-desk.js';
import type { MutableKnowledgeHolder } from '../knowledge/watch.js';
import { registerNoticeRoutes } from '../web/notices-routes.js';
import type { AppContext } from '../web/context.js';
import { NoticeBoard } from './board.js';
import { createNoticeDesk, notifyFixed } from './desk.js';
import { Monitor, type MonitorTask } from './monitor.js';

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
  register(server: Server): void;
  stop(): Promise<void>;
}

/** Starts the notice board and the background checks; `register` adds the routes. */
export function startNoticesAndAlerts(options: NoticesWiringOptions): NoticesWiring {
  const { ctx, adapter } = options;
  const board = new NoticeBoard(ctx);
  board.start(ctx.config.HOT_RELOAD);
  const tasks: MonitorTask[] = [{ name: 'notice-fixed', run: () => notifyFixed(ctx, board, adapter) }];
  const monitor = new Monitor(tasks, ctx.logger);
  if (options.background) monitor.start();
  return {
    board,
    desk: createNoticeDesk(ctx, board),
    monitor,
    register(server) {
      registerNoticeRoutes(server, ctx, { board, kick: () => monitor.kick() });
    },
    async stop() {
      board.stop();
      await monitor.stop();
    },
  };
}
