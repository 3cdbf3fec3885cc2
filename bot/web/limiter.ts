/**
 * Bounds concurrent turns: up to `maxActive` run at once, up to `maxQueued` more wait their turn,
 * and anything beyond is refused at once (the caller answers 503) so a flood cannot exhaust memory.
 */
export class TurnLimiter {
  private active = 0;
  private admitted = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly maxActive: number,
    private readonly maxQueued: number,
  ) {}

  /** Reserves a place (running or queued); false when the limiter is full. */
  tryEnter(): boolean {
    if (this.admitted >= this.maxActive + this.maxQueued) return false;
    this.admitted++;
    return true;
  }

  /** Resolves when the reserved place may run. */
  wait(): Promise<void> {
    if (this.active < this.maxActive) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(() => { this.active++; resolve(); }));
  }

  /** Releases a place taken with tryEnter (after wait resolved, or if it failed). */
  leave(): void {
    this.admitted--;
    this.active--;
    const next = this.waiting.shift();
    if (next) next();
  }

  /** Turns running now. */
  get running(): number {
    return this.active;
  }
}
