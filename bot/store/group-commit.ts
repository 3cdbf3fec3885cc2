/**
 * Group commit: requests that arrive while a commit is running (or in the same event-loop turn) are committed
 * together by the next one, in one transaction. Each caller's promise settles only after the transaction that
 * holds its request has committed (or failed), so nothing acknowledged can be lost; one caller's rejection
 * (e.g. a stale eTag) does not fail the others, because `commit` reports an outcome per request.
 */

/** What `commit` says about one request of a batch. */
export type Outcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

/** Counters for tests and the benchmark: how many requests, and how many batches (one transaction each). */
export interface GroupCommitStats {
  requests: number;
  batches: number;
  largestBatch: number;
}

const totals: GroupCommitStats = { requests: 0, batches: 0, largestBatch: 0 };

/** Process-wide totals over every GroupCommit (a copy). */
export function groupCommitStats(): GroupCommitStats {
  return { ...totals };
}

/** Queues requests and commits them in batches, at most one batch in flight. */
export class GroupCommit<Q, R> {
  #queue: Array<{ request: Q; resolve: (value: R) => void; reject: (error: unknown) => void }> = [];
  #running = false;
  #scheduled = false;

  /** `commit` runs one batch (in one transaction) and returns one outcome per request, in order. */
  constructor(private readonly commit: (batch: Q[]) => Promise<Array<Outcome<R>>>) {}

  /** Adds `request` to the next batch; settles when that batch has committed. */
  submit(request: Q): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#queue.push({ request, resolve, reject });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#running || this.#scheduled) return;
    this.#scheduled = true;
    // setImmediate, not a microtask: every turn that saves in this event-loop pass joins the batch.
    setImmediate(() => {
      this.#scheduled = false;
      void this.#flush();
    });
  }

  async #flush(): Promise<void> {
    if (this.#running || this.#queue.length === 0) return;
    this.#running = true;
    const batch = this.#queue;
    this.#queue = [];
    totals.requests += batch.length;
    totals.batches += 1;
    totals.largestBatch = Math.max(totals.largestBatch, batch.length);
    try {
      const outcomes = await this.commit(batch.map((b) => b.request));
      batch.forEach((b, i) => {
        const outcome = outcomes[i];
        if (outcome?.ok) b.resolve(outcome.value);
        else b.reject(outcome ? outcome.error : new Error('group commit: no outcome for a request'));
      });
    } catch (error) {
      for (const b of batch) b.reject(error);
    } finally {
      this.#running = false;
      // What arrived during this commit goes in the next one, right away.
      if (this.#queue.length > 0) this.#schedule();
    }
  }
}
