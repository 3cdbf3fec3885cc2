/** Gives back a slot taken with `TurnLimiter.acquire`; calling it twice is harmless. */
export type Release = () => void;

/** Why a turn did not get a slot: the line was full, the wait was too long, or the client left. */
export type Refusal = 'full' | 'timeout' | 'aborted';

interface Waiter {
  grant: () => void;
  refuse: (why: Refusal) => void;
}

/**
 * Bounds concurrent turns: up to `maxActive` run at once, up to `maxQueued` more wait their turn (each for at
 * most `maxWaitMs`), and anything beyond is refused at once (the caller answers 503), so a flood can neither
 * exhaust memory nor leave clients waiting longer than they would wait for an answer.
 */
export class TurnLimiter {
  private active = 0;
  private readonly waiting: Waiter[] = [];

  constructor(
    private readonly maxActive: number,
    private readonly maxQueued: number,
  ) {}

  /**
   * Takes a running slot, waiting in line if needed. A waiter whose client goes away (`signal`) or who waits
   * longer than `maxWaitMs` leaves the line and gets a refusal, so an abandoned request never holds a place.
   */
  acquire(options: { signal?: AbortSignal; maxWaitMs: number }): Promise<Release | Refusal> {
    if (options.signal?.aborted) return Promise.resolve('aborted');
    if (this.active < this.maxActive) {
      this.active++;
      return new Promise((resolve) => this.start(() => resolve(this.slot())));
    }
    if (this.waiting.length >= this.maxQueued) return Promise.resolve('full');
    return new Promise((resolve) => {
      const leave = (why: Refusal) => {
        const i = this.waiting.indexOf(waiter);
        if (i >= 0) this.waiting.splice(i, 1);
        cleanup();
        resolve(why);
      };
      const onAbort = () => leave('aborted');
      const timer = setTimeout(() => leave('timeout'), options.maxWaitMs);
      const cleanup = () => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
      };
      const waiter: Waiter = {
        grant: () => {
          cleanup();
          resolve(this.slot());
        },
        refuse: leave,
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  /** The release function of a slot already counted in `active`. */
  private slot(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // The slot passes straight to the next in line, so a waiter is never overtaken by a newcomer.
      const next = this.waiting.shift();
      if (next) this.start(() => next.grant());
      else this.active--;
    };
  }

  /**
   * Starts turns one per turn of the event loop. A turn over the embedded database is mostly synchronous work
   * chained by promises: started together (a burst of arrivals, or a finishing turn handing its slot on), they
   * would run back to back in one stretch that leaves no room to accept connections, answer /healthz or fire
   * the queue's timeouts. One start per loop turn keeps the loop going between them.
   */
  private start(fn: () => void): void {
    this.starts.push(fn);
    if (!this.pumping) {
      this.pumping = true;
      setImmediate(this.pump);
    }
  }

  private readonly starts: Array<() => void> = [];
  private pumping = false;
  private readonly pump = (): void => {
    this.starts.shift()?.();
    if (this.starts.length > 0) setImmediate(this.pump);
    else this.pumping = false;
  };

  /** Refuses everyone waiting in line (the server has fallen behind: waiting longer would not help them). */
  refuseWaiting(why: Refusal): number {
    const waiting = [...this.waiting];
    for (const waiter of waiting) waiter.refuse(why);
    return waiting.length;
  }

  /** Turns running now. */
  get running(): number {
    return this.active;
  }

  /** Turns waiting for a slot. */
  get queued(): number {
    return this.waiting.length;
  }

  /** True when every slot is busy and the line is full: the next turn would be refused. */
  get saturated(): boolean {
    return this.active >= this.maxActive && this.waiting.length >= this.maxQueued;
  }
}
