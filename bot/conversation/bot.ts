import { randomUUID } from 'node:crypto';
import {
  ActivityHandler,
  ConversationState,
  TurnContext,
  UserState,
  type InvokeResponse,
  type StatePropertyAccessor,
} from 'botbuilder';
import type { AnalyticsSink } from '../analytics/events.js';
import type { AskerRole } from '../knowledge/article.js';
import type { TurnContextDeps } from '../context.js';
import { parseCardValue, roleCard } from './cards.js';
import { parseCommand } from './commands.js';
import { decide } from '../knowledge/decide.js';
import type { HelpDesk } from './handoff.js';
import type { NoticeDesk } from './notice-desk.js';
import { MESSAGES } from './messages.js';
import { errorSummary, hashUser } from './log-safe.js';
import { Replies } from './replies.js';
import { TurnRouter } from './route.js';
import { newConversation, type ConversationData, type UserProfile } from './state.js';
import type { TicketTalk } from './ticket-turns.js';
import type { Turn } from './turn.js';
import { VOUCHED_ROLE } from './vouched.js';
import { cutText } from '../text.js';
import { withTimeout } from '../timeout.js';
import { daysBetween, WHATS_NEW_AFTER_DAYS } from './whats-new.js';

// Other layers import these from the bot, where they have always been.
export { errorSummary, hashUser } from './log-safe.js';

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

/** Longest user message kept in the transcript (cut on a code point boundary). */
const MAX_MESSAGE_CHARS = 1000;

/** Elbow's turn logic: classify the message, decide, reply with cards, remember just enough. */
export class ElbowBot extends ActivityHandler {
  private readonly profileAccessor: StatePropertyAccessor<UserProfile>;
  private readonly convoAccessor: StatePropertyAccessor<ConversationData>;
  private readonly tickets: TicketTalk;
  private readonly say: Replies;
  private readonly route: TurnRouter;

  constructor(private readonly options: ElbowBotOptions) {
    super();
    this.say = new Replies(options);
    this.tickets = {
      ctx: options.ctx,
      helpDesk: options.helpDesk,
      reply: (turn, text) => this.say.reply(turn, text),
      failed: (err, what, ticketId) => options.ctx.logger.error({ err: errorSummary(err), ticketId }, what),
    };
    this.route = new TurnRouter({ ctx: options.ctx, say: this.say, tickets: this.tickets, notices: options.notices });
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
        await this.say.sendWhatsNew(context, profile.role, new Date(profile.lastVisit), MESSAGES.whatsNewHeading(Math.floor(awayDays)));
        profile.lastVisit = now.toISOString();
      }
    }
    // The role question counts as asked: the first message must not ask it again.
    profile.lastVisit ??= now.toISOString();
    if (!profile.role) await this.say.sendCard(context, roleCard(MESSAGES.greeting), MESSAGES.roleFallback(MESSAGES.greeting));
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
      this.say.note(convo, 'user', redact(message, { clipped: message.length < text.length }), now);
      // The clinician's own number, kept before redaction hides it, so the help desk can call them back.
      const callback = this.options.callbackNumber?.(message);
      if (callback) convo.callbackNumber = callback;
    }

    if (profile.role && lastVisit && awayDays > WHATS_NEW_AFTER_DAYS && !(value?.action === 'whats-new')) {
      await this.say.sendWhatsNew(context, profile.role, new Date(lastVisit), MESSAGES.whatsNewHeading(Math.floor(awayDays)));
    }

    if (value) await this.route.action(turn, value);
    else if (!text.trim()) await this.say.reply(turn, MESSAGES.emptyText);
    else {
      const command = parseCommand(text);
      if (command) await this.route.command(turn, command, lastVisit);
      else await this.route.decision(turn, decide(this.kb, text, { role: profile.role }));
    }

    if (firstContact && !profile.role && value?.action !== 'role') {
      await this.say.sendCard(context, roleCard(MESSAGES.greeting), MESSAGES.roleFallback(MESSAGES.greeting));
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
}

/** How long a turn waits for its state before carrying on without. */
const STATE_TIMEOUT_MS = 3000;
