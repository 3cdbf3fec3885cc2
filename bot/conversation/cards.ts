import { adaptiveCard, type AdaptiveCard, type CardAction, type CardElement } from '../adaptive-card.js';
import type { AskerRole, Article } from '../knowledge/article.js';

export type { AdaptiveCard, CardAction, CardElement };

/** What a card button sends back (Action.Submit data / messageBack value). */
export type CardValue =
  | { action: 'role'; role: AskerRole }
  | { action: 'feedback'; value: 'solved' | 'not-solved'; articleId: string; turnId: string }
  | { action: 'escalate'; articleId?: string }
  | { action: 'pick'; articleId: string }
  | { action: 'none-of-these' }
  | { action: 'whats-new' }
  | { action: 'my-tickets' }
  | { action: 'ticket.take'; ticketId: string }
  | { action: 'notice.subscribe'; noticeId: string };


function text(value: string, extra: Record<string, unknown> = {}): CardElement {
  return { type: 'TextBlock', text: value, wrap: true, ...extra };
}

function submit(title: string, data: CardValue, style?: 'positive' | 'destructive'): CardAction {
  return { type: 'Action.Submit', title, data, ...(style ? { style } : {}) };
}

/** Labels of the three answer actions, shared with the plain-text fallback. */
export const ANSWER_ACTIONS = { solved: 'Solved', notSolved: 'Not solved', person: 'Talk to a person' } as const;

/** Options for an answer card. */
export interface AnswerCardOptions {
  role?: AskerRole;
  articleUrl: string;
  turnId: string;
  urgent: boolean;
  helpDeskPhone: string;
}

/** The role section for the asker first, then the other role's section. */
export function orderedRoleSections(article: Article, role?: AskerRole): Array<{ role: 'nurse' | 'physician'; text: string }> {
  const order: Array<'nurse' | 'physician'> = role === 'physician' ? ['physician', 'nurse'] : ['nurse', 'physician'];
  return order.flatMap((r) => (article.roleSections[r] ? [{ role: r, text: article.roleSections[r] as string }] : []));
}

/** An article answer: title, quick answer, numbered steps, the asker's role section, link, and the three actions. */
export function answerCard(article: Article, options: AnswerCardOptions): AdaptiveCard {
  const body: CardElement[] = [];
  if (options.urgent) {
    body.push({
      type: 'Container',
      style: 'attention',
      items: [text(`**Urgent?** If a patient is waiting, choose Talk to a person now or call the help desk at ${options.helpDeskPhone}.`)],
    });
  }
  body.push(text(article.title, { size: 'Large', weight: 'Bolder' }));
  body.push(text(article.quickAnswer));
  if (article.steps.length > 0) {
    body.push(text('Steps', { weight: 'Bolder', spacing: 'Medium' }));
    article.steps.forEach((step, i) => body.push(text(`${i + 1}. ${step}`, { spacing: 'Small' })));
  }
  const sections = orderedRoleSections(article, options.role);
  const mine = options.role === 'nurse' || options.role === 'physician' ? sections.filter((s) => s.role === options.role) : sections;
  for (const section of mine) {
    body.push(text(section.role === 'nurse' ? 'For nurses' : 'For physicians', { weight: 'Bolder', spacing: 'Medium' }));
    body.push(text(section.text));
  }
  body.push(text('Did this fix it?', { weight: 'Bolder', spacing: 'Medium', isSubtle: true }));
  const base = { articleId: article.id, turnId: options.turnId };
  return adaptiveCard(body, [
    submit(ANSWER_ACTIONS.solved, { action: 'feedback', value: 'solved', ...base }, 'positive'),
    submit(ANSWER_ACTIONS.notSolved, { action: 'feedback', value: 'not-solved', ...base }),
    submit(ANSWER_ACTIONS.person, { action: 'escalate', articleId: article.id }, options.urgent ? 'destructive' : undefined),
    { type: 'Action.OpenUrl', title: 'Open full article', url: options.articleUrl },
  ]);
}

/** "Did you mean…": up to three article buttons and "None of these". */
export function clarifyCard(articles: Article[]): AdaptiveCard {
  return adaptiveCard(
    [text('Did you mean one of these?', { weight: 'Bolder' }), text('Pick the closest one and I will show the steps.', { isSubtle: true })],
    [
      ...articles.slice(0, 3).map((a) => submit(a.title, { action: 'pick', articleId: a.id })),
      submit('None of these', { action: 'none-of-these' }),
    ],
  );
}

/** The role question of first contact. */
export function roleCard(greeting: string): AdaptiveCard {
  return adaptiveCard(
    [text(greeting), text('So I can show the steps that fit you: what is your role?', { weight: 'Bolder' })],
    [
      submit('Nurse', { action: 'role', role: 'nurse' }),
      submit('Physician', { action: 'role', role: 'physician' }),
      submit('Other', { action: 'role', role: 'other' }),
    ],
  );
}

/** The offer of a person, with the help-desk phone number for when it cannot wait. */
export function escalationOfferCard(message: string, helpDeskPhone: string, helpDeskHours: string, articleId?: string): AdaptiveCard {
  return adaptiveCard(
    [text(message), text(`In a hurry? Call the help desk at ${helpDeskPhone} (${helpDeskHours}).`, { isSubtle: true })],
    [submit(ANSWER_ACTIONS.person, { action: 'escalate', ...(articleId ? { articleId } : {}) }, 'positive')],
  );
}

/** A short list of articles (what's new), each opening its steps. */
export function articleListCard(heading: string, articles: Array<Pick<Article, 'id' | 'title'>>, note?: string): AdaptiveCard {
  return adaptiveCard(
    [text(heading, { weight: 'Bolder' }), ...(note ? [text(note, { isSubtle: true })] : [])],
    articles.slice(0, 5).map((a) => submit(a.title, { action: 'pick', articleId: a.id })),
  );
}

/** Reads a card button's value from an incoming activity; null when it is not one of ours. */
export function parseCardValue(value: unknown): CardValue | null {
  if (!value || typeof value !== 'object') return null;
  const v = value as Record<string, unknown>;
  const str = (k: string) => (typeof v[k] === 'string' && (v[k] as string).length <= 200 ? (v[k] as string) : undefined);
  switch (v.action) {
    case 'role': {
      const role = str('role');
      return role === 'nurse' || role === 'physician' || role === 'other' ? { action: 'role', role } : null;
    }
    case 'feedback': {
      const fb = str('value');
      const articleId = str('articleId');
      if ((fb !== 'solved' && fb !== 'not-solved') || !articleId) return null;
      return { action: 'feedback', value: fb, articleId, turnId: str('turnId') ?? '' };
    }
    case 'escalate':
      return { action: 'escalate', articleId: str('articleId') };
    case 'pick': {
      const articleId = str('articleId');
      return articleId ? { action: 'pick', articleId } : null;
    }
    case 'ticket.take': {
      const ticketId = str('ticketId');
      return ticketId && /^ELB-\d{1,12}$/.test(ticketId) ? { action: 'ticket.take', ticketId } : null;
    }
    case 'notice.subscribe': {
      const noticeId = str('noticeId');
      return noticeId && /^[a-z0-9-]{1,80}$/.test(noticeId) ? { action: 'notice.subscribe', noticeId } : null;
    }
    case 'none-of-these':
    case 'whats-new':
    case 'my-tickets':
      return { action: v.action };
    default:
      return null;
  }
}

/** The answer as plain text, for channels that cannot show cards. */
export function answerText(article: Article, role: AskerRole | undefined, articleUrl: string): string {
  const lines = [`**${article.title}**`, '', article.quickAnswer];
  if (article.steps.length) lines.push('', ...article.steps.map((s, i) => `${i + 1}. ${s}`));
  const mine = orderedRoleSections(article, role).filter((s) => !role || role === 'other' || s.role === role);
  for (const s of mine) lines.push('', `${s.role === 'nurse' ? 'For nurses' : 'For physicians'}:`, s.text);
  lines.push('', `Full article: ${articleUrl}`, `Reply "solved", "not solved" or "talk to a person".`);
  return lines.join('\n');
}
