/** Gives back a slot taken with `TurnLimiter.acquire`; calling it twice is harmless. */
export type Release = () => void;

/** Why a turn did not get a slot: the line was full, the wait was too long, or the client left. */
export type Refusal = 'full' | 'timeout' | 'aborted';

interface Waiter {
  grant: () => void;
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
    if (this.active < this.maxActive) return Promise.resolve(this.take());
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
          resolve(this.take());
        },
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  private take(): Release {
    this.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      // The slot passes straight to the next in line, so a waiter is never overtaken by a newcomer.
      const next = this.waiting.shift();
      if (next) next.grant();
    };
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
