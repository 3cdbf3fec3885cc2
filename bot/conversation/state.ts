import type { ConversationReference } from 'botbuilder';
import type { AskerRole } from '../knowledge/article.js';

/** What Elbow remembers about a user, across conversations (UserState). */
export interface UserProfile {
  role?: AskerRole;
  /** ISO time of the user's previous message, for "what's new". */
  lastVisit?: string;
  /** Where to reach the user proactively (ticket status updates). */
  conversationRef?: Partial<ConversationReference>;
  /** Recent message times for the per-user rate limit (ms since epoch). */
  recent?: number[];
}

/** One line of the running transcript, already redacted. */
export interface TranscriptLine {
  from: 'user' | 'bot';
  text: string;
  at: string;
}

/** What Elbow remembers within one conversation (ConversationState). */
export interface ConversationData {
  /** Consecutive searches that found nothing. */
  misses: number;
  /** Articles shown in this conversation, with the feedback given. */
  articlesTried: Array<{ id: string; title: string; feedback?: 'solved' | 'not-solved' }>;
  /** Last 20 lines, redacted. */
  transcript: TranscriptLine[];
  /** The last answered article and its turn, for typed "solved" / "not solved". */
  lastAnswer?: { articleId: string; turnId: string };
  /** Urgency seen earlier in the conversation carries into an escalation. */
  urgent?: boolean;
  /** The article at hand: the last answered one, or the first candidate of the last clarify. Sets the ticket's queue. */
  articleAtHand?: string;
  /** Recent answers (turn id and article), the only ones a Solved / Not solved vote may be about. */
  answered?: Array<{ turnId: string; articleId: string }>;
  /** Votes already counted, as "<user hash>|<answer turn id>": one per user per answer. */
  votes?: string[];
  /** A number the clinician gave for themselves ("call me at …"), for the ticket. */
  callbackNumber?: string;
  /** The clinician's Teams identity, looked up once per conversation when a ticket is opened. */
  contact?: { upn: string | null; email: string | null };
}

/** Answers and votes remembered per conversation. */
export const ANSWERS_KEPT = 20;
export const VOTES_KEPT = 100;

/** Longest transcript kept and sent with a ticket. */
export const TRANSCRIPT_LINES = 20;

/** A fresh conversation record. */
export function newConversation(): ConversationData {
  return { misses: 0, articlesTried: [], transcript: [] };
}
