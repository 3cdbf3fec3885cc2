import { TurnContext } from 'botbuilder';
import type { Article } from '../knowledge/article.js';
import type { TurnContextDeps } from '../context.js';
import { decide, type Decision } from '../knowledge/decide.js';
import { clarifyCard, roleCard, type CardValue } from './cards.js';
import type { Command } from './commands.js';
import { MESSAGES, SMALLTALK_REPLIES } from './messages.js';
import type { NoticeDesk } from './notice-desk.js';
import type { Replies } from './replies.js';
import { escalate, listTickets, takeTicket, ticketStatus, type TicketTalk } from './ticket-turns.js';
import type { Turn } from './turn.js';

/** What the router hands a turn on to. */
export interface RouteParts {
  ctx: TurnContextDeps;
  say: Replies;
  tickets: TicketTalk;
  notices?: NoticeDesk;
}

/** Sends a turn to its handler: a decision on a question, a clicked card button, or a typed command. */
export class TurnRouter {
  private readonly ctx: TurnContextDeps;
  private readonly say: Replies;
  private readonly tickets: TicketTalk;
  private readonly notices?: NoticeDesk;

  constructor(parts: RouteParts) {
    this.ctx = parts.ctx;
    this.say = parts.say;
    this.tickets = parts.tickets;
    this.notices = parts.notices;
  }

  private get kb() {
    return this.ctx.knowledge.current();
  }

  /** Replies to what the knowledge base decided about a typed question. */
  async decision(turn: Turn, decision: Decision): Promise<void> {
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
        if (article) return this.say.answer(turn, article, decision.urgent);
        return this.say.reply(turn, MESSAGES.unknownArticle);
      }
      case 'clarify': {
        const articles = decision.candidates.map((id) => this.kb.byId.get(id)).filter((a): a is Article => Boolean(a));
        convo.articleAtHand = decision.candidates[0];
        if (decision.urgent) return escalate(this.tickets, turn, decision.candidates[0]);
        const shown = this.say.noticed(decision.candidates, clarifyCard(articles), MESSAGES.clarifyFallback(articles.map((a) => a.title)));
        await this.say.sendCard(turn.context, shown.card, shown.fallback);
        return this.say.note(convo, 'bot', MESSAGES.noteOffered(articles.map((a) => a.title)));
      }
      case 'no-match':
        if (decision.urgent) return escalate(this.tickets, turn);
        return this.say.miss(turn);
      case 'decline':
        return this.say.reply(turn, decision.patientAtRisk ? `${MESSAGES.declineAtRisk} ${MESSAGES.decline}` : MESSAGES.decline);
      case 'smalltalk':
        return this.say.reply(turn, SMALLTALK_REPLIES[decision.smalltalk ?? 'ack']);
      case 'escalate':
        // The words of "talk to a person" match articles by chance: the queue comes from the article at hand.
        return escalate(this.tickets, turn);
    }
  }

  /** Handles a card button (its data checked by parseCardValue). */
  async action(turn: Turn, value: CardValue): Promise<void> {
    const { profile, convo } = turn;
    switch (value.action) {
      case 'role':
        profile.role = value.role;
        return this.say.reply(turn, MESSAGES.roleSaved(value.role));
      case 'feedback':
        return this.say.feedback(turn, value.value, value.articleId, value.turnId);
      case 'escalate':
        return escalate(this.tickets, turn, value.articleId);
      case 'pick': {
        const article = this.kb.byId.get(value.articleId);
        Object.assign(turn.event, { articleId: value.articleId, candidates: [value.articleId] });
        return article ? this.say.answer(turn, article, Boolean(convo.urgent)) : this.say.reply(turn, MESSAGES.unknownArticle);
      }
      case 'none-of-these':
        turn.event.outcome = 'no-match';
        return this.say.miss(turn, MESSAGES.clarifyNone);
      case 'whats-new':
        return this.say.replyWhatsNew(turn, undefined);
      case 'my-tickets':
        return listTickets(this.tickets, turn);
      case 'ticket.take':
        return takeTicket(this.tickets, turn, value.ticketId);
      case 'notice.subscribe': {
        const desk = this.notices;
        const ref = TurnContext.getConversationReference(turn.context.activity);
        return this.say.reply(turn, desk ? await desk.subscribe(value.noticeId, turn.event.userHash, ref) : MESSAGES.unknownArticle);
      }
    }
  }

  /** Handles a typed command (change role, what's new, my tickets, ticket status, typed feedback). */
  async command(turn: Turn, command: Command, lastVisit: string | undefined): Promise<void> {
    switch (command.kind) {
      case 'change-role':
        if (command.role) return this.action(turn, { action: 'role', role: command.role });
        return this.say.sendCard(turn.context, roleCard(MESSAGES.roleAsk), MESSAGES.roleFallback());
      case 'whats-new':
        return this.say.replyWhatsNew(turn, lastVisit ? new Date(lastVisit) : undefined);
      case 'my-tickets':
        return listTickets(this.tickets, turn);
      case 'ticket-status':
        return ticketStatus(this.tickets, turn, command.ticketId);
      case 'feedback': {
        const last = turn.convo.lastAnswer;
        if (!last) return this.decision(turn, decide(this.kb, String(turn.context.activity.text), { role: turn.profile.role }));
        return this.say.feedback(turn, command.value, last.articleId, last.turnId);
      }
    }
  }
}
