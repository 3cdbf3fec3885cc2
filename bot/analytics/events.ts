import type { Outcome } from '../knowledge/decide.js';

/** One answered message, as the analytics see it. `question` is redacted by the recorder before it is stored. */
export interface TurnEvent {
  /** Unique per turn (the activity id or a random id); feedback refers to it. */
  turnId: string;
  at: Date;
  /** A one-way hash of the user id, never the raw id or name. */
  userHash: string;
  role: 'nurse' | 'physician' | 'other' | 'unknown';
  /** Bot Framework channel id: msteams, webchat, emulator, directline… */
  channel: string;
  /** personal | groupChat | channel */
  conversationType: string;
  outcome: Outcome | 'button' | 'feedback' | 'error' | 'rate-limited';
  articleId: string | null;
  /** Candidate ids shown (clarify / answer). */
  candidates: string[];
  confidence: number;
  urgent: boolean;
  /** Time from the activity arriving to the reply being ready. */
  latencyMs: number;
  /** Raw user text; the recorder redacts it and stores only the redacted form. */
  question: string;
}

/** A Solved / Not solved click on an answer card. */
export interface FeedbackEvent {
  turnId: string;
  at: Date;
  userHash: string;
  role: TurnEvent['role'];
  articleId: string;
  value: 'solved' | 'not-solved';
}

/** Where the bot sends its analytics; implemented by the batched recorder. Never throws, never blocks a reply. */
export interface AnalyticsSink {
  turn(event: TurnEvent): void;
  feedback(event: FeedbackEvent): void;
  /** Writes everything pending (on shutdown and in tests). */
  flush(): Promise<void>;
}
