/** Who an article is written for. */
export type Role = 'nurse' | 'physician' | 'everyone';
/** The asker's role as Elbow knows it ("other" covers everyone else on staff). */
export type AskerRole = 'nurse' | 'physician' | 'other';

/** One how-to article, validated and parsed from knowledge/articles/<id>.md. */
export interface Article {
  id: string;
  title: string;
  roles: Role[];
  questions: string[];
  tags: string[];
  owner: string;
  /** ISO date (YYYY-MM-DD) of the last content review. */
  reviewed: string;
  escalate?: string;
  urgent: boolean;
  /** The first paragraph of the body: shown on its own when space is short. */
  quickAnswer: string;
  /** The numbered steps under "## Steps", without their numbers. */
  steps: string[];
  /** Role sections ("## For nurses" / "## For physicians"), markdown. */
  roleSections: Partial<Record<'nurse' | 'physician', string>>;
  /** The "## Still stuck?" section, markdown. */
  stillStuck: string;
  /** The whole markdown body. */
  body: string;
  /** Path of the source file, for error messages. */
  file: string;
}

/** Days after which an article counts as stale. */
export const STALE_AFTER_DAYS = 365;

/** True when the article's review date is older than STALE_AFTER_DAYS at `now`. */
export function isStale(article: Pick<Article, 'reviewed'>, now: Date): boolean {
  const reviewed = Date.parse(`${article.reviewed}T00:00:00Z`);
  return now.getTime() - reviewed > STALE_AFTER_DAYS * 86_400_000;
}
