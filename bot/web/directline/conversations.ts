/** An activity as kept and sent to clients (JSON: timestamps are ISO strings). */
export type StoredActivity = Record<string, unknown>;

/** Activities handed to a stream listener, with the watermark to resume after them. */
export type ActivityListener = (activities: StoredActivity[], watermark: string) => void;

/** One Direct Line conversation: its bound user and its activity log (both directions). */
export interface DirectLineConversation {
  id: string;
  userId: string;
  /** True once the conversationUpdate (greeting) has run. */
  started: boolean;
  /** Index in the full log of activities[0] (older ones were trimmed). */
  offset: number;
  activities: StoredActivity[];
  lastUsed: number;
  listeners: Set<ActivityListener>;
}

/** Limits of the in-memory store. */
export interface StoreOptions {
  now: () => Date;
  /** Conversations kept at most; the least recently used go first. */
  maxConversations?: number;
  /** Activities kept per conversation; clients that fall further behind skip the oldest. */
  maxActivities?: number;
  /** A conversation unused this long is dropped. */
  idleMs?: number;
}

/**
 * The activity log of every Direct Line conversation, with watermarks. It lives in memory, like Azure's
 * Direct Line keeps a conversation for a limited time: a conversation is a login session, not a record
 * (the bot's state, tickets and analytics are in the database). Several instances need sticky sessions.
 */
export class DirectLineStore {
  private readonly conversations = new Map<string, DirectLineConversation>();
  private readonly maxConversations: number;
  private readonly maxActivities: number;
  private readonly idleMs: number;

  constructor(private readonly options: StoreOptions) {
    this.maxConversations = options.maxConversations ?? 10_000;
    this.maxActivities = options.maxActivities ?? 500;
    this.idleMs = options.idleMs ?? 24 * 3_600_000;
  }

  /** The conversation, creating it for `userId` when new; undefined when it belongs to another user. */
  open(id: string, userId: string): DirectLineConversation | undefined {
    const existing = this.get(id);
    if (existing) return existing.userId === userId ? existing : undefined;
    this.evict();
    const created: DirectLineConversation = { id, userId, started: false, offset: 0, activities: [], lastUsed: this.nowMs(), listeners: new Set() };
    this.conversations.set(id, created);
    return created;
  }

  /** The conversation if it is still kept. */
  get(id: string): DirectLineConversation | undefined {
    const conversation = this.conversations.get(id);
    if (!conversation) return undefined;
    if (this.nowMs() - conversation.lastUsed > this.idleMs) {
      this.drop(conversation);
      return undefined;
    }
    conversation.lastUsed = this.nowMs();
    // Re-insert: Map order is then least-recently-used first, which evict() relies on.
    this.conversations.delete(id);
    this.conversations.set(id, conversation);
    return conversation;
  }

  /** Appends an activity (id and timestamp assigned here), tells the stream listeners, returns the id. */
  append(conversation: DirectLineConversation, activity: object): string {
    const seq = conversation.offset + conversation.activities.length;
    const id = `${conversation.id}|${String(seq).padStart(7, '0')}`;
    const stored: StoredActivity = { ...activity, id, timestamp: this.options.now().toISOString() };
    delete stored.serviceUrl; // internal routing detail, not part of what clients see
    conversation.activities.push(stored);
    if (conversation.activities.length > this.maxActivities) {
      const drop = conversation.activities.length - this.maxActivities;
      conversation.activities.splice(0, drop);
      conversation.offset += drop;
    }
    const watermark = String(seq + 1);
    for (const listener of conversation.listeners) listener([stored], watermark);
    return id;
  }

  /** Activities after `watermark` (all kept ones when absent or invalid) and the new watermark. */
  since(conversation: DirectLineConversation, watermark: string | undefined): { activities: StoredActivity[]; watermark: string } {
    const end = conversation.offset + conversation.activities.length;
    const from = /^\d{1,9}$/.test(watermark ?? '') ? Math.min(Number(watermark), end) : 0;
    const start = Math.max(from - conversation.offset, 0);
    return { activities: conversation.activities.slice(start), watermark: String(end) };
  }

  /** Registers a stream listener; returns its removal. */
  subscribe(conversation: DirectLineConversation, listener: ActivityListener): () => void {
    conversation.listeners.add(listener);
    return () => conversation.listeners.delete(listener);
  }

  private evict(): void {
    while (this.conversations.size >= this.maxConversations) {
      const oldest = this.conversations.values().next().value;
      if (!oldest) break;
      this.drop(oldest);
    }
  }

  private drop(conversation: DirectLineConversation): void {
    this.conversations.delete(conversation.id);
    conversation.listeners.clear();
  }

  private nowMs(): number {
    return this.options.now().getTime();
  }
}
