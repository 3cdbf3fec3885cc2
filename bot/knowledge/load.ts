import fs from 'node:fs';
import path from 'node:path';
import matter from 'gray-matter';
import YAML from 'yaml';
import { z } from 'zod';
import type { Article } from './article.js';
import { parseBody, shareBodyText } from './body.js';

/** One problem found in an article: the file, the field and what is wrong. */
export interface ArticleProblem {
  file: string;
  field: string;
  message: string;
}

/** Thrown when the knowledge base has invalid articles; lists every problem. */
export class KnowledgeError extends Error {
  constructor(readonly problems: ArticleProblem[]) {
    super(
      `Invalid knowledge base (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  ${p.file}: ${p.field}: ${p.message}`).join('\n'),
    );
  }
}

const isoDate = z
  .union([z.string(), z.date()])
  .transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v))
  .refine((v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), {
    message: 'must be a real date written YYYY-MM-DD',
  });

const nonEmpty = z.string().trim().min(1, 'must not be empty');

const FrontMatterSchema = z.object({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be kebab-case (a-z, 0-9, single dashes)'),
  title: nonEmpty.max(120, 'must be at most 120 characters'),
  roles: z.array(z.enum(['nurse', 'physician', 'everyone'])).min(1, 'must list at least one role'),
  questions: z.array(nonEmpty).min(1, 'must list at least one alternate question'),
  tags: z.array(nonEmpty).default([]),
  owner: nonEmpty,
  reviewed: isoDate,
  escalate: z.string().regex(/^[a-z0-9-]+$/, 'must be a queue name (a-z, 0-9, dashes)').optional(),
  urgent: z.boolean().default(false),
});

/** Parses one article file's text; returns the article (or the problems found) and the id its front matter claims. */
export function parseArticle(file: string, text: string): { article?: Article; id?: string; problems: ArticleProblem[] } {
  const problems: ArticleProblem[] = [];
  let parsed: matter.GrayMatterFile<string>;
  try {
    // gray-matter caches by content; passing options avoids a stale cache on hot reload. The YAML 1.2 core schema
    // keeps dates as written, so an impossible "2026-02-30" is reported instead of rolling over to March 2.
    parsed = matter(text, { engines: { yaml: (source: string) => (YAML.parse(source) ?? {}) as object } });
  } catch (err) {
    return { problems: [{ file, field: 'front matter', message: `is not valid YAML (${(err as Error).message.split('\n')[0]})` }] };
  }
  const fm = FrontMatterSchema.safeParse(parsed.data ?? {});
  if (!fm.success) {
    for (const issue of fm.error.issues) {
      problems.push({ file, field: issue.path.join('.') || 'front matter', message: issue.message });
    }
    return { problems };
  }
  const id = fm.data.id;
  const expectedId = path.basename(file, '.md');
  if (id !== expectedId) {
    problems.push({ file, field: 'id', message: `"${id}" must equal the file name "${expectedId}"` });
  }
  const body = parseBody(parsed.content);
  if (!body.quickAnswer) problems.push({ file, field: 'body', message: 'missing the quick-answer paragraph before the first heading' });
  if (body.steps.length === 0) problems.push({ file, field: 'body', message: 'missing a "## Steps" section with a numbered list' });
  if (problems.length > 0) return { id, problems };
  return {
    article: shareBodyText({ ...fm.data, ...body, body: parsed.content.trim(), file }),
    id,
    problems,
  };
}

/** Loads and validates every article in a directory; throws KnowledgeError listing all problems. */
export function loadArticles(articlesDir: string): Article[] {
  if (!fs.existsSync(articlesDir)) {
    throw new KnowledgeError([{ file: articlesDir, field: 'directory', message: 'does not exist' }]);
  }
  const files = fs
    .readdirSync(articlesDir)
    .filter((f) => f.endsWith('.md'))
    .sort();
  const problems: ArticleProblem[] = [];
  const articles: Article[] = [];
  const seen = new Map<string, string>();
  for (const name of files) {
    const file = path.join(articlesDir, name);
    const result = parseArticle(file, fs.readFileSync(file, 'utf8'));
    problems.push(...result.problems);
    // Duplicates are checked on the claimed id, even when the file has other problems too.
    const earlier = result.id === undefined ? undefined : seen.get(result.id);
    if (earlier) problems.push({ file, field: 'id', message: `duplicate id "${result.id}" (also in ${earlier})` });
    else if (result.id !== undefined) seen.set(result.id, file);
    if (result.article && !earlier) articles.push(result.article);
  }
  if (files.length === 0) problems.push({ file: articlesDir, field: 'directory', message: 'contains no .md articles' });
  if (problems.length > 0) throw new KnowledgeError(problems);
  return articles;
}
