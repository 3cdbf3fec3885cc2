import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import type { Sql } from '../store/db.js';
import { findGaps, type GapCluster } from './gaps.js';
import {
  dailySeries,
  deflectionCounts,
  deflectionRate,
  notHelpfulArticles,
  openTicketReport,
  staleArticles,
  topQuestions,
  type DailySeries,
  type NotHelpfulArticle,
  type OpenTicket,
  type StaleArticle,
  type TopQuestion,
} from './reports.js';
import type { ReportWindow } from './window.js';

/** Everything the analysts' dashboard shows, as one JSON-ready object (also GET /admin/api/summary). */
export interface DashboardSummary {
  window: { since: string; until: string };
  generatedAt: string;
  kpis: {
    questions: number;
    answered: number;
    deflected: number;
    /** 0..1, null without questions. */
    deflectionRate: number | null;
    escalations: number;
    /** null when the tickets table does not exist. */
    openTickets: number | null;
  };
  series: DailySeries;
  topQuestions: TopQuestion[];
  gaps: GapCluster[];
  notHelpful: NotHelpfulArticle[];
  stale: StaleArticle[];
  tickets: OpenTicket[];
}

/** Options of `buildSummary`. */
export interface SummaryOptions {
  window: ReportWindow;
  now: Date;
  /** Rows per table (default 10; gaps 15, tickets 20). */
  limit?: number;
}

/** Runs every report for the dashboard over one window. */
export async function buildSummary(db: Sql, kb: KnowledgeBase, options: SummaryOptions): Promise<DashboardSummary> {
  const { window, now } = options;
  const limit = options.limit ?? 10;
  const counts = await deflectionCounts(db, window);
  const series = await dailySeries(db, window);
  const top = await topQuestions(db, window, limit);
  const gaps = await findGaps(db, kb, window);
  const notHelpful = await notHelpfulArticles(db, window, kb.articles, limit);
  const tickets = await openTicketReport(db, 20);
  return {
    window: { since: window.since.toISOString(), until: window.until.toISOString() },
    generatedAt: now.toISOString(),
    kpis: { ...counts, deflectionRate: deflectionRate(counts), openTickets: tickets ? tickets.count : null },
    series,
    topQuestions: top,
    gaps: gaps.slice(0, Math.max(limit, 15)),
    notHelpful,
    stale: staleArticles(kb.articles, now),
    tickets: tickets?.tickets ?? [],
  };
}
