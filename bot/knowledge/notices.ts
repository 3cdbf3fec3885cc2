import fs from 'node:fs';
import path from 'node:path';
import matter from 'gray-matter';
import YAML from 'yaml';
import { z } from 'zod';
import type { ArticleProblem } from './load.js';

/** A known issue: while active, answers for its articles show it first ("what to do meanwhile"). */
export interface Notice {
  id: string;
  title: string;
  /** Article ids the issue concerns. */
  articles: string[];
  starts: Date;
  ends: Date;
  /** Units (wards, clinics) affected; empty = everywhere. */
  units: string[];
  /** What to do meanwhile (markdown). */
  body: string;
  source: 'file' | 'api';
}

const isoTime = z
  .union([z.string(), z.date()])
  .transform((v, ctx) => {
    const date = v instanceof Date ? v : /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(v.trim()) ? new Date(v.trim()) : new Date(NaN);
    if (Number.isNaN(date.getTime())) {
      ctx.addIssue({ code: 'custom', message: 'must be an ISO date-time, e.g. 2026-11-30T08:00:00Z' });
      return z.NEVER;
    }
    return date;
  });

/** The fields of a notice, shared by the file front matter and POST /api/notices. */
export const NoticeFieldsSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be kebab-case (a-z, 0-9, single dashes)').max(80),
    title: z.string().trim().min(1, 'must not be empty').max(120, 'must be at most 120 characters'),
    articles: z.array(z.string().trim().min(1)).min(1, 'must list at least one article id').max(20),
    starts: isoTime,
    ends: isoTime,
    units: z.array(z.string().trim().min(1).max(60)).max(50).default([]),
  })
  .refine((n) => n.ends.getTime() > n.starts.getTime(), { path: ['ends'], message: 'must be after starts' });

/** Problems with a notice's article ids (unknown ids), as lint problems. */
export function unknownArticleProblems(file: string, articles: string[], knownIds: ReadonlySet<string>): ArticleProblem[] {
  return articles.filter((id) => !knownIds.has(id)).map((id) => ({ file, field: 'articles', message: `unknown article id "${id}"` }));
}

/** Parses one notice file (front matter + body); returns the notice or the problems (file, field, message). */
export function parseNotice(file: string, text: string, knownIds: ReadonlySet<string>): { notice?: Notice; problems: ArticleProblem[] } {
  let parsed: matter.GrayMatterFile<string>;
  try {
    parsed = matter(text, { engines: { yaml: (source: string) => (YAML.parse(source) ?? {}) as object } });
  } catch (err) {
    return { problems: [{ file, field: 'front matter', message: `is not valid YAML (${(err as Error).message.split('\n')[0]})` }] };
  }
  const fm = NoticeFieldsSchema.safeParse(parsed.data ?? {});
  if (!fm.success) return { problems: fm.error.issues.map((i) => ({ file, field: i.path.join('.') || 'front matter', message: i.message })) };
  const problems = unknownArticleProblems(file, fm.data.articles, knownIds);
  const expectedId = path.basename(file, '.md');
  if (fm.data.id !== expectedId) problems.push({ file, field: 'id', message: `"${fm.data.id}" must equal the file name "${expectedId}"` });
  const body = parsed.content.trim();
  if (!body) problems.push({ file, field: 'body', message: 'must say what to do meanwhile' });
  if (problems.length > 0) return { problems };
  return { notice: { ...fm.data, body, source: 'file' }, problems };
}

/** Loads every knowledge/notices/*.md; a missing directory means no notices. Never throws on bad files. */
export function loadNotices(noticesDir: string, knownIds: ReadonlySet<string>): { notices: Notice[]; problems: ArticleProblem[] } {
  if (!fs.existsSync(noticesDir)) return { notices: [], problems: [] };
  const notices: Notice[] = [];
  const problems: ArticleProblem[] = [];
  for (const name of fs.readdirSync(noticesDir).filter((f) => f.endsWith('.md')).sort()) {
    const file = path.join(noticesDir, name);
    const result = parseNotice(file, fs.readFileSync(file, 'utf8'), knownIds);
    problems.push(...result.problems);
    if (result.notice) notices.push(result.notice);
  }
  return { notices, problems };
}

/** True while `now` is within the notice's time span (and it was not ended early). */
export function isActive(notice: Pick<Notice, 'starts' | 'ends'>, now: Date, endedAt?: Date): boolean {
  const end = endedAt && endedAt < notice.ends ? endedAt : notice.ends;
  return notice.starts.getTime() <= now.getTime() && now.getTime() < end.getTime();
}
