import { createHash, randomUUID } from 'node:crypto';
import {
  ActivityHandler,
  ActivityTypes,
  CardFactory,
  ConversationState,
  MessageFactory,
  TurnContext,
  UserState,
  type Activity,
  type InvokeResponse,
  type StatePropertyAccessor,
} from 'botbuilder';
import type { AnalyticsSink, TurnEvent } from '../analytics/events.js';
import type { AskerRole, Article } from '../knowledge/article.js';
import type { TurnContextDeps } from '../context.js';
import { answerCard, answerText, articleListCard, clarifyCard, escalationOfferCard, parseCardValue, roleCard, type AdaptiveCard, type CardValue } from './cards.js';
import { parseCommand, type Command } from './commands.js';
import { decide, type Decision } from '../knowledge/decide.js';
import type { HelpDesk } from './handoff.js';
import type { NoticeDesk } from './notice-desk.js';
import { EXAMPLE_QUESTIONS, MESSAGES, SMALLTALK_REPLIES } from './messages.js';
import { ANSWERS_KEPT, newConversation, TRANSCRIPT_LINES, VOTES_KEPT, type ConversationData, type UserProfile } from './state.js';
import { escalate, listTickets, takeTicket, ticketStatus, type TicketTalk } from './ticket-turns.js';
import type { Turn } from './turn.js';
import { VOUCHED_ROLE } from './vouched.js';
import { cutText } from '../text.js';
import { withTimeout } from '../timeout.js';
import { whatsNewFor, daysBetween, WHATS_NEW_AFTER_DAYS } from './whats-new.js';

/** What the bot needs from the outside; everything with side effects is passed in. */
export interface ElbowBotOptions {
  ctx: TurnContextDeps;
  userState: UserState;
  conversationState: ConversationState;
  analytics: AnalyticsSink;
  helpDesk: HelpDesk;
  /** PHI redaction; `clipped` says the text was cut at a limit, so a digit run at its end may be half a number. */
  redact: (text: string, options?: { clipped?: boolean }) => string;
  /** A number the clinician gives for themselves in a message ("call me at …"), or null. */
  callbackNumber?: (text: string) => string | null;
  /** Messages allowed per user per minute. */
  rateLimitPerMinute?: number;
  /** Known-issue notices shown before answers (optional). */
  notices?: NoticeDesk;
}

/** Channels that render Adaptive Cards; the rest get plain text. */
const CARD_CHANNELS = new Set(['msteams', 'webchat', 'emulator', 'directline', 'test', 'directlinespeech']);

/** Longest user message kept in the transcript (cut on a code point boundary). */
const MAX_MESSAGE_CHARS = 1000;

/** Elbow's turn logic: classify the message, decide, reply with cards, remember just enough. */
export class ElbowBot extends ActivityHandler {
  private readonly profileAccessor: StatePropertyAccessor<UserProfile>;
  private readonly convoAccessor: StatePropertyAccessor<ConversationData>;
  private readonly tickets: TicketTalk;

  constructor(private readonly options: ElbowBotOptions) {
    super();
    this.tickets = {
      ctx: options.ctx,
      helpDesk: options.helpDesk,
      reply: (turn, text) => this.reply(turn, text),
      failed: (err, what, ticketId) => options.ctx.logger.error({ err: errorSummary(err), ticketId }, what),
    };
    this.profileAccessor = options.userState.createProperty<UserProfile>('elbowProfile');
    this.convoAccessor = options.conversationState.createProperty<ConversationData>('elbowConversation');

    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      const added = (context.activity.membersAdded ?? []).filter((m) => m.id !== botId);
      const botAdded = (context.activity.membersAdded ?? []).some((m) => m.id === botId);
      if ((context.activity.conversation?.conversationType ?? 'personal') === 'personal' ? added.length > 0 || botAdded : botAdded) {
        await this.greet(context);
      }
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      await this.greet(context);
      await next();
    });
  }

  /** Elbow uses no invoke-based features (Action.Execute, message extensions, task modules): refuse them cleanly. */
  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    if (context.activity.name === 'healthCheck') return { status: 200, body: { healthResults: { success: true, messages: ['Success'] } } };
    return { status: 400, body: { error: `unsupported invoke: ${cutText(String(context.activity.name ?? ''), 60)}` } };
  }

  /** Runs the turn, then saves state; a database failure never loses the reply. */
  override async run(context: TurnContext): Promise<void> {
    await super.run(context);
    try {
      await withTimeout(
        Promise.all([this.options.userState.saveChanges(context), this.options.conversationState.saveChanges(context)]),
        STATE_TIMEOUT_MS,
        'state save',
      );
    } catch (err) {
      this.options.ctx.logger.error({ err: errorSummary(err) }, 'state save failed');
    }
  }

  private get kb() {
    return this.options.ctx.knowledge.current();
  }

  private async greet(context: TurnContext): Promise<void> {
    const profile = await this.load(context).then((s) => s.profile);
    const now = this.options.ctx.now();
    const awayDays = profile.lastVisit ? daysBetween(new Date(profile.lastVisit), now) : 0;
    if (profile.role) {
      await context.sendActivity(MESSAGES.greeting);
      // A known role (e.g. vouched by the EHR's login page) gets "what's new" right at the start.
      if (profile.lastVisit && awayDays > WHATS_NEW_AFTER_DAYS) {
        await this.sendWhatsNew(context, profile.role, new Date(profile.lastVisit), MESSAGES.whatsNewHeading(Math.floor(awayDays)));
        profile.lastVisit = now.toISOString();
      }
    }
    // The role question counts as asked: the first message must not ask it again.
    profile.lastVisit ??= now.toISOString();
    if (!profile.role) await this.sendCard(context, roleCard(MESSAGES.greeting), MESSAGES.roleFallback(MESSAGES.greeting));
    const known = this.options.notices?.greeting();
    if (known) await context.sendActivity(known);
  }

  private async load(context: TurnContext): Promise<{ profile: UserProfile; convo: ConversationData }> {
    try {
      const [profile, convo] = await withTimeout(
        Promise.all([this.profileAccessor.get(context, {}), this.convoAccessor.get(context, newConversation())]),
        STATE_TIMEOUT_MS,
        'state load',
      );
      const vouched = context.turnState.get(VOUCHED_ROLE) as AskerRole | undefined;
      if (vouched) profile.role = vouched;
      return { profile, convo };
    } catch (err) {
      // The database is down: serve the turn from a blank slate rather than fail it.
      this.options.ctx.logger.error({ err: errorSummary(err) }, 'state load failed');
      return { profile: {}, convo: newConversation() };
    }
  }

  /** One message turn; whatever happens, it ends with one log line and one analytics event. */
  private async handleMessage(context: TurnContext): Promise<void> {
    const started = performance.now();
    let turn: Turn | undefined;
    try {
      await this.messageTurn(context, started, (t) => (turn = t));
    } catch (err) {
      if (turn) turn.event.outcome = 'error';
      throw err;
    } finally {
      if (turn) this.record(turn);
    }
  }

  private record(turn: Turn): void {
    const latencyMs = Math.round(performance.now() - turn.started);
    const role = turn.profile.role ?? 'unknown';
    this.options.analytics.turn({ ...turn.event, role, latencyMs });
    const { turnId, userHash, outcome, articleId, confidence, urgent, channel, conversationType } = turn.event;
    const log = this.options.ctx.logger;
    (outcome === 'error' ? log.warn.bind(log) : log.info.bind(log))(
      { turnId, user: userHash, role, channel, conversationType, outcome, articleId, confidence, urgent, latencyMs },
      'turn',
    );
  }

  private async messageTurn(context: TurnContext, started: number, expose: (turn: Turn) => void): Promise<void> {
    const { ctx, redact } = this.options;
    const activity = context.activity;
    TurnContext.removeRecipientMention(activity);
    const { profile, convo } = await this.load(context);
    const now = ctx.now();
    const turnId = typeof activity.id === 'string' && activity.id ? cutText(activity.id, 100) : randomUUID();
    const text = typeof activity.text === 'string' ? activity.text : '';
    const turn: Turn = {
      context, profile, convo, turnId, started,
      event: {
        turnId, at: now, userHash: hashUser(activity.from?.id), role: profile.role ?? 'unknown',
        channel: cutText(String(activity.channelId ?? 'unknown'), 40),
        conversationType: cutText(String(activity.conversation?.conversationType ?? 'personal'), 40),
        outcome: 'button', articleId: null, candidates: [], confidence: 0, urgent: false, question: text,
      },
    };
    expose(turn);

    if (this.rateLimited(profile, now.getTime())) {
      turn.event.outcome = 'rate-limited';
      await context.sendActivity(MESSAGES.rateLimited);
      return;
    }
    const firstContact = !profile.role && !profile.lastVisit;
    const awayDays = profile.lastVisit ? daysBetween(new Date(profile.lastVisit), now) : 0;
    const lastVisit = profile.lastVisit;
    profile.lastVisit = now.toISOString();
    profile.conversationRef = TurnContext.getConversationReference(activity);

    const value = parseCardValue(activity.value);
    if (text.trim()) {
      const message = cutText(text, MAX_MESSAGE_CHARS);
      this.note(convo, 'user', redact(message, { clipped: message.length < text.length }), now);
      // The clinician's own number, kept before redaction hides it, so the help desk can call them back.
      const callback = this.options.callbackNumber?.(message);
      if (callback) convo.callbackNumber = callback;
    }

    if (profile.role && lastVisit && awayDays > WHATS_NEW_AFTER_DAYS && !(value?.action === 'whats-new')) {
      await this.sendWhatsNew(context, profile.role, new Date(lastVisit), MESSAGES.whatsNewHeading(Math.floor(awayDays)));
    }

    if (value) await this.handleAction(turn, value);
    else if (!text.trim()) await this.reply(turn, MESSAGES.emptyText);
    else {
      const command = parseCommand(text);
      if (command) await this.handleCommand(turn, command, lastVisit);
      else await this.handleDecision(turn, decide(this.kb, text, { role: profile.role }));
    }

    if (firstContact && !profile.role && value?.action !== 'role') {
      await this.sendCard(context, roleCard(MESSAGES.greeting), MESSAGES.roleFallback(MESSAGES.greeting));
    }
  }

  private rateLimited(profile: UserProfile, nowMs: number): boolean {
    const limit = this.options.rateLimitPerMinute ?? this.options.ctx.config.RATE_LIMIT_PER_MINUTE;
    const recent = (profile.recent ?? []).filter((t) => nowMs - t < 60_000);
    const limited = recent.length >= limit;
    if (!limited) recent.push(nowMs);
    profile.recent = recent;
    return limited;
  }

  private async handleDecision(turn: Turn, decision: Decision): Promise<void> {
    const { convo } = turn;
    Object.assign(turn.event, {
      outcome: decision.outcome, articleId: decision.articleId, candidates: decision.candidates,
      confidence: decision.confidence, urgent: decision.urgent,
    });
    if (decision.urgent) convo.urgent = true;
    if (decision.truncated) await turn.context.sendActivity(MESSAGES.tooLong);
    switch (decision.outcome) {
      case 'answer': {
        const article = this.kb.byId.get(decision.articleId as string);
        if (article) return this.answer(turn, article, decision.urgent);
        return this.reply(turn, MESSAGES.unknownArticle);
      }
      case 'clarify': {
        const articles = decision.candidates.map((id) => this.kb.byId.get(id)).filter((a): a is Article => Boolean(a));
        convo.articleAtHand = decision.candidates[0];
        if (decision.urgent) return escalate(this.tickets, turn, decision.candidates[0]);
        const shown = this.noticed(decision.candidates, clarifyCard(articles), MESSAGES.clarifyFallback(articles.map((a) => a.title)));
        await this.sendCard(turn.context, shown.card, shown.fallback);
        return this.note(convo, 'bot', MESSAGES.noteOffered(articles.map((a) => a.title)));
      }
      case 'no-match':
        if (decision.urgent) return escalate(this.tickets, turn);
        return this.miss(turn);
      case 'decline':
        return this.reply(turn, MESSAGES.decline);
      case 'smalltalk':
        return this.reply(turn, SMALLTALK_REPLIES[decision.smalltalk ?? 'ack']);
      case 'escalate':
        // The words of "talk to a person" match articles by chance: the queue comes from the article at hand.
        return escalate(this.tickets, turn);
    }
  }

  private async handleAction(turn: Turn, value: CardValue): Promise<void> {
    const { profile, convo } = turn;
    switch (value.action) {
      case 'role':
        profile.role = value.role;
        return this.reply(turn, MESSAGES.roleSaved(value.role));
      case 'feedback':
        return this.feedback(turn, value.value, value.articleId, value.turnId);
      case 'escalate':
        return escalate(this.tickets, turn, value.articleId);
      case 'pick': {
        const article = this.kb.byId.get(value.articleId);
        Object.assign(turn.event, { articleId: value.articleId, candidates: [value.articleId] });
        return article ? this.answer(turn, article, Boolean(convo.urgent)) : this.reply(turn, MESSAGES.unknownArticle);
      }
      case 'none-of-these':
        turn.event.outcome = 'no-match';
        return this.miss(turn, MESSAGES.clarifyNone);
      case 'whats-new':
        return this.replyWhatsNew(turn, undefined);
      case 'my-tickets':
        return listTickets(this.tickets, turn);
      case 'ticket.take':
        return takeTicket(this.tickets, turn, value.ticketId);
      case 'notice.subscribe': {
        const desk = this.options.notices;
        const ref = TurnContext.getConversationReference(turn.context.activity);
        return this.reply(turn, desk ? await desk.subscribe(value.noticeId, turn.event.userHash, ref) : MESSAGES.unknownArticle);
      }
    }
  }

  private async handleCommand(turn: Turn, command: Command, lastVisit: string | undefined): Promise<void> {
    switch (command.kind) {
      case 'change-role':
        if (command.role) return this.handleAction(turn, { action: 'role', role: command.role });
        return this.sendCard(turn.context, roleCard(MESSAGES.roleAsk), MESSAGES.roleFallback());
      case 'whats-new':
        return this.replyWhatsNew(turn, lastVisit ? new Date(lastVisit) : undefined);
      case 'my-tickets':
        return listTickets(this.tickets, turn);
      case 'ticket-status':
        return ticketStatus(this.tickets, turn, command.ticketId);
      case 'feedback': {
        const last = turn.convo.lastAnswer;
        if (!last) return this.handleDecision(turn, decide(this.kb, String(turn.context.activity.text), { role: turn.profile.role }));
        return this.feedback(turn, command.value, last.articleId, last.turnId);
      }
    }
  }

  private async answer(turn: Turn, article: Article, urgent: boolean): Promise<void> {
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

  private async miss(turn: Turn, message?: string): Promise<void> {
    const { convo } = turn;
    convo.misses += 1;
    if (convo.misses >= 2) {
      const { config } = this.options.ctx;
      await this.sendCard(turn.context, escalationOfferCard(MESSAGES.secondMiss, config.HELP_DESK_PHONE, config.HELP_DESK_HOURS), `${MESSAGES.secondMiss} Reply "talk to a person", or call ${config.HELP_DESK_PHONE}.`);
      return this.note(convo, 'bot', MESSAGES.secondMiss);
    }
    return this.reply(turn, message ?? MESSAGES.noMatch(EXAMPLE_QUESTIONS));
  }

  private async feedback(turn: Turn, value: 'solved' | 'not-solved', articleId: string, answeredTurnId: string): Promise<void> {
    const { profile, convo } = turn;
    const { config } = this.options.ctx;
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
    await this.sendCard(turn.context, escalationOfferCard(MESSAGES.notSolved, config.HELP_DESK_PHONE, config.HELP_DESK_HOURS, articleId), `${MESSAGES.notSolved} Reply "talk to a person", or call ${config.HELP_DESK_PHONE}.`);
    this.note(convo, 'bot', MESSAGES.notSolved);
  }

  /** Sends the "what's new" list; false when there is nothing new. */
  private async sendWhatsNew(context: TurnContext, role: AskerRole | undefined, since: Date | undefined, heading: string): Promise<boolean> {
    const articles = whatsNewFor(this.kb.articles, role, since, this.options.ctx.now());
    if (articles.length === 0) return false;
    const fallback = `${heading}\n${articles.map((a) => `- ${a.title}`).join('\n')}`;
    await this.sendCard(context, articleListCard(heading, articles), fallback);
    return true;
  }

  private async replyWhatsNew(turn: Turn, since: Date | undefined): Promise<void> {
    if (!(await this.sendWhatsNew(turn.context, turn.profile.role, since, MESSAGES.whatsNewAsked))) await this.reply(turn, MESSAGES.whatsNewNone);
  }

  /** The card with any active known-issue notices for these articles first. */
  private noticed(articleIds: string[], card: AdaptiveCard, fallback: string): { card: AdaptiveCard; fallback: string } {
    return this.options.notices?.decorate(articleIds, card, fallback) ?? { card, fallback };
  }

  private async reply(turn: Turn, text: string): Promise<void> {
    await turn.context.sendActivity(MessageFactory.text(text));
    this.note(turn.convo, 'bot', text);
  }

  private async sendCard(context: TurnContext, card: AdaptiveCard, fallback: string): Promise<void> {
    if (!CARD_CHANNELS.has(String(context.activity.channelId))) {
      await context.sendActivity(MessageFactory.text(fallback));
      return;
    }
    const activity: Partial<Activity> = { type: ActivityTypes.Message, attachments: [CardFactory.adaptiveCard(card)] };
    await context.sendActivity(activity);
  }

  private note(convo: ConversationData, from: 'user' | 'bot', text: string, at: Date = this.options.ctx.now()): void {
    convo.transcript.push({ from, text: from === 'bot' ? this.options.redact(text) : text, at: at.toISOString() });
    if (convo.transcript.length > TRANSCRIPT_LINES) convo.transcript.splice(0, convo.transcript.length - TRANSCRIPT_LINES);
  }
}

/** How long a turn waits for its state before carrying on without. */
const STATE_TIMEOUT_MS = 3000;


/** A one-way, short hash of a user id for analytics (never the id itself). */
export function hashUser(id: unknown): string {
  return createHash('sha256').update(`elbow:${String(id ?? 'anonymous')}`).digest('hex').slice(0, 16);
}

/** An error reduced to what is safe to log: name and message, no request data. */
export function errorSummary(err: unknown): { name: string; message: string } {
  const e = err as Error;
  return { name: e?.name ?? 'Error', message: cutText(String(e?.message ?? err), 300) };
}
