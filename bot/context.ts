import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { KnowledgeBase } from './knowledge/knowledge-base.js';
import type { Db } from './store/db.js';

/** The current knowledge base; swapped atomically by hot reload. */
export interface KnowledgeHolder {
  current(): KnowledgeBase;
}

/** What route handlers and the bot share: settings, database, knowledge, logger and clock. */
export interface AppContext {
  config: Config;
  db: Db;
  knowledge: KnowledgeHolder;
  logger: Logger;
  /** Injected clock: tests pass a fake one. */
  now: () => Date;
}

/** What the turn logic may use: everything but the database (state, tickets and analytics reach it through their own parts). */
export type TurnContextDeps = Omit<AppContext, 'db'>;
