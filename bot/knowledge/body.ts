import { marked, type Token, type Tokens } from 'marked';

/** The parts of an article body Elbow shows separately. */
export interface ArticleBody {
  quickAnswer: string;
  steps: string[];
  roleSections: Partial<Record<'nurse' | 'physician', string>>;
  stillStuck: string;
}

/** Splits an article's markdown body into quick answer, steps, role sections and "Still stuck?". */
export function parseBody(markdown: string): ArticleBody {
  const tokens = marked.lexer(markdown);
  const result: ArticleBody = { quickAnswer: '', steps: [], roleSections: {}, stillStuck: '' };
  let section: string | null = null;
  const sectionText = new Map<string, string[]>();
  for (const token of tokens) {
    if (token.type === 'heading') {
      section = (token as Tokens.Heading).text.trim().toLowerCase();
      continue;
    }
    if (section === null) {
      if (!result.quickAnswer && token.type === 'paragraph') result.quickAnswer = (token as Tokens.Paragraph).text.trim();
      continue;
    }
    if (section === 'steps' && token.type === 'list' && (token as Tokens.List).ordered) {
      result.steps.push(...(token as Tokens.List).items.map((item) => item.text.trim()));
      continue;
    }
    const parts = sectionText.get(section) ?? [];
    if (token.type !== 'space') parts.push(rawOf(token));
    sectionText.set(section, parts);
  }
  const text = (name: string) => (sectionText.get(name) ?? []).join('\n\n').trim();
  if (text('for nurses')) result.roleSections.nurse = text('for nurses');
  if (text('for physicians')) result.roleSections.physician = text('for physicians');
  result.stillStuck = text('still stuck?') || text('still stuck');
  return result;
}

function rawOf(token: Token): string {
  return ('raw' in token ? String(token.raw) : '').trim();
}

/**
 * The article with each shown part (quick answer, steps, role sections, "Still stuck?") that appears word for word
 * in its body replaced by a slice of the body: the same text, which V8 keeps as a view into the body instead of a
 * second copy (a 10,000-article base holds ~15 MB of such parts). Changes the article in place and returns it.
 */
export function shareBodyText<T extends ArticleBody & { body: string }>(article: T): T {
  const { body } = article;
  const share = (part: string): string => {
    const at = part ? body.indexOf(part) : -1;
    return at < 0 ? part : body.slice(at, at + part.length);
  };
  article.quickAnswer = share(article.quickAnswer);
  article.steps = article.steps.map(share);
  for (const role of ['nurse', 'physician'] as const) {
    const section = article.roleSections[role];
    if (section !== undefined) article.roleSections[role] = share(section);
  }
  article.stillStuck = share(article.stillStuck);
  return article;
}
