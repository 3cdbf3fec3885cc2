import { ActivityTypes, CardFactory, MessageFactory, type Activity, type TurnContext } from 'botbuilder';
import type { AnalyticsSink } from '../analytics/events.js';
import type { AskerRole, Article } from '../knowledge/article.js';
import type { TurnContextDeps } from '../context.js';
import { answerCard, answerText, articleListCard, escalationOfferCard, type AdaptiveCard } from './cards.js';
import type { NoticeDesk } from './notice-desk.js';
import { EXAMPLE_QUESTIONS, MESSAGES } from './messages.js';
import { ANSWERS_KEPT, TRANSCRIPT_LINES, VOTES_KEPT, type ConversationData } from './state.js';
import type { Turn } from './turn.js';
import { whatsNewFor } from './whats-new.js';

/** What the replies need from the bot's options. */
export interface RepliesOptions {
  ctx: TurnContextDeps;
  analytics: AnalyticsSink;
  /** PHI redaction for what the bot writes into the transcript. */
  redact: (text: string) => string;
  notices?: NoticeDesk;
}

/** Channels that render Adaptive Cards; the rest get plain text. */
const CARD_CHANNELS = new Set(['msteams', 'webchat', 'emulator', 'directline', 'test', 'directlinespeech']);

/**
 * What the bot says back and remembers of it: answers, misses, votes, "what's new", plain replies and cards
 * (text where the channel has no cards), and the redacted transcript the help desk sees.
 */
export class Replies {
  constructor(private readonly options: RepliesOptions) {}

  private get kb() {
    return this.options.ctx.knowledge.current();
  }

  /** Shows an article (with any active notice first) and remembers it as the conversation's answer. */
  async answer(turn: Turn, article: Article, urgent: boolean): Promise<void> {
    const { ctx } = this.options;
    const { profile, convo } = turn;
    const articleUrl = `${ctx.config.publicBaseUrl}/kb/${encodeURIComponent(article.id)}`;
    const card = answerCard(article, { role: profile.role, articleUrl, turnId: turn.turnId, urgent, helpDeskPhone: ctx.config.HELP_DESK_PHONE });
    const shown = this.noticed([article.id], card, answerText(article, profile.role, articleUrl));
    await this.sendCard(turn.context, shown.card, shown.fallback);
    convo.misses = 0;
    convo.lastAnswer = { articleId: article.id, turnId: turn.turnId };
    convo.articleAtHand = article.id;
    convo.answered = [...(convo.answered ?? []), { turnId: turn.turnId, articleId: article.id }].slice(-ANSWERS_KEPT);
    if (!convo.articlesTried.some((a) => a.id === article.id)) convo.articlesTried.push({ id: article.id, title: article.title });
    convo.articlesTried = convo.articlesTried.slice(-10);
    this.note(convo, 'bot', MESSAGES.noteAnswered(article.title));
  }

  /** Nothing found: example questions the first time, the help desk offer from the second miss on. */
  async miss(turn: Turn, message?: string): Promise<void> {
    const { convo } = turn;
    convo.misses += 1;
    if (convo.misses >= 2) {
      await this.offerHelpDesk(turn, MESSAGES.secondMiss);
      return this.note(convo, 'bot', MESSAGES.secondMiss);
    }
    return this.reply(turn, message ?? MESSAGES.noMatch(EXAMPLE_QUESTIONS));
  }

  /** A "solved" / "not solved" vote on an answer this conversation was given (counted once per user). */
  async feedback(turn: Turn, value: 'solved' | 'not-solved', articleId: string, answeredTurnId: string): Promise<void> {
    const { profile, convo } = turn;
    Object.assign(turn.event, { outcome: 'feedback', articleId });
    // A vote counts only for an answer this conversation was given, once per user: card data can be forged.
    const answer = convo.answered?.find((a) => a.turnId === answeredTurnId && a.articleId === articleId);
    if (!answer || !this.kb.byId.has(articleId)) return this.reply(turn, MESSAGES.voteUnknown);
    const vote = `${turn.event.userHash}|${answer.turnId}`;
    const counted = convo.votes?.includes(vote) ?? false;
    if (counted && value === 'solved') return this.reply(turn, MESSAGES.voteCounted);
    if (!counted) {
      convo.votes = [...(convo.votes ?? []), vote].slice(-VOTES_KEPT);
      this.options.analytics.feedback({
        turnId: answer.turnId, at: this.options.ctx.now(), userHash: turn.event.userHash,
        role: profile.role ?? 'unknown', articleId, value,
      });
    }
    const tried = convo.articlesTried.find((a) => a.id === articleId);
    if (tried) tried.feedback = value;
    this.note(convo, 'user', value === 'solved' ? 'Clicked: Solved' : 'Clicked: Not solved');
    if (value === 'solved') {
      convo.misses = 0;
      return this.reply(turn, MESSAGES.solved);
    }
    await this.offerHelpDesk(turn, MESSAGES.notSolved, articleId);
    this.note(convo, 'bot', MESSAGES.notSolved);
  }

  /** Sends the "what's new" list; false when there is nothing new. */
  async sendWhatsNew(context: TurnContext, role: AskerRole | undefined, since: Date | undefined, heading: string): Promise<boolean> {
    const articles = whatsNewFor(this.kb.articles, role, since, this.options.ctx.now());
    if (articles.length === 0) return false;
    const fallback = `${heading}\n${articles.map((a) => `- ${a.title}`).join('\n')}`;
    await this.sendCard(context, articleListCard(heading, articles), fallback);
    return true;
  }

  /** "what's new" when asked: the list, or a line saying there is nothing new. */
  async replyWhatsNew(turn: Turn, since: Date | undefined): Promise<void> {
    if (!(await this.sendWhatsNew(turn.context, turn.profile.role, since, MESSAGES.whatsNewAsked))) await this.reply(turn, MESSAGES.whatsNewNone);
  }

  /** The card with any active known-issue notices for these articles first. */
  noticed(articleIds: string[], card: AdaptiveCard, fallback: string): { card: AdaptiveCard; fallback: string } {
    return this.options.notices?.decorate(articleIds, card, fallback) ?? { card, fallback };
  }

  /** A plain text reply, noted in the transcript. */
  async reply(turn: Turn, text: string): Promise<void> {
    await turn.context.sendActivity(MessageFactory.text(text));
    this.note(turn.convo, 'bot', text);
  }

  /** An Adaptive Card, or its text fallback on channels without cards. */
  async sendCard(context: TurnContext, card: AdaptiveCard, fallback: string): Promise<void> {
    if (!CARD_CHANNELS.has(String(context.activity.channelId))) {
      await context.sendActivity(MessageFactory.text(fallback));
      return;
    }
    const activity: Partial<Activity> = { type: ActivityTypes.Message, attachments: [CardFactory.adaptiveCard(card)] };
    await context.sendActivity(activity);
  }

  /** Adds a transcript line (the bot's own text redacted too: it may quote the user), keeping the last lines. */
  note(convo: ConversationData, from: 'user' | 'bot', text: string, at: Date = this.options.ctx.now()): void {
    convo.transcript.push({ from, text: from === 'bot' ? this.options.redact(text) : text, at: at.toISOString() });
    if (convo.transcript.length > TRANSCRIPT_LINES) convo.transcript.splice(0, convo.transcript.length - TRANSCRIPT_LINES);
  }

  private offerHelpDesk(turn: Turn, message: string, articleId?: string): Promise<void> {
    const { HELP_DESK_PHONE: phone, HELP_DESK_HOURS: hours } = this.options.ctx.config;
    return this.sendCard(turn.context, escalationOfferCard(message, phone, hours, articleId), `${message} Reply "talk to a person", or call ${phone}.`);
  }
}
