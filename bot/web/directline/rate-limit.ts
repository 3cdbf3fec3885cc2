/**
 * Fixed-window request counter per key (a Direct Line conversation's token): at most `limit` requests per
 * `windowMs`. Memory stays bounded: expired windows are swept when the map grows.
 */
export class WindowLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => Date,
    private readonly maxKeys = 50_000,
  ) {}

  /** Counts one request for `key`; false when the key is over its limit in this window. */
  take(key: string): boolean {
    const now = this.now().getTime();
    let window = this.windows.get(key);
    if (!window || now - window.start >= this.windowMs) {
      if (!window && this.windows.size >= this.maxKeys) this.sweep(now);
      window = { start: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count++;
    return window.count <= this.limit;
  }

  /** Seconds until `key` may try again (for Retry-After). */
  retryAfter(key: string): number {
    const window = this.windows.get(key);
    return window ? Math.max(1, Math.ceil((window.start + this.windowMs - this.now().getTime()) / 1000)) : 1;
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) if (now - window.start >= this.windowMs) this.windows.delete(key);
    // Still full of live windows: forget the oldest rather than grow without bound.
    while (this.windows.size >= this.maxKeys) this.windows.delete(this.windows.keys().next().value as string);
  }
}
