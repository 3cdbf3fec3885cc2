import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { TurnLimiter, type Refusal, type Release } from './limiter.js';

/** Why a turn was shed: the limiter refused it, or the event loop is already too far behind. */
export type ShedReason = Refusal | 'lagging';

/** How loaded the server is, for /readyz and the logs. */
export interface LoadSnapshot {
  running: number;
  queued: number;
  /** Every slot busy and the line full: the next turn gets 503. */
  saturated: boolean;
  /** New turns are refused because the event loop lags (see `maxEventLoopDelayMs`). */
  lagging: boolean;
  /** Event-loop delay over the last complete window, in milliseconds. */
  eventLoopDelayMs: { p50: number; p99: number; max: number };
}

/** Settings of the load shedder. */
export interface ShedOptions {
  maxActive: number;
  maxQueued: number;
  /** Longest a turn waits in line before it is answered 503 instead. */
  maxWaitMs: number;
  /** Event-loop delay (p99 of the last window) above which new turns are refused at once. */
  maxEventLoopDelayMs: number;
  /** Length of a measuring window (default 1 s). */
  windowMs?: number;
  /** Shed turns are summed up here once per window, not logged one line each (that would add to the overload). */
  logger?: Logger;
}

const NS_PER_MS = 1e6;
/** Sampling interval of the event-loop monitor; Node reports it as part of every delay, so it is subtracted. */
const RESOLUTION_MS = 10;

/**
 * Decides, before any work is done, whether a turn may run: a bounded number run, a bounded line waits for a
 * bounded time, and while the event loop lags new turns are refused outright. Refusing early keeps the loop
 * free for the work already admitted and for health probes, so excess clients get a fast 503 + Retry-After
 * instead of a connection that is not even accepted.
 */
export class LoadShedder {
  private readonly limiter: TurnLimiter;
  private readonly histogram: IntervalHistogram;
  private readonly timer: NodeJS.Timeout;
  private last = { p50: 0, p99: 0, max: 0 };
  private shed: Partial<Record<ShedReason, number>> = {};

  constructor(private readonly options: ShedOptions) {
    this.limiter = new TurnLimiter(options.maxActive, options.maxQueued);
    this.histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    this.histogram.enable();
    this.timer = setInterval(() => this.roll(), options.windowMs ?? 1000);
    this.timer.unref();
  }

  /** A running slot for one turn, or why it was shed. `signal` aborts the wait when the client goes away. */
  async admit(signal?: AbortSignal): Promise<Release | ShedReason> {
    const result = this.lagging ? 'lagging' : await this.limiter.acquire({ signal, maxWaitMs: this.options.maxWaitMs });
    if (typeof result !== 'function') this.count(result);
    return result;
  }

  /** Counts a turn shed elsewhere (before its body was read), for the once-per-window summary. */
  count(reason: ShedReason): void {
    this.shed[reason] = (this.shed[reason] ?? 0) + 1;
  }

  /** True when a turn arriving now would be refused anyway: refuse it before reading its body. */
  get refusing(): boolean {
    return this.lagging || this.limiter.saturated;
  }

  /** The current load, as /readyz reports it. */
  snapshot(): LoadSnapshot {
    return {
      running: this.limiter.running,
      queued: this.limiter.queued,
      saturated: this.limiter.saturated,
      lagging: this.lagging,
      eventLoopDelayMs: { ...this.last },
    };
  }

  /** Stops measuring (the app is closing). */
  close(): void {
    clearInterval(this.timer);
    this.histogram.disable();
  }

  /**
   * The event loop lags while turns are running. A stall with nothing running (start-up, a knowledge reload)
   * is not load, and refusing turns would not shorten it.
   */
  private get lagging(): boolean {
    return this.last.p99 > this.options.maxEventLoopDelayMs && this.limiter.running > 0;
  }

  private roll(): void {
    const h = this.histogram;
    // An empty window (no samples yet) reads as 0 rather than the histogram's sentinel values.
    this.last = h.count === 0 ? { p50: 0, p99: 0, max: 0 } : { p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max) };
    h.reset();
    // Behind by more than the limit: the line would only wait longer, so it is answered now.
    if (this.lagging) this.limiter.refuseWaiting('full');
    if (Object.keys(this.shed).length > 0) {
      this.options.logger?.warn({ shed: this.shed, ...this.snapshot() }, 'turns shed');
      this.shed = {};
    }
  }
}

function ms(ns: number): number {
  return Math.max(0, Math.round(ns / NS_PER_MS - RESOLUTION_MS));
}
